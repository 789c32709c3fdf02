"""The "Invent a name" page under streamlit.testing: every path (open, invent, step, play, whole name, start
over, temperature 0, first letters, languages), every kind of bad input, and a missing model."""
from __future__ import annotations

from pathlib import Path

import pytest
import torch
from streamlit.testing.v1 import AppTest

from rnn_core.checkpoints import load_checkpoint
from rnn_core.generator.sampling import MAX_PREFIX_LENGTH
from harness.page_reading import assert_never_rendered, charts

REPO = Path(__file__).resolve().parent.parent
PAGE = str(REPO / "app_pages" / "generate.py")
SHIPPED = load_checkpoint(REPO / "checkpoints" / "names-generator.pt", expected_kind="name_generator")
LANGUAGES = SHIPPED.metadata.labels


def generate_page() -> AppTest:
    at = AppTest.from_file(PAGE, default_timeout=60)
    at.run()
    assert not at.exception, at.exception
    return at


def click(at: AppTest, key: str) -> AppTest:
    at.button(key=key).click().run()
    assert not at.exception, at.exception
    return at


def shown_name(at: AppTest) -> str:
    """The name on screen, as far as it has been written ('Ro …' while it is being written)."""
    return at.metric[0].value


def story_ticks(at: AppTest) -> list[str]:
    """The story chart's column labels: one boxed token per step written, its key without the position."""
    return [box["column"][3:] for box in charts(at)["gen_story_chart"]["datasets"]["boxes"]]


def test_opens_on_a_whole_invented_name_with_its_story_and_verdicts():
    at = generate_page()
    assert at.title[0].value == "Invent a name"
    name = shown_name(at)
    assert name and "…" not in name and any(c.value.startswith("Invented for Italian") for c in at.caption)
    assert {"gen_step_chart", "gen_story_chart"} <= charts(at).keys()
    assert "".join(story_ticks(at)[:-1]) == name and story_ticks(at)[-1] == "end"
    markdown = " ".join(m.value for m in at.markdown)
    assert "**New**" in markdown or "**Seen before**" in markdown
    assert "**The classifier agrees**" in markdown or "**The classifier disagrees**" in markdown
    assert "the end mark won" in markdown
    table = at.dataframe[0].value
    assert len(set(table["greedy"])) == 1 and len(table) == 5  # greedy asked five times: one name
    assert set(table["agrees"]) <= {"yes", "no"} and "Why greedy repeats itself" in markdown
    assert any(c.value.startswith("Greedy's name is") for c in at.caption)
    assert {s.value for s in at.subheader} >= {"What you are seeing", "Try this"}


def test_page_works_inside_the_app_navigation():
    at = AppTest.from_file(str(REPO / "app.py"), default_timeout=60)
    at.run()
    at.switch_page("app_pages/generate.py").run()
    assert not at.exception, at.exception
    assert at.title[0].value == "Invent a name" and shown_name(at)


def test_invent_then_step_letter_by_letter():
    at = click(generate_page(), "gen_invent_button")
    assert at.session_state["gen_playing"]  # Invent writes the name out, one letter per tick
    assert any(c.value.startswith("Being invented") for c in at.caption) and shown_name(at).endswith(" …")
    assert len(story_ticks(at)) == 1 and "Step 1" in charts(at)["gen_step_chart"]["datasets"]["title"][0]["text"]
    story = at.session_state["gen_story"]
    click(at, "gen_next")
    assert not at.session_state["gen_playing"]  # a step by hand pauses the play
    assert len(story_ticks(at)) == 2 and shown_name(at) == story.name[:2] + " …"
    while not at.button(key="gen_next").disabled:
        click(at, "gen_next")
    assert shown_name(at) == story.name and story_ticks(at)[-1] == "end"
    assert at.button(key="gen_whole").disabled and any("the end mark won" in m.value for m in at.markdown)
    click(at, "gen_restart")
    assert len(story_ticks(at)) == 1 and at.session_state["gen_story"] is story  # the same name, from the top


def test_play_pause_and_whole_name():
    at = click(click(generate_page(), "gen_invent_button"), "gen_pause")
    assert not at.session_state["gen_playing"] and at.button(key="gen_play")
    click(at, "gen_play")
    assert at.session_state["gen_playing"]
    click(at, "gen_whole")
    assert not at.session_state["gen_playing"] and "…" not in shown_name(at)
    click(at, "gen_play")  # from a finished name, Play writes it out again from the first letter
    assert at.session_state["gen_playing"] and len(story_ticks(at)) == 1


def test_temperature_zero_gives_the_same_name_every_time():
    at = generate_page()
    at.slider(key="gen_temperature").set_value(0.0).run()
    first = shown_name(at)
    click(at, "gen_invent_button")
    click(at, "gen_whole")
    assert shown_name(at) == first
    assert any("temperature is 0" in c.value for c in at.caption)
    assert set(at.dataframe[0].value["drawn"]) == set(at.dataframe[0].value["greedy"]) == {first}


