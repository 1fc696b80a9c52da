"""Render the product's SVG icons to PNG (16–256 px) and to Windows .ico files.

    python tools/render_icons.py           # writes resources/icons/<name>-<size>.png and <name>.ico
    python tools/render_icons.py --out DIR # somewhere else (tests, a look before committing)

The SVG sources in ``resources/icons/`` are the truth; the PNG and ICO files are committed so
that the application and the build need neither this script nor an SVG renderer. Run it
again after changing an SVG. Qt (QtSvg) draws the SVGs; Pillow writes the ICO files, with
every size drawn from the SVG rather than scaled down from the largest.
"""

from __future__ import annotations

import argparse
import io
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ICONS = ROOT / "resources" / "icons"
#: The icons of the product: the application and the sync bundle file type.
NAMES = ("daryn", "daryn-bundle")
#: Sizes the desktops ask for: 16/24/32/48 for lists and taskbars, 64–256 for large views.
SIZES = (16, 24, 32, 48, 64, 128, 256)
#: Up to this size an icon's simplified drawing ``<name>-small.svg`` is used when it exists:
#: fine detail (the road's centre line) turns into blur at a few pixels.
SMALL = 32


def source_svg(source: Path, name: str, size: int) -> Path:
    """The drawing for one size: the simplified one for small sizes, if there is one."""
    small = source / f"{name}-small.svg"
    if size <= SMALL and small.exists():
        return small
    return source / f"{name}.svg"


def _qt_app():
    # Rendering needs a QGuiApplication; none of this needs a screen.
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtGui import QGuiApplication

    return QGuiApplication.instance() or QGuiApplication([sys.argv[0]])


def render_png(svg: Path, size: int) -> bytes:
    """The SVG drawn into a transparent ``size``×``size`` PNG."""
    from PySide6.QtCore import QBuffer, QByteArray, QIODevice
    from PySide6.QtGui import QImage, QPainter
    from PySide6.QtSvg import QSvgRenderer

    _qt_app()
    renderer = QSvgRenderer(str(svg))
    if not renderer.isValid():
        raise ValueError(f"{svg} is not a valid SVG")
    image = QImage(size, size, QImage.Format.Format_ARGB32_Premultiplied)
    image.fill(0)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
    renderer.render(painter)
    painter.end()
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    image.save(buffer, "PNG")  # type: ignore[call-overload]  # (the stubs want bytes; Qt wants str)
    buffer.close()
    return bytes(data.data())


def write_ico(pngs: dict[int, bytes], target: Path) -> None:
    """One .ico holding every size; BMP entries, which every Windows tool reads."""
    from PIL import Image

    images = [Image.open(io.BytesIO(pngs[size])).convert("RGBA") for size in sorted(pngs)]
    largest = images[-1]
    largest.save(target, format="ICO", sizes=[im.size for im in images],
                 append_images=images[:-1], bitmap_format="bmp")


def render_all(source: Path = ICONS, out: Path = ICONS) -> list[Path]:
    """Render every icon of :data:`NAMES`; returns the files written."""
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for name in NAMES:
        pngs = {size: render_png(source_svg(source, name, size), size) for size in SIZES}
        for size, data in pngs.items():
            target = out / f"{name}-{size}.png"
            target.write_bytes(data)
            written.append(target)
        ico = out / f"{name}.ico"
        write_ico(pngs, ico)
        written.append(ico)
    return written


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ICONS, help="folder for the PNG and ICO files")
    args = parser.parse_args(argv)
    for path in render_all(ICONS, args.out):
        print(path.relative_to(ROOT) if path.is_relative_to(ROOT) else path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
