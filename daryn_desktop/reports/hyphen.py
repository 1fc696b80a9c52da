"""Hyphenation of Kazakh and Russian words that are wider than their table column.

A narrow column ("Ответственный", "Мамандандырылған", "специализированную") would have
such a word cut anywhere ("Ответственны|й"). Instead, soft hyphens are put at the syllable
boundaries of the words that do not fit, and reportlab breaks one of them there with a
visible hyphen; every other word wraps at spaces as usual.

The rules are the school rules both languages share, simplified: a boundary falls before
a consonant followed by a vowel (ло-ги), between two consonants (чес-кий), or between two
vowels (ци-а); never before ь, ъ or й; at least two letters stay on each side, each with a
vowel.
"""

from __future__ import annotations

from collections.abc import Callable

SOFT_HYPHEN = "\xad"
_VOWELS = frozenset("аәеёиоөуұүыіэюяАӘЕЁИОӨУҰҮЫІЭЮЯaeiouyAEIOUY")
_NEVER_FIRST = frozenset("ьъйЬЪЙ")
_MIN_PART = 2


def _vowels(word: str) -> list[bool]:
    """Which letters of ``word`` are vowels; у and и after a vowel are glides (ау, ей, ий)
    and count as consonants."""
    flags: list[bool] = []
    for i, ch in enumerate(word):
        vowel = ch in _VOWELS
        if vowel and ch in "уиУИ" and i and flags[i - 1]:
            vowel = False
        flags.append(vowel)
    return flags


def syllable_breaks(word: str) -> list[int]:
    """Positions (indexes into ``word``) where it may be hyphenated."""
    vowel = _vowels(word)
    breaks: list[int] = []
    for i in range(_MIN_PART, len(word) - _MIN_PART + 1):
        if not (word[i - 1].isalpha() and word[i].isalpha()) or word[i] in _NEVER_FIRST:
            continue
        # Every part (from the previous break, and the rest) keeps a vowel.
        if not any(vowel[breaks[-1] if breaks else 0:i]) or not any(vowel[i:]):
            continue
        before, first = vowel[i - 1], vowel[i]
        second = vowel[i + 1] if i + 1 < len(word) else False
        if (before and not first and second) or (not before and not first) or (
                before and first):
            breaks.append(i)  # V-CV, C-C, V-V
    return breaks


def hyphenate_word(word: str) -> str:
    """``word`` with soft hyphens at its syllable boundaries."""
    out, last = [], 0
    for i in syllable_breaks(word):
        out.append(word[last:i])
        last = i
    out.append(word[last:])
    return SOFT_HYPHEN.join(out)


def fit_words(text: str, width: float, measure: Callable[[str], float]) -> str:
    """``text`` with the words wider than ``width`` (by ``measure``) made hyphenatable."""
    words = text.split(" ")
    changed = False
    for n, word in enumerate(words):
        if SOFT_HYPHEN not in word and measure(word) > width:
            lines = word.split("\n")
            words[n] = "\n".join(hyphenate_word(w) if measure(w) > width else w for w in lines)
            changed = changed or words[n] != word
    return " ".join(words) if changed else text
