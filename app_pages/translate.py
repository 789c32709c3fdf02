"""Translate a number: an encoder-decoder reads English number words and writes the Chinese numeral, one
character at a time, while a heatmap shows where it looked for each character.

Many to many, delayed: read everything, then write. What the visitor types reaches the screen as the words
the translator reads (chart labels, a heading of its characters, tables) or, for the words it does not read,
through st.text: never as markdown or HTML.
"""
from __future__ import annotations

import math

import streamlit as st

from rnn_core.translator.data import MAX_INPUT_CHARACTERS, NumberWordsError, chinese, read_number, unknown_words
from rnn_core.translator.decoding import Translation, beam_search, greedy
from rnn_core.translator.model import SourceVocab, TargetVocab
from ui.engine_words import engine_words
from ui.i18n import N_, _, bound_gettext, number, percent
from ui.page_header import page_header
from ui.page_links import Choice, LinkField, Text, WholeNumber, follow_link, keep_in_link, link_notes
from ui.pages import TRANSLATE
from ui.projector import aside, scaled
from ui.resources import LoadedModel, translator_models
from ui.translate_charts import attention_spec, curve_spec, length_spec, row_labels

PLAY_SECONDS = 0.45  # one character per tick, as the generator writes its letters
MAX_BEAM_WIDTH = 5
EXAMPLES = [
    "three hundred and five thousand and seven",
    "forty-two thousand, three hundred",
    "one hundred and five",
    "ten thousand and ten",
    "twelve million, three hundred and forty-five thousand, six hundred and seventy-eight",
    "two hundred million and five",
]
SEARCHES = ("greedy", "beam")
DEFAULT_BEAM_WIDTH = 3


def key(name: str) -> str:
    return f"tr_{name}"


LINK = (LinkField("number", key("text"), EXAMPLES[0], Text(MAX_INPUT_CHARACTERS)),  # the setup a link carries
        LinkField("search", key("search"), "greedy", Choice(SEARCHES)),
        LinkField("width", key("width"), DEFAULT_BEAM_WIDTH, WholeNumber(1, MAX_BEAM_WIDTH)))


@st.cache_resource
def vocabularies(words: str, characters: str) -> tuple[SourceVocab, TargetVocab]:
    return SourceVocab(words), TargetVocab(characters)


def pick_example() -> None:
    """An example chosen: it becomes the typed text, and is written out from its first character."""
    example = st.session_state[key("example")]
    if example:
        st.session_state[key("text")] = example
        st.session_state[key("playing")] = True


def translations_of(loaded: LoadedModel, text: str, width: int) -> tuple[list[Translation], int]:
    """The translations of `text` (one greedy, or the beams, likeliest first) and the number it spells."""
    model = loaded.checkpoint.model
    sources = vocabularies(loaded.checkpoint.metadata.vocab, "".join(loaded.checkpoint.metadata.labels))
    words, value = read_number(text)
    if width == 1:
        return greedy(model, [words], *sources), value
    return beam_search(model, words, *sources, width), value


def step_once(story: Translation) -> None:
    st.session_state[key("playing")] = False
    st.session_state[key("shown")] = min(st.session_state[key("shown")] + 1, story.steps)


def set_playing(playing: bool, story: Translation) -> None:
    if playing and st.session_state[key("shown")] >= story.steps:
        st.session_state[key("shown")] = 0  # play from the first character again
    st.session_state[key("playing")] = playing


def restart() -> None:
    st.session_state[key("playing")], st.session_state[key("shown")] = False, 1


def show_whole(story: Translation) -> None:
    st.session_state[key("playing")], st.session_state[key("shown")] = False, story.steps


def status_line(story: Translation, shown: int) -> str:
    """What the last step shown did, and the word it looked at most (words are the translator's own)."""
    row = story.attention[shown - 1]
    look = int(row.argmax())
    written = row_labels(story)[shown - 1]
    if shown == story.steps:
        line = _("Step {step}: wrote the **end mark**, looking mostly at “{word}” ({weight}): the numeral is "
                 "finished.")
    else:
        line = _("Step {step}: wrote **{character}**, looking mostly at “{word}” ({weight}).")
    return line.format(step=shown, character=written, word=story.words[look], weight=percent(float(row[look])))


