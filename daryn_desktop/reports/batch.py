"""Printing road maps into one PDF: one pupil, a school, a district or any list, streamed.

Road maps are loaded one at a time and rendered in small chunks; each chunk's pages go
straight into the output file (see ``pdfstream``), so memory stays flat however long the
batch. Progress is reported per road map and Cancel is honoured between road maps; a
cancelled or failed batch leaves no file. A road map that cannot be laid out is left out
and named in the result; the others are printed.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from daryn_desktop.core.progress import CancelToken, Progress
from daryn_desktop.core.roadmap import RoadMapDocument
from daryn_desktop.errors import UserError
from daryn_desktop.files import explain_os_error
from daryn_desktop.i18n import N_, _, gettext_for, ngettext
from daryn_desktop.reports.pdfstream import PdfStreamWriter
from daryn_desktop.reports.roadmap_pdf import TITLE, RoadMapLayout
from daryn_desktop.storage.roadmaps import RoadMaps

if TYPE_CHECKING:
    from daryn_desktop.storage.database import Store

#: Road maps rendered together before their pages are written out: large enough that the
#: font subsets each chunk embeds stay a small share of the file, small enough for memory.
CHUNK = 25


class NothingToPrint(UserError):
    message = N_("There are no road maps to print for this choice.")


class NothingPrinted(UserError):
    message = N_("None of the road maps could be printed (the first: {name}: {reason}).")


@dataclass(frozen=True)
class Unprinted:
    """A road map left out of a batch, and why."""

    name: str
    reason: str


@dataclass
class PrintResult:
    path: Path
    road_maps: int
    pages: int
    left_out: list[Unprinted] = field(default_factory=list)


def print_road_maps(store: Store, road_map_ids: Sequence[str], out: str | os.PathLike[str], *,
                    lang: str | None = None, as_signed: bool = False,
                    progress: Callable[[Progress], None] | None = None,
                    cancel: CancelToken | None = None, generated: date | None = None,
                    chunk: int = CHUNK) -> PrintResult:
    """Write the road maps ``road_map_ids`` (in that order) into one PDF at ``out``.

    ``lang`` None prints each road map in its pupil's language of instruction. With
    ``as_signed`` a signed road map is printed as it was signed (with the amendments made
    since listed), others as they are now.
    """
    if not road_map_ids:
        raise NothingToPrint()
    maps = RoadMaps(store)
    layout = RoadMapLayout(lang or "kk", generated=generated)
    total = len(road_map_ids)
    title = gettext_for(lang or "kk")(TITLE)
    path = Path(out)
    try:
        writer = PdfStreamWriter(path, title=title)
    except OSError as exc:
        raise explain_os_error(exc, path) from exc
    left_out: list[Unprinted] = []
    with writer:
        pending: list[tuple[str, RoadMapDocument]] = []

        def flush() -> None:
            if not pending:
                return
            for documents, (data, starts) in _rendered(layout, pending, left_out):
                marks = [(_bookmark(d), start) for d, start in zip(documents, starts)]
                try:
                    writer.append(data, marks)
                except OSError as exc:
                    raise explain_os_error(exc, path) from exc
            pending.clear()

        for done, road_map_id in enumerate(road_map_ids):
            if cancel is not None:
                cancel.raise_if_cancelled()
            signed = as_signed and store.repos.road_maps.signed_snapshot(road_map_id)
            document = maps.document(road_map_id, as_signed=bool(signed))
            doc_lang = lang or maps.document_language(document.pupil)
            pending.append((doc_lang, document))
            if len(pending) >= chunk:
                flush()
            if progress is not None:
                progress(Progress(done + 1, total, _("Road map {done} of {total}: {name}").format(
                    done=done + 1, total=total, name=document.pupil.full_name)))
        flush()
        if cancel is not None:
            cancel.raise_if_cancelled()
        if len(left_out) == total:
            raise NothingPrinted(name=left_out[0].name, reason=left_out[0].reason)
        pages = writer.page_count
        try:
            writer.finish()
        except OSError as exc:
            raise explain_os_error(exc, path) from exc
    return PrintResult(path=path, road_maps=total - len(left_out), pages=pages,
                       left_out=left_out)


def _rendered(layout: RoadMapLayout, pending: list[tuple[str, RoadMapDocument]],
              left_out: list[Unprinted]) -> list[tuple[list[RoadMapDocument],
                                                      tuple[bytes, list[int]]]]:
    """The PDF of a chunk of road maps. If reportlab cannot lay one of them out, each is
    laid out alone, so that one pupil's road map does not cost the others; those that
    still fail are noted in ``left_out``."""
    documents = [document for _language, document in pending]
    try:
        return [(documents, layout.render(documents, [lang for lang, _doc in pending]))]
    except Exception:  # reportlab's LayoutError, or any fault of one document: see below
        pass
    done = []
    for language, document in pending:
        try:
            done.append(([document], layout.render([document], [language])))
        except Exception as exc:  # told to the person; the rest is printed
            left_out.append(Unprinted(document.pupil.full_name, str(exc).split("\n")[0]))
    return done


def _bookmark(document: RoadMapDocument) -> str:
    return f"{document.pupil.full_name}, {document.pupil.grade_label} — {document.school.name}"


def describe(result: PrintResult) -> str:
    """A report for the CLI and the status bar: one line, and one more per road map left
    out."""
    text = ngettext("Printed {count} road map ({pages} pages) to {path}.",
                    "Printed {count} road maps ({pages} pages) to {path}.",
                    result.road_maps).format(count=result.road_maps, pages=result.pages,
                                             path=result.path)
    for missing in result.left_out:
        text += "\n" + _("Not printed: the road map of {name} ({reason}).").format(
            name=missing.name, reason=missing.reason)
    return text
