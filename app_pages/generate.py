"""Invent a name: a character-level generator writes a surname for a language, one letter at a time.

One to many: one input (the language, and any first letters) and a sequence out. Each step shows the
model's distribution over the next character and the one it took. User text (the first letters, and the
names that continue them) never reaches markdown: only st.text, st.metric values, tables and escaped chart
labels.
"""
from __future__ import annotations

import secrets
import unicodedata

import pandas as pd
import streamlit as st
import torch

from rnn_core.generator.model import GeneratorInputError, GeneratorVocab, NameGenerator
from rnn_core.generator.sampling import MAX_PREFIX_LENGTH, MAX_TEMPERATURE, GeneratedName, generate_name
from rnn_core.names.inference import classify_names
from ui.engine_words import engine_words
from ui.generate_charts import step_spec, story_spec
from ui.i18n import N_, _, bound_gettext, ngettext, number, percent
from ui.page_header import page_header
from ui.page_links import Choice, Decimal, LinkField, Text, WholeNumber, follow_link, keep_in_link, link_notes
from ui.pages import GENERATE
from ui.projector import aside, scaled
from ui.name_charts import language_name
from ui.resources import LoadedModel, generator_model, names_model, names_vocab

DEFAULT_LANGUAGE = "Italian"
DEFAULT_TEMPERATURE = 0.5
PLAY_SECONDS = 0.45  # one letter per tick: slow enough to read each step, a name takes a few seconds
HANDFUL = 5
TEMPERATURE_STEP = 0.05
MAX_SEED = 999_999  # short enough to read out; a link carries it, so the same name comes back


def key(name: str) -> str:
    return f"gen_{name}"


@st.cache_resource
def generator_vocab(chars: str) -> GeneratorVocab:
    return GeneratorVocab(chars)


@st.cache_resource
def known_names(_training_names: dict[str, str], digest: str) -> dict[str, list[str]]:
    """Training name -> its languages, built once per checkpoint (`digest` names it; the dict is not hashed)."""
    known: dict[str, list[str]] = {}
    for language, names in _training_names.items():
        for name in names.split("\n"):
            known.setdefault(name, []).append(language)
    return known


def visitor_rng() -> torch.Generator:
    """This visitor's own random draws: never the process-wide generator other visitors share."""
    if key("rng") not in st.session_state:
        st.session_state[key("rng")] = torch.Generator().manual_seed(secrets.randbits(63))
    return st.session_state[key("rng")]


def new_seed() -> int:
    return secrets.randbelow(MAX_SEED + 1)


def link_fields(languages: list[str]) -> tuple[LinkField, ...]:
    """The setup a link carries: the language, the temperature, the first letters, and the seed of the draws."""
    default_language = DEFAULT_LANGUAGE if DEFAULT_LANGUAGE in languages else languages[0]
    return (LinkField("language", key("language"), default_language, Choice(languages)),
            LinkField("temperature", key("temperature"), DEFAULT_TEMPERATURE,
                      Decimal(0.0, MAX_TEMPERATURE, TEMPERATURE_STEP)),
            LinkField("first", key("prefix"), "", Text(MAX_PREFIX_LENGTH)),
            LinkField("seed", key("seed"), new_seed(), WholeNumber(0, MAX_SEED)))


def describe_char(char: str) -> str:
    return f"{char!r} {unicodedata.name(char, f'U+{ord(char):04X}')}"


class Classifier:
    """The app's own name classifier, asked which language a generated name looks like (None: unavailable)."""

    def __init__(self, loaded: LoadedModel):
        self.loaded = loaded

    def top(self, names: list[str]) -> list[tuple[str, float] | None]:
        checkpoint = self.loaded.checkpoint
        if checkpoint is None or not names:
            return [None] * len(names)
        rows = classify_names(checkpoint.model, names_vocab(checkpoint.metadata.vocab), checkpoint.metadata.labels,
                              names)
        return [row.top[0] if row.top else None for row in rows]


def languages_text(languages: list[str]) -> str:
    return _(", ").join(language_name(language) for language in languages)


