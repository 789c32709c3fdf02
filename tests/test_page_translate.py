"""The "Translate a number" page under streamlit.testing, in English and Chinese: a number written out step
by step with its attention map, examples, beam search, the model without attention beside it, every kind
of bad input, and missing models."""
from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from harness.page_reading import assert_never_rendered, charts
from ui.i18n import STATE_KEY as LANGUAGE_KEY

REPO = Path(__file__).resolve().parent.parent
PAGE = str(REPO / "app_pages" / "translate.py")


def translate_page(language: str = "en") -> AppTest:
    at = AppTest.from_file(PAGE, default_timeout=60)
    at.session_state[LANGUAGE_KEY] = language  # as app.py's choose_language() leaves it
    at.run()
    assert not at.exception, at.exception
    return at


def typed(at: AppTest, text: str) -> AppTest:
    at.text_input(key="tr_text").set_value(text).run()
    assert not at.exception, at.exception
    return at


def numeral(at: AppTest) -> str:
    return at.header[0].value


def attention_rows(at: AppTest) -> list[str]:
    """The attention map's filled rows: what each step shown wrote."""
    return [row[2:] for row in dict.fromkeys(cell["row"] for cell in charts(at)["tr_attention"]["datasets"]["cells"])]


def test_opens_on_a_whole_translation_with_its_attention_map_and_the_length_chart():
    at = translate_page()
    assert at.title[0].value == "Translate a number"
    assert numeral(at) == "三十万五千零七"
    assert attention_rows(at) == [*"三十万五千零七", "end"]
    cells = charts(at)["tr_attention"]["datasets"]["cells"]
    columns = [column[2:] for column in dict.fromkeys(cell["column"] for cell in cells)]
    assert columns == "three hundred and five thousand and seven".split()
    for row in attention_rows(at):
        assert abs(sum(c["weight"] for c in cells if c["row"][2:] == row) - 1) < 1e-4
    wan = [c["weight"] for c in cells if c["row"][2:] == "万"]
    # not a diagonal: 万, the third character, looks past "hundred" towards the "thousand" that makes it
    assert 1 <= max(range(len(wan)), key=wan.__getitem__) <= 4
    markdown = " ".join(m.value for m in at.markdown)
    assert "the numeral is finished" in markdown and "Without attention" in markdown
    assert [s.value for s in at.success] and "tr_lengths" in charts(at)
    models = {point["model"] for point in charts(at)["tr_lengths"]["datasets"]["points"]}
    assert models == {"with attention", "without attention"}


def test_play_writes_one_character_per_step_and_the_map_grows_row_by_row():
    at = translate_page()
    at.button(key="tr_play").click().run()
    assert at.session_state["tr_playing"] and numeral(at).endswith(" …")
    assert len(attention_rows(at)) == 1
    at.button(key="tr_next").click().run()  # a step by hand pauses
    assert not at.session_state["tr_playing"] and len(attention_rows(at)) == 2
    assert numeral(at) == "三十 …"
    at.button(key="tr_whole").click().run()
    assert numeral(at) == "三十万五千零七" and len(attention_rows(at)) == 8
    at.button(key="tr_restart").click().run()  # again from the first character, paused
    assert numeral(at) == "三 …" and attention_rows(at) == ["三"] and not at.session_state["tr_playing"]


def test_an_example_is_typed_in_and_played():
    at = translate_page()
    at.selectbox(key="tr_example").set_value("forty-two thousand, three hundred").run()
    assert at.text_input(key="tr_text").value == "forty-two thousand, three hundred"
    assert at.session_state["tr_playing"]
    at.button(key="tr_whole").click().run()
    assert numeral(at) == "四万二千三百"


@pytest.mark.parametrize("text, answer", [
    ("ONE HUNDRED FIVE", "一百零五"), ("Ten Thousand And Ten", "一万零一十"),
    ("nine hundred ninety nine million nine hundred ninety nine thousand nine hundred ninety nine",
     "九亿九千九百九十九万九千九百九十九"), ("zero", "零")])
def test_typed_numbers_in_any_style(text, answer):
    assert numeral(typed(translate_page(), text)) == answer


def test_beam_search_shows_its_beams_and_the_map_of_the_first():
    at = translate_page()
    at.radio(key="tr_search").set_value("beam").run()
    at.slider(key="tr_width").set_value(4).run()
    assert not at.exception
    beams = at.dataframe[0].value
    assert 1 <= len(beams) <= 4 and beams["translation"].iloc[0] == "三十万五千零七"
    assert beams["right?"].iloc[0] == "yes" and numeral(at) == "三十万五千零七"


@pytest.mark.parametrize("text, words", [
    ("", "Type a number in English words"),
    ("   ", "Type a number in English words"),
    ("forty-two apples", "The translator reads only number words"),
    ("two billion", "The translator reads numbers from zero up to"),
    ("five five", "These words do not spell one number"),
    ("42", "Write the number in words"),
    ("nine " * 100, "These words do not spell one number"),  # a long paste: the box keeps its first 200
])
def test_bad_input_says_what_is_accepted_and_the_page_goes_on(text, words):
    at = typed(translate_page(), text)
    assert any(words in info.value for info in at.info)
    assert "tr_lengths" in charts(at)  # the rest of the page is still there


def test_typed_words_are_shown_as_plain_text_never_markup():
    at = typed(translate_page(), "forty **bold** <img src=x onerror=alert(1)>")
    assert any("**bold**" in t.value and "<img" in t.value for t in at.text)
    assert_never_rendered(at, "**bold**")
    assert_never_rendered(at, "<img")


def test_the_page_in_chinese():
    at = translate_page("zh")
    assert at.title[0].value == "翻译数字"
    assert numeral(at) == "三十万五千零七"
    markdown = " ".join(m.value for m in at.markdown)
    assert "第" in markdown and "注意力" in markdown
    models = {point["model"] for point in charts(at)["tr_lengths"]["datasets"]["points"]}
    assert models == {"有注意力", "无注意力"}
    typed(at, "forty-two apples")
    assert any("只读" in info.value for info in at.info)


def test_without_the_plain_model_the_page_still_translates(tmp_path, monkeypatch):
    (tmp_path / "translator.pt").write_bytes((REPO / "checkpoints" / "translator.pt").read_bytes())
    monkeypatch.setenv("RNN_CHECKPOINT_DIR", str(tmp_path))
    at = translate_page()
    assert numeral(at) == "三十万五千零七"
    assert any("not available" in c.value for c in at.caption)
    models = {point["model"] for point in charts(at)["tr_lengths"]["datasets"]["points"]}
    assert models == {"with attention"}


def test_without_the_translator_the_page_says_why_and_raises_nothing(tmp_path, monkeypatch):
    monkeypatch.setenv("RNN_CHECKPOINT_DIR", str(tmp_path))
    at = translate_page()
    assert any("translator is not available" in e.value for e in at.error)
    assert "does not exist" in at.code[0].value and not at.header


def test_page_works_inside_the_app_navigation():
    at = AppTest.from_file(str(REPO / "app.py"), default_timeout=60)
    at.run()
    at.switch_page("app_pages/translate.py").run()
    assert not at.exception, at.exception
    assert at.title[0].value == "Translate a number" and numeral(at) == "三十万五千零七"
