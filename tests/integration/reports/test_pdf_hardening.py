"""PDFs that never fail on long text, words that wrap or hyphenate properly, one failing
road map that does not cost a batch, and the escrow sheet's font."""

from __future__ import annotations

import re
from datetime import date

import pytest
from pypdf import PdfReader
from reportlab.platypus.doctemplate import LayoutError

from daryn_desktop.cli.main import main
from daryn_desktop.core.enums import Language, SupportMeasure
from daryn_desktop.core.templates import Track
from daryn_desktop.i18n import gettext_for
from daryn_desktop.reports import roadmap_pdf
from daryn_desktop.reports.batch import print_road_maps
from daryn_desktop.storage.roadmaps import RoadMaps
from daryn_desktop.sync import crypto
from daryn_desktop.sync.escrow import write_escrow_sheet
from tests.conftest import PASSWORD
from tests.integration.reports.fixtures import YEAR, activity, gifted_pupil


def _text(path) -> str:
    return re.sub(r"\s+", " ", " ".join(p.extract_text() for p in PdfReader(path).pages))


def _long(words: int, last: str) -> str:
    text = " ".join(f"қабілеті{n} дамыған" for n in range(words))
    return f"{text} {last}"


def test_a_6000_character_strengths_and_an_8000_character_goal_print_over_pages(store,
                                                                               tmp_path):
    maps = RoadMaps(store)
    _school, pupil = gifted_pupil(store)
    road_map = maps.create(pupil.id, YEAR)
    strengths, goal = _long(310, "СОҢЫ-БІР"), _long(410, "СОҢЫ-ЕКІ")
    assert len(strengths) >= 6000 and len(goal) >= 8000
    # Longer than the editor allows: such texts arrive from bundles and spreadsheets.
    with store.transaction() as writer:
        writer.update("road_maps", road_map.id, {"strengths": strengths})
        writer.insert("goals", {"road_map_id": road_map.id, "text": goal, "position": 0})
    out = tmp_path / "long.pdf"
    result = print_road_maps(store, [road_map.id], out)
    text = _text(out)
    assert result.pages >= 4 and not result.left_out
    assert "СОҢЫ-БІР" in text and "СОҢЫ-ЕКІ" in text
    assert "қабілеті309" in text and "қабілеті409" in text  # nothing lost on the way


def test_a_road_map_that_cannot_be_laid_out_is_named_and_the_others_printed(
        store, tmp_path, monkeypatch, capsys):
    maps = RoadMaps(store)
    school, first = gifted_pupil(store)
    pupils = [first] + [gifted_pupil(store, surname=s, given="Бала", serial=n + 2,
                                     school=school)[1]
                        for n, s in enumerate(("Ерланов", "Қасымов"))]
    ids = [maps.create(p.id, YEAR).id for p in pupils]
    real = roadmap_pdf.RoadMapLayout._strengths_section

    def breaks_for_one(self, document):
        if document.pupil.surname == "Ерланов":
            raise LayoutError("Flowable <Table> too large on page 2")
        return real(self, document)

    monkeypatch.setattr(roadmap_pdf.RoadMapLayout, "_strengths_section", breaks_for_one)
    out = tmp_path / "school.pdf"
    result = print_road_maps(store, ids, out, chunk=25)
    assert result.road_maps == 2 and [m.name for m in result.left_out] == [
        pupils[1].full_name]
    titles = [item.title.split(",")[0] for item in PdfReader(out).outline]
    assert titles == [pupils[0].full_name, pupils[2].full_name]
    # The command says so, and exits 1 although the others were printed.
    monkeypatch.setenv("DARYN_PASSWORD", PASSWORD)
    path = store.path
    store.close()
    assert main(["--db", str(path), "--lang", "en", "roadmap", "pdf", "--school", school.id,
                 "--year", YEAR, "--out", str(tmp_path / "cli.pdf")]) == 1
    captured = capsys.readouterr()
    assert "Printed 2 road maps" in captured.out
    assert f"Not printed: the road map of {pupils[1].full_name}" in captured.err