def side_by_side_table(greedy: GeneratedName, drawn: list[GeneratedName], known: dict[str, list[str]],
                       classifier: Classifier) -> pd.DataFrame:
    """One row per try: greedy's name (the same every time) beside a drawn one, and the drawn one's verdicts."""
    answers = classifier.top([story.name for story in drawn])
    yes, no, seen = _("yes"), _("no"), _("no ({languages})")
    return pd.DataFrame({
        _("greedy"): [greedy.name] * len(drawn),
        _("drawn"): [story.name for story in drawn],
        _("new?"): [yes if story.name not in known else seen.format(languages=languages_text(known[story.name]))
                    for story in drawn],
        _("classifier"): [f"{language_name(a[0])} {percent(a[1])}" if a else _("not available") for a in answers],
        _("agrees"): [(yes if a[0] == story.language else no) if a else "" for story, a in zip(drawn, answers)],
    })


def draw(language: str, temperature: float, prefix: str, seed: int, model: NameGenerator, vocab: GeneratorVocab,
         languages: list[str]) -> None:
    """A new story in the session, or the reason there is none. The seed makes it: a link brings it back."""
    try:
        story = generate_name(model, vocab, languages, language, temperature, prefix,
                              torch.Generator().manual_seed(seed))
    except GeneratorInputError as error:
        st.session_state[key("story")], st.session_state[key("problem")] = None, error.detached()  # shown translated
        return
    st.session_state[key("story")], st.session_state[key("problem")] = story, None
    st.session_state[key("shown")] = len(story.steps)


def invent(model: NameGenerator, vocab: GeneratorVocab, languages: list[str]) -> None:
    """The Invent button: a new name with the settings on screen and a new seed, written out letter by letter."""
    st.session_state[key("seed")] = new_seed()
    settings = (st.session_state[key("language")], st.session_state[key("temperature")],
                st.session_state[key("prefix")], st.session_state[key("seed")])
    draw(*settings, model, vocab, languages)
    st.session_state[key("settings")] = settings
    if st.session_state[key("story")] is not None:
        st.session_state[key("shown")], st.session_state[key("playing")] = 0, True  # each tick adds a letter


def step_once() -> None:
    story: GeneratedName = st.session_state[key("story")]
    st.session_state[key("playing")] = False
    st.session_state[key("shown")] = min(st.session_state[key("shown")] + 1, len(story.steps))


def set_playing(playing: bool) -> None:
    story: GeneratedName = st.session_state[key("story")]
    if playing and st.session_state[key("shown")] >= len(story.steps):
        st.session_state[key("shown")] = 0  # play from the first letter again: each tick adds one
    st.session_state[key("playing")] = playing


def restart() -> None:
    st.session_state[key("playing")], st.session_state[key("shown")] = False, 1


def show_whole() -> None:
    story: GeneratedName = st.session_state[key("story")]
    st.session_state[key("playing")], st.session_state[key("shown")] = False, len(story.steps)


def status_line(story: GeneratedName, shown: int) -> str:
    """What the last step shown did, in words (no user text: it goes to markdown)."""
    step = story.steps[shown - 1]
    if step.forced == "prefix":
        if story.temperature == 0:
            return _("Step {step}: a letter you gave (greedy would have taken the tallest bar).").format(step=shown)
        return _("Step {step}: a letter you gave; the model had given it {probability}.").format(
            step=shown, probability=percent(step.probability))
    if step.forced == "length":
        return _("Step {step}: the name reached the longest length allowed, so the end mark was forced.").format(
            step=shown)
    if story.temperature == 0:  # no draw: every probability shown would be certain or nil
        if shown == len(story.steps):
            return _("Step {step}: **the end mark won**: the name is finished. At temperature 0 the model always "
                     "takes the likeliest next letter, so it writes this same name every time.").format(step=shown)
        return _("Step {step}: took the likeliest letter, as temperature 0 always does.").format(step=shown)
    if shown == len(story.steps):
        return _("Step {step}: **the end mark won** ({probability}): the name is finished. The model gave the whole "
                 "name a chance of 1 in {odds}.").format(step=shown, probability=percent(step.probability),
                                                         odds=number(max(1, round(2 ** story.bits))))
    if step.probability >= float(step.probabilities.max()):
        line = _("Step {step}: drew a letter with probability {probability} (the likeliest); the end mark had {end}.")
    else:
        line = _("Step {step}: drew a letter with probability {probability} (not the likeliest); the end mark had "
                 "{end}.")
    return line.format(step=shown, probability=percent(step.probability), end=percent(step.end_probability))