def story_view(story: Translation, answer: str, playing_at_start: bool) -> None:
    """The buttons, the numeral so far and the attention map. A fragment: a step reruns only this part."""
    if st.session_state[key("playing")] != playing_at_start:
        st.rerun()  # Play or Pause was pressed: redraw the page, ticking only while it plays
    if st.session_state[key("playing")]:
        st.session_state[key("shown")] = min(st.session_state[key("shown")] + 1, story.steps)
        if st.session_state[key("shown")] >= story.steps:
            st.session_state[key("playing")] = False
            st.rerun()
    shown = max(1, st.session_state[key("shown")])
    complete = shown >= story.steps
    with st.container(horizontal=True, gap="small"):
        st.button(_("Next character"), key=key("next"), icon=":material/skip_next:", on_click=step_once,
                  args=(story,), disabled=complete)
        if st.session_state[key("playing")]:
            st.button(_("Pause"), key=key("pause"), icon=":material/pause:", on_click=set_playing,
                      args=(False, story))
        else:
            st.button(_("Play"), key=key("play"), icon=":material/play_arrow:", type="primary",
                      on_click=set_playing, args=(True, story))
        st.button(_("Again"), key=key("restart"), icon=":material/replay:", on_click=restart, disabled=shown <= 1,
                  help=_("Write this numeral again from its first character"))
        st.button(_("Finish"), key=key("whole"), icon=":material/fast_forward:", on_click=show_whole,
                  args=(story,), disabled=complete, help=_("Show the whole numeral at once"))
    with st.container(key="tr_numeral"):  # a heading, not a metric: a long numeral wraps instead of being cut
        st.header(story.text[: shown] + ("" if complete else " …"), anchor=False)  # only characters it writes
    left, right = st.columns([2, 3], gap="large")
    with left:
        st.markdown(status_line(story, shown))
        if complete:
            if story.text == answer:
                st.success(_("Right: this is how the number is written in Chinese."), icon=":material/check:")
            else:
                st.warning(_("Not quite: the number is written {answer}.").format(answer=answer),
                           icon=":material/close:")
    with right, st.container(key="tr_attention"):
        st.vega_lite_chart(scaled(attention_spec(story, shown)), width="stretch")


def beams_table(beams: list[Translation], answer: str) -> list[dict[str, str]]:
    return [{_("rank"): str(rank), _("translation"): beam.text, _("probability"): percent(
        math.exp(beam.log_probability), 1), _("right?"): _("yes") if beam.text == answer else _("no")}
            for rank, beam in enumerate(beams, 1)]


def plain_view(plain: LoadedModel, text: str, answer: str) -> None:
    """The same words through the model without attention, with whether it got them right."""
    if plain.checkpoint is None:
        st.caption(_("The model without attention is not available, so there is nothing to compare with."))
        return
    translation, _value = translations_of(plain, text, 1)
    st.markdown(_("**Without attention** the decoder gets only the encoder's last states, one summary of the "
                  "whole input, at every step:"))
    st.text(translation[0].text or _("(nothing)"))
    st.caption(_("Right.") if translation[0].text == answer else
               _("Wrong: the number is written {answer}.").format(answer=answer))


WHY_ATTENTION = N_("""
- **The order changes.** English groups digits by thousands, Chinese by ten thousands (**万**) and hundred
  millions (**亿**). *Three hundred and five thousand and seven* (305,007) is **三十万**五千零七: its 万 is
  in no English word, it comes from a *thousand* that is still to come after *three hundred and five*. The
  model has to read to the end before it writes.
- **The zeros follow their own rules.** In 三十万五千**零**七 the 零 stands for the missing hundreds and
  tens; no English word says it.
- **Where it looks.** Each row of the map is where the decoder looked before writing that character, and it
  is not a diagonal: in *twelve million, three hundred and forty-five thousand, …* the 千 of 一千二百 looks at
  *twelve* and *million*, the 万 after 三十四 at *five* and *thousand*. The encoder reads in both
  directions, so a word's column also carries its neighbours: a later *thousand* can reach the 万 through
  the word before it.
- **With and without attention.** Without attention the decoder starts from one summary of the whole input
  and must carry every word in its memory to the step that needs it. These numbers are short, at most 17
  words, so in the end both models are almost always right (the chart on the left); the difference is in
  learning (the chart on the right): with attention the model is right almost every time after a few hundred
  steps, without it it needs about twice as many. On long sentences the gap grows, which is why translation
  systems came to use attention.
""")

TRY_THIS = N_("""
- Play **three hundred and five thousand and seven** and watch the row of **万**: which words does it look at?
- Type the same number in American English, without the *and*s: does the map change?
- Pick *twelve million, three hundred and forty-five thousand, six hundred and seventy-eight*: which words
  does the first 千 look at?
- Switch to **beam search** of width 5: how likely are the other beams, and where do they go wrong?
""")

follow_link("translate", LINK)
page_header(TRANSLATE, link=keep_in_link("translate", LINK))
link_notes("translate")
aside("intro").markdown(_("Many to many, the translator's way: a network reads an English number **to the end**, "
                          "then writes it as a Chinese numeral one character at a time, and shows which English "
                          "words it looked at for each character."))