def _broken_without_hyphen(word: str, text: str) -> bool:
    return any(f"{word[:i]} {word[i:]}" in text for i in range(1, len(word)))


def test_russian_table_cells_wrap_at_words_or_hyphenate(store, tmp_path):
    maps = RoadMaps(store)
    _school, pupil = gifted_pupil(store, surname="Иванов", given="Пётр",
                                  language=Language.RUSSIAN)
    road_map = maps.create(pupil.id, YEAR, track=Track.OLYMPIAD)
    maps.save(road_map.id, activities=[activity(
        road_map.id, "Подготовка к поступлению", measure=SupportMeasure.SPECIALISED_SCHOOL)])
    maps.sign(road_map.id, on=date(2025, 10, 1))
    maps.add_review(road_map.id, 1, "Хорошо", author="Сейітова А.Б.")
    out = tmp_path / "ru.pdf"
    print_road_maps(store, [road_map.id], out)
    text = _text(out)
    ru = gettext_for("ru")
    for header in ("Responsible", "Quarter"):
        word = ru(header)
        assert word in text and not _broken_without_hyphen(word, text), word
    label = ru(SupportMeasure.SPECIALISED_SCHOOL.label_id)
    long_word = max(label.split(), key=len)  # «специализированную»: wider than its column
    assert not _broken_without_hyphen(long_word, text)
    # It does not fit its column whole: it is hyphenated, with a hyphen.
    assert any(f"{long_word[:i]}- {long_word[i:]}" in text for i in range(2, len(long_word)))


def test_the_escrow_sheet_embeds_its_font(tmp_path):
    recipient, secret = crypto.new_age_key()
    out = write_escrow_sheet(tmp_path / "escrow.pdf", secret, recipient, "Ақтөбе облысы")
    for page in PdfReader(out).pages:
        for ref in page["/Resources"]["/Font"].values():
            font = ref.get_object()
            descendant = (font["/DescendantFonts"][0].get_object()
                          if "/DescendantFonts" in font else font)
            assert "/FontDescriptor" in descendant, font["/BaseFont"]
            assert "/FontFile2" in descendant["/FontDescriptor"].get_object()


@pytest.mark.parametrize("word, expected", [("Ответственный", "От-вет-ствен-ный"),
                                             ("Мамандандырылған", "Ма-ман-дан-ды-рыл-ған"),
                                             ("район", "район")])
def test_hyphenation_falls_on_syllables(word, expected):
    from daryn_desktop.reports.hyphen import hyphenate_word

    assert hyphenate_word(word).replace("\xad", "-") == expected


@pytest.mark.parametrize("text", [
    "Мамандандырылған мектепке дайындық", "  екі   бос  орын ", "Ответственный", "—",
    "a\xa0b", "\xa0бастауда", "нөл\u200bені", "тасымал\xadдау", "Қ", " ", "\t", "x < y",
    "Tom & Jerry", "жол\nжол", "ӘҒҚҢӨҰҮҺІ әғқңөұүһі"])
def test_plain_cells_get_the_fragments_the_parser_would_make(text):
    """Cells of plain text skip reportlab's parser: what they get instead is the same."""
    from reportlab.platypus import Paragraph

    from daryn_desktop.reports import pdf_cells as roadmap_pdf

    roadmap_pdf.register_fonts()
    for style in vars(roadmap_pdf.document_styles()).values():
        parsed = [vars(f) for f in Paragraph(roadmap_pdf._markup(text), style).frags]
        fast = roadmap_pdf.plain_frags(text, style)
        if fast is None:  # text that needs the parser (markup characters, line breaks)
            assert any(c in text for c in "<>&\n\t") or not text.strip()
            continue
        assert [vars(f) for f in fast] == parsed
        cell = roadmap_pdf.Cell(text, style)
        assert [vars(f) for f in cell.frags] == parsed
        # Wrapped again at the same width (as tables do), the cell keeps its lines.
        narrow = cell.wrap(60, 1000)
        lines = [line for line in cell.blPara.lines]
        assert cell.wrap(60, 1000) == narrow and cell.blPara.lines == lines
        assert cell.wrap(400, 1000)[1] <= narrow[1]
