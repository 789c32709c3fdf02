"""Hostile text in every box a visitor types into: the surname, the first letters and the paste box.
Each is answered or refused with a message, never rendered as markup."""
from __future__ import annotations

import io

import pandas as pd
import pytest
import streamlit

from harness.page_reading import assert_never_rendered, charts
from harness.whole_app import open_app


HOSTILE_TEXT = {
    "nul": "Zorblax\x00",
    "control characters": "Zor\x07bl\x1bax",
    "right-to-left override": "\u202eZorblax",
    "zero-width": "Zor\u200bblax\ufeff",
    "combining marks": "Z\u0337\u0328o\u0336r\u0334b\u0335l\u0338ax",
    "newlines": "Zorblax\r\n# heading\n<b>x</b>",
    "sql": "O'Brien'); DROP TABLE names;--",
    "formula": '=HYPERLINK("http://evil.example","Zorblax")',
    "markdown image": "![x](http://evil.example/x.png)",
    "html entity": "&lt;b&gt;Zorblax&amp;",
    "latex": "$\\frac{1}{0}$ Zorblax",
    "padded": " " * 5_000 + "Zorblax" + " " * 5_000,
}


@pytest.mark.parametrize("text", HOSTILE_TEXT.values(), ids=HOSTILE_TEXT.keys())
def test_hostile_text_in_the_surname_box(text):
    at = open_app("app_pages/names.py")
    at.text_input(key="names_text").input(text).run()
    assert not at.exception, at.exception
    answered = "names_top5" in charts(at)
    refused = any("surname" in i.value or "letters" in i.value for i in at.info)
    assert answered != refused
    assert_never_rendered(at, text)


@pytest.mark.parametrize("text", HOSTILE_TEXT.values(), ids=HOSTILE_TEXT.keys())
def test_hostile_text_in_the_first_letters_box(text):
    at = open_app("app_pages/generate.py")
    at.text_input(key="gen_prefix").input(text).run()
    assert not at.exception, at.exception
    invented = "gen_step_chart" in charts(at)
    refused = any("letters" in i.value or "characters" in i.value for i in at.info)
    assert invented != refused
    assert_never_rendered(at, text)
    if invented:  # only a prefix made of known characters is continued, and it is kept
        assert at.metric[0].value.startswith(text.strip()[:1].upper())


def recorded_downloads(monkeypatch) -> list[bytes]:
    """The data of every download button the page makes."""
    downloads, original = [], streamlit.download_button

    def recording(label, data, *args, **kwargs):
        downloads.append(data)
        return original(label, data, *args, **kwargs)

    monkeypatch.setattr(streamlit, "download_button", recording)
    return downloads


def test_hostile_text_in_the_paste_box(monkeypatch):
    downloads = recorded_downloads(monkeypatch)
    lines = list(HOSTILE_TEXT.values()) + ["\u2028Rossi", "x" * 100_000, "Nakamura"]
    at = open_app("app_pages/names.py")
    at.text_area(key="names_batch_text").input("\n".join(lines)).run()
    assert not at.exception, at.exception
    table = at.dataframe[0].value
    assert "Nakamura" in set(table["name"]) and (table["problem"] != "").any()
    assert max(len(name) for name in table["name"]) <= 61  # a 100,000-character line is cut for the table
    for text in HOSTILE_TEXT.values():
        assert_never_rendered(at, text)
    # The CSV download opens in spreadsheets: a name that starts a formula is written as text.
    names = pd.read_csv(io.BytesIO(downloads[-1]), keep_default_na=False)["name"]
    assert "'" + HOSTILE_TEXT["formula"] in set(names)
    assert not any(name.startswith(("=", "+", "-", "@")) for name in names)
