"""The name classifier page under streamlit.testing: every path, every kind of bad input, and the rule that
user text is never rendered as markdown or HTML (it may only reach st.text, st.code, tables and escaped
chart labels)."""
from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from streamlit.testing.v1 import AppTest

from rnn_core.checkpoint_meta import CheckpointMetadata
from rnn_core.checkpoints import load_checkpoint, save_checkpoint
from rnn_core.names.inference import MAX_BATCH_NAMES
from rnn_core.digits.inference import MAX_NAME_LENGTH
from harness.page_reading import array, assert_never_rendered, charts

REPO = Path(__file__).resolve().parent.parent
PAGE = str(REPO / "app_pages" / "names.py")
SHIPPED = load_checkpoint(REPO / "checkpoints" / "names.pt", expected_kind="name_classifier")
LANGUAGES = SHIPPED.metadata.labels

# (input, a phrase of the message it must get): each is refused with a message of its own.
REFUSED = {
    "empty": ("", "Type a surname"),
    "spaces": ("    ", "Type a surname"),
    "digits": ("12345", "no letters"),
    "emoji": ("😀🎉", "no letters"),
    "cyrillic": ("Петров", "romanised"),
    "cjk": ("山田", "romanised"),
    "arabic": ("محمد", "romanised"),
    "10,000 characters": ("x" * 10_000, f"at most {MAX_NAME_LENGTH}"),
}
# Markup that must come back literally: each is read as a name, its symbols noted as unknown characters.
MARKUP = {
    "html": "<b>Smith</b>",
    "script": "<script>alert(1)</script>",
    "markdown": "**Smith** _x_",
    "markdown link": "[Smith](http://x.io)",
    "heading": "# Smith",
}


def names_page() -> AppTest:
    at = AppTest.from_file(PAGE, default_timeout=60)
    at.run()
    assert not at.exception
    return at


def type_name(at: AppTest, text: str) -> AppTest:
    at.text_input(key="names_text").input(text).run()
    assert not at.exception, at.exception
    return at


def answer(at: AppTest) -> str:
    return at.subheader[0].value


# ----------------------------------------------------------------------------- one name

def test_opens_on_an_answer_with_its_charts():
    at = names_page()
    assert answer(at) in LANGUAGES
    assert {"names_top5", "names_heatmap", "names_confusion", "names_counts"} <= charts(at).keys()


def test_page_works_inside_the_app_navigation():
    at = AppTest.from_file(str(REPO / "app.py"), default_timeout=60)
    at.run()
    at.switch_page("app_pages/names.py").run()
    assert not at.exception
    assert at.title[0].value == "Name classifier" and answer(at) in LANGUAGES


def test_typed_name_gets_top_five_and_a_column_per_character():
    at = type_name(names_page(), "Kowalski")
    assert answer(at) in LANGUAGES
    assert any("for Kowalski" in text.value for text in at.text)
    top5 = sorted(charts(at)["names_top5"]["rows"], key=lambda row: row["rank"])
    assert len(top5) == 5 and {row["language"] for row in top5} <= set(LANGUAGES)
    assert top5[0]["language"] == answer(at)
    shares = [row["p"] for row in top5]
    assert shares == sorted(shares, reverse=True) and 0 < sum(shares) <= 1 + 1e-6
    cells = charts(at)["names_heatmap"]["rows"]
    columns = sorted({row["column"] for row in cells})
    assert [column[3:] for column in columns] == list("Kowalski")  # the axis label drops the 3-digit position
    assert answer(at) in {row["language"] for row in cells}


def test_letter_by_letter_view_is_labelled_honestly():
    at = names_page()
    captions = " ".join(caption.value for caption in at.caption)
    assert "cut off after that character" in captions
    assert "also reads right to left" in captions


def test_an_example_fills_the_box_every_time_it_is_chosen():
    at = names_page()
    examples = at.button_group(key="names_examples")
    examples.set_value("Rossi").run()
    assert at.text_input(key="names_text").value == "Rossi"
    assert any("for Rossi" in text.value for text in at.text)
    assert at.button_group(key="names_examples").value is None  # let go: Rossi can be chosen again
    at.text_input(key="names_text").set_value("Smith").run()
    at.button_group(key="names_examples").set_value("Rossi").run()
    assert at.text_input(key="names_text").value == "Rossi"


def test_every_example_is_read_without_a_warning():
    """A suggested example must show what the model does with a name it can read: no unknown characters."""
    at = names_page()
    for example in at.button_group(key="names_examples").options:
        at.button_group(key="names_examples").set_value(example).run()
        assert not at.exception, at.exception
        assert any(f"for {example}" in text.value for text in at.text), example
        assert not at.warning, (example, [warning.value for warning in at.warning])


