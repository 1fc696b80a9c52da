"""The guide shipped with the program: every language has every topic and every picture."""

from __future__ import annotations

import re

import pytest

from daryn_desktop.paths import resource_path

TOPICS = ("first-start", "pupils", "road-map", "printing", "sync", "trouble", "keys")


@pytest.mark.parametrize("lang", ["kk", "ru", "en"])
def test_each_language_has_every_topic_and_its_pictures(lang):
    page = resource_path("guide", lang, "index.html")
    html = page.read_text(encoding="utf-8")
    assert f'lang="{lang}"' in html
    for topic in TOPICS:
        assert f'<a name="{topic}">' in html and f'href="#{topic}"' in html
    pictures = re.findall(r'<img src="([^"]+)"', html)
    assert len(pictures) == 10
    for src in pictures:
        assert src.startswith(f"../images/{lang}-")
        assert (page.parent / src).resolve().is_file(), src
    assert "<!-- shortcuts -->" in html
    # Kazakh is written with its own letters.
    if lang == "kk":
        assert all(letter in html for letter in "әғқңөұүі")