with_attention, plain = translator_models()
if with_attention.checkpoint is None:
    st.error(_("The translator is not available, so this page cannot translate (the rest of the app still "
               "works). The reason:"), icon=":material/warning:")
    st.code(engine_words(with_attention.error), language=None, wrap_lines=True)
    st.markdown(_(WHY_ATTENTION))
else:
    for field in LINK:
        st.session_state.setdefault(field.key, field.default)
    st.session_state.setdefault(key("playing"), False)
    translate = bound_gettext()  # for the labels Streamlit formats after the run, in this run's language
    text_column, example_column = st.columns([3, 2], gap="medium")
    text = text_column.text_input(_("An English number, in words"), key=key("text"), max_chars=MAX_INPUT_CHARACTERS,
                                  help=_("From zero to 999,999,999: British or American, with or without commas "
                                         "and hyphens, in any case."))
    example_column.selectbox(_("Or pick one"), [""] + EXAMPLES, key=key("example"), on_change=pick_example,
                             format_func=lambda example: example or translate(N_("(examples)")))
    search_column, width_column = st.columns([3, 2], gap="medium")
    search = search_column.radio(_("How it chooses each character"), SEARCHES, horizontal=True,
                                 key=key("search"), format_func=lambda choice: translate(
                                     {"greedy": N_("greedy: the likeliest"), "beam": N_("beam search")}[choice]))
    width = 1
    if search == "beam":
        width = width_column.slider(_("Beam width"), 1, MAX_BEAM_WIDTH, key=key("width"),
                                    help=_("How many partial translations are kept at every step."))
    try:
        results, value = translations_of(with_attention, text, width)
    except NumberWordsError as error:
        st.info(engine_words(error), icon=":material/edit:")  # the engine's words, no user text
        unknown = unknown_words(text)
        if unknown:
            st.text(_("Words the translator does not read:") + " " + ", ".join(unknown[:10]))
    else:
        story, answer = results[0], chinese(value)
        settings = (text, width)
        if st.session_state.get(key("settings")) != settings:  # a new input: shown whole, unless an example plays
            st.session_state[key("settings")] = settings
            st.session_state[key("shown")] = 0 if st.session_state[key("playing")] else story.steps
        st.caption(_("{value}: read as {count} words").format(value=number(value), count=len(story.words)))
        playing = st.session_state[key("playing")]
        st.fragment(story_view, run_every=PLAY_SECONDS if playing else None)(story, answer, playing)
        if width > 1:
            st.markdown(_("**The beams**: the {count} likeliest translations beam search kept to the end; the "
                          "map above is the first one's.").format(count=len(results)))
            st.dataframe(beams_table(results, answer), hide_index=True, key=key("beams"))
        plain_view(plain, text, answer)
    metrics = with_attention.checkpoint.metadata.test_metrics
    plain_metrics = plain.checkpoint.metadata.test_metrics if plain.checkpoint is not None else None
    lengths, learning = st.columns(2, gap="large")
    with lengths:
        st.subheader(_("Exact match against input length"), anchor=False)
        st.caption(_("On the held-out numbers, which neither model saw in training, typed in every style."))
        with st.container(key="tr_lengths"):
            st.vega_lite_chart(scaled(length_spec(metrics, plain_metrics)), width="stretch")
    with learning:
        st.subheader(_("Exact match while training"), anchor=False)
        st.caption(_("Measured every {steps} steps on a fixed part of the held-out numbers.").format(
            steps=number(int(next(iter(metrics.learning_curve), 0)))))  # the first point is one interval in
        with st.container(key="tr_learning"):
            st.vega_lite_chart(scaled(curve_spec(metrics, plain_metrics)), width="stretch")
    why, trying = aside("explain").columns(2, gap="large")
    with why:
        st.subheader(_("Why attention helps here"), anchor=False)
        st.markdown(_(WHY_ATTENTION))
    with trying:
        st.subheader(_("Try this"), anchor=False)
        st.markdown(_(TRY_THIS))
    config = with_attention.checkpoint.model.config
    aside("model").caption(_(
        "The models: a bidirectional GRU encoder of {hidden} units each way over the words, and a GRU decoder of "
        "{decoder} units over the characters, with additive (Bahdanau) attention or without it. On {examples} "
        "held-out translations: {exact} exact with attention{plain}.").format(
        hidden=config.hidden_size, decoder=config.decoder_size, examples=number(metrics.examples),
        exact=percent(metrics.exact_match, 2),
        plain=(_(", {exact} without").format(exact=percent(plain_metrics.exact_match, 2))
               if plain_metrics is not None else "")))