def test_what_you_are_seeing_and_try_this():
    at = names_page()
    headings = [subheader.value for subheader in at.subheader]
    assert "What you are seeing" in headings and "Try this" in headings


@pytest.mark.parametrize("text, message", REFUSED.values(), ids=REFUSED.keys())
def test_bad_input_gets_a_message_not_a_prediction(text, message):
    at = type_name(names_page(), text)
    assert any(message in info.value for info in at.info), [info.value for info in at.info]
    assert "names_top5" not in charts(at) and "names_heatmap" not in charts(at)
    if text.strip():
        assert_never_rendered(at, text)
    assert "names_confusion" in charts(at)  # the rest of the page keeps working


@pytest.mark.parametrize("text", MARKUP.values(), ids=MARKUP.keys())
def test_markup_is_shown_literally_with_its_unknown_characters(text):
    at = type_name(names_page(), text)
    assert answer(at) in LANGUAGES
    assert_never_rendered(at, text)
    assert any(f"for {text}" in element.value for element in at.text)  # st.text: shown as typed
    assert at.warning and "unknown" in at.warning[0].value
    columns = sorted({row["column"] for row in charts(at)["names_heatmap"]["rows"]})
    assert "".join(column[3:] for column in columns) == text.replace(" ", "␣")  # Vega draws it as plain text


def test_unknown_characters_are_named_next_to_the_prediction():
    at = type_name(names_page(), "Smith😀")
    assert answer(at) in LANGUAGES
    assert any("GRINNING FACE" in text.value for text in at.text)


# ----------------------------------------------------------------------------- many names

def paste(at: AppTest, text: str) -> AppTest:
    at.text_area(key="names_batch_text").input(text).run()
    assert not at.exception, at.exception
    return at


def test_pasted_names_give_a_table_with_reasons_for_bad_lines():
    lines = ["Nakamura", "", "O'Brien", "12345", "Иванов", "x" * 10_000, "<b>Smith</b>", "**Rossetti**"]
    at = paste(names_page(), "\n".join(lines))
    table = at.dataframe[0].value
    assert list(table["line"]) == [1, 3, 4, 5, 6, 7, 8]  # the blank line 2 is skipped, numbering kept
    good = table[table["problem"] == ""]
    assert list(good["name"]) == ["Nakamura", "O'Brien", "<b>Smith</b>", "**Rossetti**"]
    assert set(good["top-1"]) <= set(LANGUAGES)
    assert all(0 < c <= 1 for c in good["confidence"])
    assert all(row.count("%") == 3 for row in good["top-3"])
    bad = table[table["problem"] != ""].set_index("line")
    assert "no letters" in bad.loc[4, "problem"] and "romanised" in bad.loc[5, "problem"]
    assert "at most" in bad.loc[6, "problem"] and len(bad.loc[6, "name"]) < 100
    assert table.set_index("line").loc[7, "unknown characters"] == "< >"
    assert at.get("download_button")
    assert_never_rendered(at, "<b>Smith</b>")
    assert_never_rendered(at, "**Rossetti**")