def story_view(model: NameGenerator, vocab: GeneratorVocab, languages: list[str], known: dict[str, list[str]],
               classifier: Classifier, playing_at_start: bool) -> None:
    """The buttons, the name so far, this step's candidates and the story so far. A fragment: a step reruns
    only this part of the page."""
    keep_in_link("generate", link_fields(languages))  # Invent while playing reruns this fragment alone
    story: GeneratedName | None = st.session_state[key("story")]
    if story is None or st.session_state[key("playing")] != playing_at_start:
        st.rerun()  # Play, Pause or Invent was pressed: redraw the page, ticking only while it plays
    if st.session_state[key("playing")]:
        st.session_state[key("shown")] = min(st.session_state[key("shown")] + 1, len(story.steps))
        if st.session_state[key("shown")] >= len(story.steps):
            st.session_state[key("playing")] = False
            st.rerun()
    shown = max(1, st.session_state[key("shown")])
    complete = shown >= len(story.steps)
    with st.container(horizontal=True, gap="small"):
        st.button(_("Invent a name"), type="primary", icon=":material/auto_awesome:", key=key("invent_button"),
                  on_click=invent, args=(model, vocab, languages))
        st.button(_("Next letter"), key=key("next"), icon=":material/skip_next:", on_click=step_once,
                  disabled=complete)
        if st.session_state[key("playing")]:
            st.button(_("Pause"), key=key("pause"), icon=":material/pause:", on_click=set_playing, args=(False,))
        else:
            st.button(_("Play"), key=key("play"), icon=":material/play_arrow:", on_click=set_playing, args=(True,))
        st.button(_("Again"), key=key("restart"), icon=":material/replay:", on_click=restart, disabled=shown <= 1,
                  help=_("Write this name again from its first letter"))
        st.button(_("Finish"), key=key("whole"), icon=":material/fast_forward:", on_click=show_whole,
                  disabled=complete, help=_("Show the whole name at once"))
    left, right = st.columns([2, 3], gap="large")
    with left:
        caption = (_("Invented for {language}, temperature {temperature}") if complete
                   else _("Being invented for {language}, temperature {temperature}"))
        st.caption(caption.format(language=language_name(story.language), temperature=f"{story.temperature:g}"))
        with st.container(key="gen_name"):
            st.metric(_("The name"), story.name[: min(shown, len(story.name))] + ("" if complete else " …"),
                      label_visibility="collapsed")
        st.markdown(status_line(story, shown))
        if complete:
            if story.name in known:
                st.markdown(_("**Seen before**: this exact name is among the training names ({languages}).")
                            .format(languages=languages_text(known[story.name])))
            else:
                st.markdown(_("**New**: no training name is spelt like this."))
            answer = classifier.top([story.name])[0]
            if answer is None:
                st.caption(_("The name classifier is not available, so no second opinion."))
            elif answer[0] == story.language:
                st.markdown(_("**The classifier agrees**: it reads the name as {language} ({probability}).").format(
                    language=language_name(answer[0]), probability=percent(answer[1])))
            else:
                st.markdown(_("**The classifier disagrees**: it reads the name as {language} ({probability}), not "
                              "{asked}.").format(language=language_name(answer[0]), probability=percent(answer[1]),
                                                 asked=language_name(story.language)))
    with right, st.container(key="gen_step_chart"):
        st.vega_lite_chart(scaled(step_spec(story, shown - 1, vocab)), width="stretch")
    st.markdown(_("**The story so far**: each column is one step, labelled with what it took; down the column, "
                  "the five likeliest next characters (darker: likelier), the one taken boxed, and at the bottom "
                  "the end mark's chance, which grows until it wins."))
    if story.temperature == 0:
        st.caption(_("At temperature 0 the likeliest letter is always taken and no other letter has a chance, so "
                     "each column shows only the letter taken."))
    with st.container(key="gen_story_chart"):
        st.vega_lite_chart(scaled(story_spec(story, shown, vocab)), width="stretch")


