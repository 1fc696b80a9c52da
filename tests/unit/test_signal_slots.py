"""No signal with an argument is connected, in the source, to a slot that would take it by
mistake (the walk-everything GUI test checks every connection made at run time as well).

``clicked(bool)``, ``triggered(bool)``, ``activated(int)`` … give their argument to the first
parameter of a Python slot: ``clicked.connect(self.save_pdf)`` calls ``save_pdf(False)``.
"""

from __future__ import annotations

import ast
from pathlib import Path

GUI = Path(__file__).resolve().parents[2] / "daryn_desktop" / "gui"
SIGNALS = {"clicked", "triggered", "toggled", "activated", "currentIndexChanged",
           "textActivated", "doubleClicked"}


def _optional(args: ast.arguments, skip_self: bool) -> list[str]:
    """Names of the parameters that would receive the signal's one argument, if optional."""
    positional = [*args.posonlyargs, *args.args][1 if skip_self else 0:]
    defaults = dict(zip([a.arg for a in positional][::-1], args.defaults[::-1]))
    first = positional[:1]
    return [a.arg for a in first if a.arg in defaults and a.arg != "checked"
            and not a.arg.startswith("_")]


def mistakes(source: str, filename: str) -> list[str]:
    tree = ast.parse(source)
    found = []
    for cls in (n for n in ast.walk(tree) if isinstance(n, ast.ClassDef)):
        methods = {f.name: f for f in cls.body if isinstance(f, ast.FunctionDef)}
        for call in (n for n in ast.walk(cls) if isinstance(n, ast.Call)):
            func = call.func
            if not (isinstance(func, ast.Attribute) and func.attr == "connect"
                    and isinstance(func.value, ast.Attribute) and func.value.attr in SIGNALS
                    and call.args):
                continue
            slot = call.args[0]
            names: list[str] = []
            if (isinstance(slot, ast.Attribute) and isinstance(slot.value, ast.Name)
                    and slot.value.id == "self" and slot.attr in methods):
                names = _optional(methods[slot.attr].args, skip_self=True)
            elif isinstance(slot, ast.Lambda):
                names = _optional(slot.args, skip_self=False)
            found += [f"{filename}:{call.lineno}: {func.value.attr} fills “{name}”"
                      for name in names]
    return found


def test_the_check_finds_the_old_mistake():
    source = '''
class Editor:
    def build(self):
        self.pdf_button.clicked.connect(self.save_pdf)
        self.sign_button.clicked.connect(lambda on=None: self.sign(on))
        self.fine.clicked.connect(lambda _checked=False: self.save_pdf())
        self.also_fine.toggled.connect(self.set_flag)

    def save_pdf(self, path=None):
        pass

    def set_flag(self, on):
        pass
'''
    assert mistakes(source, "editor.py") == ["editor.py:4: clicked fills “path”",
                                             "editor.py:5: clicked fills “on”"]


def test_no_connection_in_the_gui_gives_a_signal_argument_to_an_optional_parameter():
    found = []
    for path in sorted(GUI.rglob("*.py")):
        found += mistakes(path.read_text(encoding="utf-8"), str(path.relative_to(GUI)))
    assert found == []