def test_a_thousand_names_are_classified():
    at = paste(names_page(), "\n".join(["Nakamura", "Schmidt"] * (MAX_BATCH_NAMES // 2)))
    assert len(at.dataframe[0].value) == MAX_BATCH_NAMES


def test_more_than_a_thousand_names_get_a_clear_message():
    at = paste(names_page(), "\n".join(["Nakamura"] * (MAX_BATCH_NAMES + 1)))
    assert any("1,001 names" in error.value and "at most 1,000" in error.value for error in at.error)
    assert not at.dataframe


def test_only_blank_lines_get_a_message():
    at = paste(names_page(), " \n\n  ")
    assert not at.dataframe


def upload(at: AppTest, filename: str, data: bytes) -> AppTest:
    at.get("file_uploader")[0].set_value((filename, data, "text/plain"))
    at.run()
    assert not at.exception, at.exception
    return at


def test_uploaded_text_file_gives_a_table():
    at = upload(names_page(), "names.txt", "Nakamura\nMüller\n\nDvořák\n".encode("utf-8"))
    assert list(at.dataframe[0].value["name"]) == ["Nakamura", "Müller", "Dvořák"]


def test_uploaded_csv_reads_the_first_column_and_skips_its_header():
    data = b'surname,country\nNakamura,JP\n"O\'Brien, Jr",IE\n'
    table = upload(names_page(), "people.csv", data).dataframe[0].value
    assert list(table["name"]) == ["Nakamura", "O'Brien, Jr"] and list(table["line"]) == [2, 3]


def test_uploaded_spreadsheet_text_in_utf16_is_read():
    at = upload(names_page(), "names.txt", "Nakamura\r\nMüller\r\n".encode("utf-16"))
    assert list(at.dataframe[0].value["name"]) == ["Nakamura", "Müller"]


def test_uploaded_binary_file_gets_a_clear_message():
    at = upload(names_page(), "photo.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\xff\xfe")
    assert any("not UTF-8 text" in error.value for error in at.error)
    assert not at.dataframe


# ----------------------------------------------------------------------------- model card

def test_model_card_reads_its_figures_from_the_checkpoint():
    at = names_page()
    metrics = SHIPPED.metadata.test_metrics
    values = {metric.label: metric.value for metric in at.metric}
    assert values["Accuracy"] == f"{metrics.accuracy:.1%}"
    assert values["Balanced accuracy"] == f"{metrics.balanced_accuracy:.1%}"
    confusion = charts(at)["names_confusion"]["data"][0]
    assert confusion["y"] == LANGUAGES
    row_sums = array(confusion["z"]).sum(axis=1)  # row-normalised
    assert np.allclose(row_sums[row_sums > 0], 1.0)
    counts = charts(at)["names_counts"]["data"][0]
    line_counts = SHIPPED.metadata.line_counts
    assert dict(zip(counts["y"], counts["x"])) == line_counts
    assert counts["x"] == sorted(counts["x"], reverse=True)  # the imbalance, largest first
    rule = SHIPPED.metadata.decision_rule
    card = next(markdown.value for markdown in at.markdown if "**The decision rule**" in markdown.value)
    assert f"adding it (weight {rule.naive_bayes_weight:g})" in card
    assert (f"strength {rule.prior_strength:g}" in card) == (rule.prior_strength > 0)


# ----------------------------------------------------------------------------- broken checkpoints

def test_missing_checkpoint_shows_the_error_and_the_page_still_works(monkeypatch):
    monkeypatch.setattr("ui.resources.NAMES_CHECKPOINT", "names-that-does-not-exist.pt")
    at = names_page()
    assert at.error and "not available" in at.error[0].value
    assert "does not exist" in at.code[0].value
    assert not at.get("plotly_chart")
    assert any("bidirectional" in markdown.value for markdown in at.markdown)


def test_corrupt_checkpoint_shows_the_error(monkeypatch, tmp_path):
    (tmp_path / "names-corrupt.pt").write_bytes(b"not a checkpoint")
    monkeypatch.setattr("ui.resources.CHECKPOINT_DIR", tmp_path)
    monkeypatch.setattr("ui.resources.NAMES_CHECKPOINT", "names-corrupt.pt")
    at = names_page()
    assert "not a readable checkpoint" in at.code[0].value


def test_checkpoint_without_optional_metadata_still_classifies(monkeypatch, tmp_path):
    bare = CheckpointMetadata(labels=SHIPPED.metadata.labels, vocab=SHIPPED.metadata.vocab)
    save_checkpoint(tmp_path / "names-bare.pt", SHIPPED.model, bare)
    monkeypatch.setattr("ui.resources.CHECKPOINT_DIR", tmp_path)
    monkeypatch.setattr("ui.resources.NAMES_CHECKPOINT", "names-bare.pt")
    at = type_name(names_page(), "Nakamura")
    assert answer(at) in LANGUAGES
    assert {metric.value for metric in at.metric} == {"not recorded"}
    assert any("does not record" in info.value for info in at.info)


def test_the_model_card_speaks_to_students_first():
    at = names_page()
    card = [m.value for m in at.markdown]
    summary = next(i for i, text in enumerate(card) if text.startswith("**In short**"))
    shipped = load_checkpoint(Path(__file__).resolve().parent.parent / "checkpoints" / "names.pt").metadata
    recall = shipped.test_metrics.per_class_recall
    weakest = min(recall, key=recall.get)
    assert f"{round(100 * shipped.test_metrics.accuracy)} times in 100" in card[summary]
    assert weakest in card[summary]
    assert summary < next(i for i, text in enumerate(card) if text.startswith("**The model**"))  # recipe after
    assert any(e.label.startswith("How it was made") for e in at.expander)
    mix_ups = next(text for text in card if text.startswith("**Most common mix-ups**"))
    assert mix_ups.count(" read as ") == 5