def side_by_side(model: NameGenerator, vocab: GeneratorVocab, languages: list[str], settings: tuple,
                 known: dict[str, list[str]], classifier: Classifier) -> None:
    """Greedy (temperature 0) asked five times, beside five names drawn at the chosen temperature: the first
    five from the seed, as a link brings them back; five more from this visitor's own draws."""
    language, temperature, prefix, seed = settings
    more = st.session_state.get(key("more"))
    if st.session_state.get(key("handful_settings")) != settings or more:
        st.session_state[key("more")] = False
        rng = visitor_rng() if more else torch.Generator().manual_seed(seed + MAX_SEED + 1)  # not the story's draws
        try:
            greedy = generate_name(model, vocab, languages, language, 0.0, prefix)
            drawn = [generate_name(model, vocab, languages, language, temperature, prefix, rng)
                     for _try in range(HANDFUL)]
        except GeneratorInputError:
            return  # the message is already on the page, above
        st.session_state[key("handful")] = (greedy, drawn)
        st.session_state[key("handful_settings")] = settings
    greedy, drawn = st.session_state[key("handful")]
    st.markdown(_("**Why greedy repeats itself**: at temperature 0 the model always takes its likeliest next "
                  "letter, so the same language and first letters give the same name every time, and a likely "
                  "pair of letters can come round again and again. Drawing at random in proportion to the "
                  "probabilities gives a different, still plausible, name each time."))
    st.markdown(_("Asked {count} times: **greedy** (temperature 0) beside names **drawn** at temperature "
                  "{temperature}, with what the classifier reads in each drawn name.").format(
        count=HANDFUL, temperature=f"{temperature:g}"))
    if temperature == 0:
        st.caption(_("The temperature is 0, so the drawn names are greedy too: raise it to see variety."))
    st.dataframe(side_by_side_table(greedy, drawn, known, classifier), hide_index=True, key="gen_side_by_side")
    answer = classifier.top([greedy.name])[0]
    if answer is None:
        line = (_("Greedy's name is a training name.") if greedy.name in known else _("Greedy's name is new."))
    else:
        line = (_("Greedy's name is a training name; the classifier reads it as {language} ({probability}).")
                if greedy.name in known else
                _("Greedy's name is new; the classifier reads it as {language} ({probability})."))
        line = line.format(language=language_name(answer[0]), probability=percent(answer[1]))
    st.caption(line)
    st.button(_("Draw five more"), key=key("draw_more"), icon=":material/casino:",
              on_click=lambda: st.session_state.update({key("more"): True}))


WHAT_YOU_ARE_SEEING = N_("""
- **One to many**: the network gets one thing, the language (and any first letters you give), and writes a
  sequence: a surname, one character at a time, until it chooses to stop.
- **Each step**: the network has read a start mark and the letters so far, with the language beside every
  one; its memory (the hidden state) carries what it has read. Beside that memory it also looks up the last
  one to five letters directly, as they are and for this language, so endings such as -ski or -ov weigh in
  at once. Its output is a probability for every character it knows, and for the **end mark**. One is
  drawn at random in proportion to those probabilities, written down, and read back in as the next input.
- **Temperature** divides the network's scores before they become probabilities: below 1 the likely letters
  get likelier (sharper bars, safer names), above 1 the choice evens out (flatter bars, stranger names).
  At 0 it always takes the likeliest.
- **New or seen before**: the name is looked up among the training names. **The classifier** is the name
  classifier of this app, a different network: when it reads a generated name as the language asked for,
  the generator has caught something of that language's spelling.
""")

TRY_THIS = N_("""
- Press **Play** and watch the end mark's row: when does it win?
- Slide the **temperature** to 0.1, then to 1.5: how do the bars change, and the names?
- Same first letters, different languages: **Mac** in Irish and in Russian, **Ko** in Japanese and in Polish.
- Find a language where the classifier often disagrees (try Spanish and Portuguese, or English and
  Scottish): these are also the ones the classifier mixes up on real names.
- Set the temperature to 0 and press **Invent a name** again and again.
""")

def header(link: str | None) -> None:
    page_header(GENERATE, link=link)
    aside("intro").markdown(_("One to many: pick a language and a recurrent network invents a surname for it, "
                              "**one letter at a time**, showing at each step what it could have written next."))