def test_temperature_zero_shows_only_the_letters_taken_and_says_so():
    """Greedy gives every other letter no chance: no ranks of 0% letters, no "chance of 1 in 1"."""
    at = generate_page()
    at.slider(key="gen_temperature").set_value(0.0).run()
    story = at.session_state["gen_story"]
    cells = charts(at)["gen_story_chart"]["datasets"]["cells"]
    letters = [cell for cell in cells if cell["row"] != "end mark"]
    assert {cell["row"] for cell in letters} == {"#1"} and all(cell["p"] == 1.0 for cell in letters)
    assert len(letters) == len(story.steps)  # one a column; the last column's is the end mark taken
    markdown = " ".join(m.value for m in at.markdown)
    assert "the end mark won" in markdown and "always takes the likeliest" in markdown and "1 in 1" not in markdown
    assert "%" not in next(m.value for m in at.markdown if m.value.startswith("Step "))
    click(at, "gen_restart")
    assert [bar["p"] for bar in charts(at)["gen_step_chart"]["datasets"]["bars"]] == [1.0]
    assert any("took the likeliest letter" in m.value for m in at.markdown)


def test_temperature_sharpens_the_bars():
    def first_step_peak(temperature: float) -> float:
        at.slider(key="gen_temperature").set_value(temperature).run()
        click(at, "gen_restart")  # back to step 1: the first letter, whatever name was drawn
        return max(bar["p"] for bar in charts(at)["gen_step_chart"]["datasets"]["bars"])

    at = generate_page()
    assert first_step_peak(0.2) > first_step_peak(1.0) > first_step_peak(2.0)


def test_first_letters_are_kept_and_capitalised():
    at = generate_page()
    at.text_input(key="gen_prefix").input("ros").run()
    assert not at.exception
    assert shown_name(at).startswith("Ros")
    table = at.dataframe[0].value
    assert all(name.startswith("Ros") for name in [*table["greedy"], *table["drawn"]])
    click(at, "gen_restart")
    assert any("a letter you gave" in m.value for m in at.markdown)


def test_every_language_can_be_picked():
    at = generate_page()
    assert at.selectbox(key="gen_language").options == LANGUAGES
    for language in ("Japanese", "Russian", "Vietnamese"):
        at.selectbox(key="gen_language").set_value(language).run()
        assert not at.exception and any(c.value.startswith(f"Invented for {language}") for c in at.caption)


def test_the_suggested_first_letters_are_all_known_to_the_generator():
    """The placeholder's and "Try this" list's first letters: each gives a name, never a message."""
    at = generate_page()
    for prefix, language in (("Ro", "Italian"), ("Mac", "Irish"), ("Mac", "Russian"), ("Ko", "Japanese"),
                             ("Ko", "Polish")):
        at.selectbox(key="gen_language").set_value(language)
        at.text_input(key="gen_prefix").input(prefix).run()
        assert not at.exception and not at.info and not at.warning, (prefix, language)
        assert shown_name(at).startswith(prefix)


def test_sampling_leaves_the_process_random_state_alone():
    state = torch.random.get_rng_state()
    at = generate_page()
    for _ in range(3):
        click(at, "gen_draw_more")
    assert torch.equal(torch.random.get_rng_state(), state)


# (first letters, a phrase of the message): each refused with a message of its own, never echoing the text.
REFUSED = {
    "cyrillic": ("Жук", "never appear"),
    "cjk": ("山田", "never appear"),
    "emoji": ("Ro😀", "never appear"),
    "markup": ("<b>Ro</b>", "never appear"),
    "markdown": ("**Ro**", "never appear"),
    "too long": ("Abcdefghijklmnop", f"at most {MAX_PREFIX_LENGTH}"),
    "10,000 characters": ("x" * 10_000, f"at most {MAX_PREFIX_LENGTH}"),
}


@pytest.mark.parametrize("text, phrase", REFUSED.values(), ids=REFUSED.keys())
def test_bad_first_letters_get_a_clear_message(text, phrase):
    at = generate_page()
    at.text_input(key="gen_prefix").input(text).run()
    assert not at.exception, at.exception
    assert any(phrase in i.value for i in at.info)
    assert "gen_step_chart" not in charts(at) and not at.metric
    assert_never_rendered(at, text)
    if phrase == "never appear":  # the characters are listed, as plain text
        assert "does not know" in at.text[0].value
    at.text_input(key="gen_prefix").input("").run()  # clearing the box brings a name back
    assert not at.info and shown_name(at)


def test_blank_or_spaced_first_letters_are_no_first_letters():
    at = generate_page()
    at.text_input(key="gen_prefix").input("   ").run()
    assert not at.exception and not at.info and shown_name(at)


def test_missing_model_gets_a_message_and_the_page_still_works(tmp_path, monkeypatch):
    monkeypatch.setenv("RNN_CHECKPOINT_DIR", str(tmp_path))
    at = generate_page()
    assert any("name generator is not available" in e.value for e in at.error)
    assert "does not exist" in at.code[0].value and not at.metric


def test_without_the_classifier_the_generator_still_works(tmp_path, monkeypatch):
    (tmp_path / "names-generator.pt").write_bytes((REPO / "checkpoints" / "names-generator.pt").read_bytes())
    monkeypatch.setenv("RNN_CHECKPOINT_DIR", str(tmp_path))
    at = generate_page()
    assert shown_name(at) and any("classifier is not available" in c.value for c in at.caption)
    assert set(at.dataframe[0].value["classifier"]) == {"not available"}
    assert any(c.value == "Greedy's name is new." or c.value == "Greedy's name is a training name."
               for c in at.caption)
