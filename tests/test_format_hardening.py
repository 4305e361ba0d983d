"""Format readers never drop text silently: every word of a file comes through, or a sentence.

Each hostile file is generated here (nesting, zip members, encodings, right-to-left
text); each test pins the exact outcome, the whole text or the exact refusal.
"""

from __future__ import annotations

import re

import pytest

from sources.errors import ImportRefused
from sources.formats import html, markdown

DEPTHS = (300, 1_000, 10_000)


def words_of(count: int, prefix: str = "w") -> list[str]:
    return [f"{prefix}{number}" for number in range(count)]


def missing_words(words: list[str], text: str) -> list[str]:
    found = set(re.findall(r"\w+", text))
    return [word for word in words if word not in found]


# ---------------------------------------------------------------- 1. deep HTML

def nested_html(tag: str, depth: int) -> tuple[bytes, list[str]]:
    words = words_of(depth)
    opening = "".join(f"<{tag}>{word} " for word in words)
    markup = f"<html><body>{opening}{f'</{tag}>' * depth}<p>last</p></body></html>"
    return markup.encode(), words + ["last"]


@pytest.mark.parametrize("tag", ["div", "span"])
@pytest.mark.parametrize("depth", DEPTHS)
def test_deeply_nested_html_keeps_every_word_or_is_refused(tag, depth):
    data, words = nested_html(tag, depth)
    try:
        text = html.parse(data).text
    except ImportRefused as refusal:
        assert str(refusal) == html.TOO_DEEP
    else:
        assert missing_words(words, text) == []


def test_html_nested_a_thousand_levels_is_read_whole():
    data, words = nested_html("div", 1_000)
    assert html.parse(data).text.split() == words


def test_html_nested_ten_thousand_levels_is_refused_with_a_sentence():
    data, _ = nested_html("div", 10_000)
    with pytest.raises(ImportRefused) as refusal:
        html.parse(data)
    assert str(refusal.value) == html.TOO_DEEP


# ---------------------------------------------------------------- 2. deep Markdown

def indented_list(depth: int) -> tuple[bytes, list[str]]:
    words = words_of(depth)
    return "".join(f"{'  ' * level}- {word}\n" for level, word in enumerate(words)).encode(), words


def one_line_list(depth: int) -> tuple[bytes, list[str]]:
    return ("- " * depth + "deepest\n\nafter\n").encode(), ["deepest", "after"]


def stacked_quotes(depth: int) -> tuple[bytes, list[str]]:
    words = words_of(depth)
    lines = "".join(
        f"{'>' * (level + 1)} {word}\n{'>' * level}\n" for level, word in enumerate(words)
    )
    return (lines + "\nafter\n").encode(), words + ["after"]


def one_line_quote(depth: int) -> tuple[bytes, list[str]]:
    return (">" * depth + " deepest\n\nafter\n").encode(), ["deepest", "after"]


@pytest.mark.parametrize(
    "build, depth",
    [
        (indented_list, 10), (indented_list, 49), (indented_list, 300),
        (one_line_list, 10), (one_line_list, 10_000),
        (stacked_quotes, 20), (stacked_quotes, 99), (stacked_quotes, 300),
        (one_line_quote, 20), (one_line_quote, 10_000),
    ],
)  # fmt: skip
def test_deeply_nested_markdown_keeps_every_word(build, depth):
    data, words = build(depth)
    assert missing_words(words, markdown.parse(data).text) == []


def test_markdown_lists_forty_levels_deep_are_read_as_markdown():
    data, words = indented_list(40)
    document = markdown.parse(data)
    assert document.text == "\n\n".join(words)
    assert document.warnings == ()


def test_markdown_deeper_than_markdown_it_reads_is_kept_as_plain_text_with_a_warning():
    data, _ = one_line_quote(10_000)
    document = markdown.parse(data)
    assert document.text == data.decode()
    assert document.warnings == (markdown.READ_AS_PLAIN_TEXT,)