loaded = generator_model()
if loaded.checkpoint is None:
    header(link=None)  # no setup to keep: the page has nothing to show but why
    st.error(_("The name generator is not available, so this page cannot invent names (the rest of the app "
               "still works). The reason:"), icon=":material/warning:")
    st.code(engine_words(loaded.error), language=None, wrap_lines=True)
    st.markdown(_(WHAT_YOU_ARE_SEEING))
else:
    metadata = loaded.checkpoint.metadata
    model, languages = loaded.checkpoint.model, metadata.labels
    vocab = generator_vocab(metadata.vocab)
    known = known_names(metadata.training_names, f"{metadata.data_digest}{metadata.saved_at}")
    classifier = Classifier(names_model())
    link = link_fields(languages)
    follow_link("generate", link)
    for field in link:
        st.session_state.setdefault(field.key, field.default)
    st.session_state.setdefault(key("playing"), False)
    header(keep_in_link("generate", link))
    link_notes("generate")
    language_column, temperature_column, prefix_column = st.columns([2, 3, 2], gap="medium")
    translate = bound_gettext()
    language = language_column.selectbox(_("Language"), languages, key=key("language"),
                                         format_func=lambda label: language_name(label, translate))
    temperature = temperature_column.slider(
        _("Temperature"), 0.0, MAX_TEMPERATURE, step=TEMPERATURE_STEP, key=key("temperature"),
        help=_("0: always the likeliest letter. 1: as the model learnt. Above 1: flatter, stranger."))
    prefix = prefix_column.text_input(_("First letters (optional)"), key=key("prefix"), placeholder=_("e.g. Ro"),
                                      help=_("Up to {count} letters the name must start with.").format(
                                          count=MAX_PREFIX_LENGTH))
    settings = (language, temperature, prefix, st.session_state[key("seed")])
    if st.session_state.get(key("settings")) != settings:
        draw(*settings, model, vocab, languages)  # new settings: a new name, shown whole
        st.session_state[key("playing")] = False
        st.session_state[key("settings")] = settings
    problem = st.session_state.get(key("problem"))
    if problem:
        st.info(engine_words(problem), icon=":material/edit:")  # the engine's words, no user text
        unknown = vocab.unknown_chars(unicodedata.normalize("NFC", prefix))
        if unknown:
            st.text(_("Characters the generator does not know:") + "\n" + "\n".join(describe_char(c) for c in unknown))
    else:
        playing = st.session_state[key("playing")]
        st.fragment(story_view, run_every=PLAY_SECONDS if playing else None)(model, vocab, languages, known,
                                                                               classifier, playing)
        st.subheader(_("Greedy and drawn, side by side"), anchor=False)
        side_by_side(model, vocab, languages, settings, known, classifier)
    seeing, trying = aside("explain").columns(2, gap="large")
    with seeing:
        st.subheader(_("What you are seeing"), anchor=False)
        st.markdown(_(WHAT_YOU_ARE_SEEING))
    with trying:
        st.subheader(_("Try this"), anchor=False)
        st.markdown(_(TRY_THIS))
    training = metadata.test_metrics
    if training is not None:
        names_count = metadata.pair_counts.get("train", 0)
        aside("model").caption(ngettext(
            "The model: a {layers}-layer {cell} of {hidden} units over characters, with a language embedding beside "
            "every character and a look-up of the last few characters beside its output, trained on the {count} "
            "name of the names-v1 training split. On the test names it needs {bits} bits per character; a "
            "{order}-gram Kneser-Ney model fitted on the same names needs {ngram_bits}.",
            "The model: a {layers}-layer {cell} of {hidden} units over characters, with a language embedding beside "
            "every character and a look-up of the last few characters beside its output, trained on the {count} "
            "names of the names-v1 training split. On the test names it needs {bits} bits per character; a "
            "{order}-gram Kneser-Ney model fitted on the same names needs {ngram_bits}.", names_count).format(
            layers=model.config.num_layers, cell=model.config.cell.upper(), hidden=model.config.hidden_size,
            count=number(names_count), bits=number(training.bits_per_character, 2), order=training.ngram_order,
            ngram_bits=number(training.ngram_bits_per_character, 2)))
