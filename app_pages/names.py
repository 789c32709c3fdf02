"""Name classifier: type a surname, see which language it most likely comes from, letter by letter.

User text is never rendered as markdown or HTML here: it reaches the screen only through st.text,
st.code, dataframes and (escaped) chart labels.
"""
from __future__ import annotations

import unicodedata

import pandas as pd
import streamlit as st

from rnn_core.checkpoint_meta import CheckpointMetadata, ClassifierMetrics
from rnn_core.names.data import CharVocab
from rnn_core.names.inference import (
    MAX_BATCH_NAMES, MAX_NAME_LENGTH, NameInputError, NameReading, classify_names, name_lines, name_lines_from_file,
    read_name,
)
from rnn_core.names.model import NameClassifier, NameClassifierConfig
from ui.engine_words import engine_words
from ui.live_updates import interactive_run
from ui.i18n import N_, _, join_sentences, ngettext, number, percent, uploader_note
from ui.page_header import page_header
from ui.page_links import LinkField, Text, follow_link, keep_in_link, link_notes
from ui.pages import NAMES
from ui.projector import aside, scaled
from ui.name_charts import (common_mix_ups, confusion_figure, data_counts_figure, language_name,
                            prefix_heatmap_spec, recall_by_language, top_languages_spec)
from ui.resources import LoadedModel, names_model, names_vocab
from ui.session_models import session_models

EXAMPLES = ["Nakamura", "O'Brien", "Schmidt", "Rossi", "Nguyen", "Procházka", "Papadopoulos", "Kowalski"]
LIVE_DELAY = "150ms"  # the pause after a keystroke before the answer updates: feels live, spares reruns
SHOWN_TEXT_LENGTH = 60  # a bad line in the table is cut to this, so a 10,000-character line stays readable
SHIPPED = "shipped"  # the shipped model's key among the choices (its label is translated where shown)
MAX_UPLOAD_MB = 5  # a list of names: far below the server's limit for checkpoints
LINK = (LinkField("name", "names_text", EXAMPLES[0], Text(MAX_NAME_LENGTH)),)  # the setup a link carries


def use_example() -> None:
    """A chosen example fills the box, and its pill lets go, so that it can be chosen again."""
    if st.session_state["names_examples"] is not None:
        st.session_state["names_text"] = st.session_state["names_examples"]
        st.session_state["names_examples"] = None


def describe_char(char: str) -> str:
    """'😀' -> "'😀' GRINNING FACE": repr shows invisible characters as escapes."""
    return f"{char!r} {unicodedata.name(char, f'U+{ord(char):04X}')}"


def show_answer(reading: NameReading) -> None:
    language, probability = reading.top(1)[0]
    with st.container(key="names_answer"):
        st.caption(_("Most likely language"))
        st.subheader(language_name(language), anchor=False)
        st.text(_("{share} for {name}").format(share=percent(probability, 1), name=reading.name))
    if reading.unknown_chars:
        st.warning(_("Some characters never appear in the training names; the model reads each of them as "
                     "one “unknown” character:"), icon=":material/warning:")
        st.text("\n".join(describe_char(c) for c in reading.unknown_chars))
    with st.container(key="names_top5"):  # a Vega-Lite chart drawn without a selection takes no key of its own
        st.vega_lite_chart(scaled(top_languages_spec(reading.top(5))), width="stretch")


@st.fragment
@interactive_run  # live ticks hold back while it answers
def one_name(model: NameClassifier, vocab: CharVocab, languages: list[str]) -> None:
    """The text box and its answer; a fragment, so typing reruns only this part of the page."""
    st.session_state.setdefault("names_text", EXAMPLES[0])  # open on an answer, not on an empty box
    st.text_input(_("Surname"), key="names_text", live=LIVE_DELAY, placeholder=_("Type a surname, e.g. Nakamura"),
                  help=_("The answer updates when you pause typing."))
    # One widget, not a button per example: each element is a message of its own on every letter typed.
    st.pills(_("Or try:"), EXAMPLES, key="names_examples", on_change=use_example)
    keep_in_link("names", LINK)  # typing reruns this fragment alone
    try:
        reading = read_name(model, vocab, languages, st.session_state["names_text"])
    except NameInputError as error:
        st.info(engine_words(error), icon=":material/edit:")  # the engine's message: never the user's text
        return
    answer, letters = st.columns([2, 3], gap="large")
    with answer:
        show_answer(reading)
    with letters:
        st.markdown(_("**Letter by letter: the answer if the name stopped here**"))
        with st.container(key="names_heatmap"):
            st.vega_lite_chart(scaled(prefix_heatmap_spec(reading)), width="stretch")
        st.caption(_("Each column is the whole model's answer for the name cut off after that character; the "
                     "last column is the final answer. These are not snapshots of one left-to-right reading: "
                     "the model also reads right to left, so each new letter changes how it reads the letters "
                     "before it. Shown: the final top five, and any language that led along the way."))


def spreadsheet_safe(text: str) -> str:
    """A cell that a spreadsheet opening the CSV will not run as a formula: text that would start one
    (=, +, -, @, or a tab or return before them) gets a ' in front, which spreadsheets show as text."""
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def show_batch(model: NameClassifier, vocab: CharVocab, languages: list[str], lines: list[tuple[int, str]],
               source: str) -> None:
    """Classify the lines and show the table with its CSV download, or say why not."""
    if not lines:
        st.info(_("No names here: every line is blank."))
        return
    try:
        rows = classify_names(model, vocab, languages, [text for _, text in lines])
    except NameInputError as error:
        st.error(engine_words(error))
        return
    # The column headers (also the CSV's) in the visitor's language; names and languages' scores as they are.
    line, name, top1, confidence, problem, top3, unknown = (
        _("line"), _("name"), _("top-1"), _("confidence"), _("problem"), _("top-3"), _("unknown characters"))
    table = pd.DataFrame({
        line: [number for number, _text in lines],
        name: [row.text if len(row.text) <= SHOWN_TEXT_LENGTH else row.text[:SHOWN_TEXT_LENGTH] + "…"
               for row in rows],
        top1: [language_name(row.top[0][0]) if row.top else "" for row in rows],
        confidence: [row.top[0][1] if row.top else None for row in rows],
        problem: [engine_words(row.error) if row.error else "" for row in rows],
        top3: [" · ".join(f"{language_name(language)} {percent(p)}" for language, p in row.top) for row in rows],
        unknown: [" ".join(row.unknown_chars) for row in rows],
    })
    problems = sum(bool(row.error) for row in rows)
    classified = len(rows) - problems
    st.caption(ngettext("{count} name classified", "{count} names classified", classified).format(
        count=number(classified)) + _("; ") + ngettext(
            "{count} line with a problem (the reason is in the problem column; hover over it to read it all).",
            "{count} lines with a problem (the reason is in the problem column; hover over it to read it all).",
            problems).format(count=number(problems)))
    st.dataframe(table, hide_index=True, key=f"names_table_{source}", column_config={
        confidence: st.column_config.ProgressColumn(format="percent", min_value=0.0, max_value=1.0),
        problem: st.column_config.TextColumn(width="medium"),
        top3: st.column_config.TextColumn(width="medium")})
    csv = table.assign(**{name: table[name].map(spreadsheet_safe)}).to_csv(index=False)
    st.download_button(_("Download the table as CSV"), csv.encode("utf-8"),
                       file_name="name-languages.csv", mime="text/csv", icon=":material/download:",
                       key=f"names_download_{source}", on_click="ignore")


@st.fragment
@interactive_run  # live ticks hold back while it answers
def many_names(model: NameClassifier, vocab: CharVocab, languages: list[str]) -> None:
    paste, upload = st.tabs([_("Paste a list"), _("Upload a file")])
    with paste:
        text = st.text_area(_("One surname a line, up to {count}").format(count=number(MAX_BATCH_NAMES)),
                            key="names_batch_text", height=180, placeholder="Nakamura\nO'Brien\nSchmidt",
                            help=_("Press Ctrl+Enter (or click outside the box) to classify."))
        if text.strip():
            show_batch(model, vocab, languages, name_lines(text), "paste")
    with upload:
        uploader_note(MAX_UPLOAD_MB)
        file = st.file_uploader(_("A .txt file (one name a line) or a .csv file (names in the first column; a "
                                  "header such as name or surname is skipped)"), type=["txt", "csv"],
                                key="names_batch_file", max_upload_size=MAX_UPLOAD_MB)
        if file is not None:
            try:
                lines = name_lines_from_file(file.getvalue(), file.name)
            except NameInputError as error:
                st.error(engine_words(error))
            else:
                show_batch(model, vocab, languages, lines, "upload")


def model_description(config: NameClassifierConfig, metadata: CheckpointMetadata) -> str:
    """The model card's paragraph: the model, the data, the decision rule (each as far as recorded)."""
    members, layers = config.num_members, config.num_layers
    cell = config.cell.upper()
    if config.bidirectional:
        networks = ngettext("{count} character-level bidirectional {cell}", "{count} character-level bidirectional "
                            "{cell}s", members).format(count=members, cell=cell)
    else:
        networks = ngettext("{count} character-level {cell}", "{count} character-level {cell}s",
                            members).format(count=members, cell=cell)
    size = ngettext("{layers} layer of {units} units", "{layers} layers of {units} units", layers).format(
        layers=layers, units=config.hidden_size)
    parts = [_("**The model**: {networks}, {size}").format(networks=networks, size=size)]
    if members > 1:
        parts.append(_(", their answers averaged"))
    if config.naive_bayes_buckets:
        parts.append(_(", with a naive Bayes vote over the name's {low}- to {high}-letter pieces (how often each "
                       "piece occurs in each language's training names)").format(
                           low=min(config.ngram_sizes), high=max(config.ngram_sizes)))
    parts.append(_(". **The data** (split names-v1): the unique (surname, language) pairs of the PyTorch names "
                   "tutorial; a name is a test name when a hash of it says so (crc32 mod 5 = 0), so no name is "
                   "on both sides. "))
    pairs = metadata.pair_counts
    if pairs:
        parts.append(_("{train} training pairs and {test} test pairs. ").format(
            train=number(pairs.get("train", 0)), test=number(pairs.get("test", 0))))
    parts.append(_("Accuracy counts every test name the same, so the languages with most names dominate it; "
                   "balanced accuracy gives each language an equal say."))
    recipe = "".join(parts)
    rule = metadata.decision_rule
    if rule is None:
        return recipe
    strength, folds, vote = rule.prior_strength, rule.folds, rule.naive_bayes_weight
    voted = bool(config.naive_bayes_buckets) and vote is not None
    parts = [_("**The decision rule**: ")]  # the rule's clauses, a sentence after the recipe's
    if voted:
        parts.append(_("the networks learn how common each language is, so they lean towards the biggest ones; "
                       "the vote knows nothing of that, so adding it (weight {weight}) keeps the small "
                       "languages in the running. ").format(weight=f"{vote:g}"))
    if strength > 0 or not voted:
        parts.append(_("The probabilities are corrected for how common each language is in the data "
                       "(strength {strength}), or the model would answer the biggest languages far too "
                       "often. ").format(strength=f"{strength:g}"))
    chosen = (_("Both were chosen on training names answered by members that never saw them") if voted and strength > 0
              else _("The weight was chosen on training names answered by members that never saw them") if voted
              else _("The strength was chosen on training names answered by members that never saw them"))
    folded = _(" ({folds}-fold cross-fitting)").format(folds=folds) if folds else ""
    parts.append(chosen + folded + _("; the test names were only measured."))
    return join_sentences([recipe, "".join(parts)])


def plain_summary(metadata: CheckpointMetadata) -> str:
    """The model card's first words, for students: how often it is right, and where it is weak."""
    metrics = metadata.test_metrics or ClassifierMetrics()
    recall = recall_by_language(metrics, metadata.labels)
    if metrics.accuracy is None:
        return _("This model's test results were not recorded.")
    words = [_("**In short**: on surnames it never saw while learning, this model names the right language "
               "about {count} times in 100.").format(count=round(100 * metrics.accuracy))]
    if len(recall) >= 6:
        ranked = [language_name(language) for language in sorted(recall, key=recall.get)]
        words.append(_("It is best at languages with many names in its data ({best}) and weakest at {worst}, "
                       "which have few names or share many with a neighbour.").format(
                           best=_(", ").join(ranked[-3:][::-1]), worst=_(", ").join(ranked[:3])))
    return join_sentences(words)


def model_card(model: NameClassifier, metadata: CheckpointMetadata) -> None:
    languages = metadata.labels
    metrics = metadata.test_metrics or ClassifierMetrics()
    config = model.config
    def recorded(key: str, spec: str) -> str:
        value = getattr(metrics, key)
        if value is None:
            return _("not recorded")
        return percent(value, 1) if spec == ".1%" else number(value)

    st.markdown(plain_summary(metadata))

    accuracy, balanced, examples = st.columns(3)
    accuracy.metric(_("Accuracy"), recorded("accuracy", ".1%"),
                    help=_("Share of the test names whose language is the top answer."))
    balanced.metric(_("Balanced accuracy"), recorded("balanced_accuracy", ".1%"),
                    help=_("The mean of the per-language recalls: every language counts the same, "
                           "however many names it has."))
    examples.metric(_("Test names"), recorded("examples", ","))
    with st.expander(_("How it was made: the model, the data, the decision rule")):
        st.markdown(model_description(config, metadata))
    confusion, counts = st.container(), st.container()  # one above the other: each needs the full width
    with confusion:
        st.markdown(_("**Confusion matrix**, each row divided by its true language's test names "
                      "(the diagonal is that language's recall)"))
        if len(metrics.confusion or []) == len(languages):
            st.plotly_chart(confusion_figure(metrics.confusion, languages), key="names_confusion",
                            config={"displayModeBar": False})
            mix_ups = common_mix_ups(metrics.confusion, languages)
            st.markdown(_("**Most common mix-ups**: {list}.").format(list=_("; ").join(
                _("{true} names read as {answered} ({share})").format(
                    true=language_name(true), answered=language_name(answered), share=percent(share))
                for true, answered, share in mix_ups)))
        else:
            st.info(_("This checkpoint does not record a confusion matrix."))
    with counts:
        st.markdown(_("**How many names each language has**, and how well the model does on it"))
        line_counts = metadata.line_counts
        if line_counts:
            st.plotly_chart(data_counts_figure(line_counts, recall_by_language(metrics, languages)),
                            key="names_counts", config={"displayModeBar": False})
            biggest, smallest = max(line_counts, key=line_counts.get), min(line_counts, key=line_counts.get)
            ratio = line_counts[biggest] / max(line_counts[smallest], 1)
            st.caption(_("{biggest} has {ratio} times as many lines as {smallest}: that imbalance is why "
                         "accuracy and balanced accuracy differ.").format(
                             biggest=language_name(biggest), ratio=f"{ratio:.0f}", smallest=language_name(smallest)))
        else:
            st.info(_("This checkpoint does not record its data counts."))


WHAT_YOU_ARE_SEEING = N_("""
- **The answer**: the five most likely languages of origin for the name in the box, with the model's
  probabilities.
- **Letter by letter**: the answer for each beginning of the name (N, Na, Nak, …). The network is
  *bidirectional*: one GRU reads the name left to right, another right to left, and the answer joins
  what both ends found. So a language can lead early and still lose when the last letters arrive.
- **The vote**: beside its networks, the shipped model counts how often each 1- to 4-letter piece of the
  name occurs in each language's training names (a naive Bayes classifier) and adds that vote to their
  answer. The model card below says how much it counts.
- Letters the model never saw in training (other scripts, digits, symbols) are all read as one
  "unknown" character; the page lists them next to the answer.
""")

TRY_THIS = N_("""
- Type **Kimura** slowly: what does the model think after *Kim*?
- Compare **Smith**, **Schmidt** and **Smirnov**: after which letter do they part ways?
- Add or drop one final letter: **Ross** / **Rossi**, **Ivan** / **Ivanov**.
- Type a name in another script, e.g. **Иванов**: the model has only seen Latin letters.
- Paste the surnames of people you know under *Many names at once* and download the table.
""")

follow_link("names", LINK)
page_header(NAMES, link=keep_in_link("names", LINK))
link_notes("names")
aside("intro").markdown(_("Type a surname. A recurrent network reads it one character at a time, from both "
                          "ends, and says which language in its training data the name most likely comes from."))

# The shipped model, then this visitor's own (trained or uploaded on the training page).
choices = {SHIPPED: names_model(),
           **{label: LoadedModel(checkpoint) for label, checkpoint in session_models("name_classifier").items()}}
shipped_label = _("Shipped BiGRU ensemble")
chosen = st.radio(_("Model"), list(choices), horizontal=True, key="names_model",
                  format_func=lambda choice: shipped_label if choice == SHIPPED else choice
                  ) if len(choices) > 1 else None
loaded = choices[chosen or SHIPPED]
if loaded.checkpoint is None:
    st.error(_("The name model is not available, so this page cannot classify names (the rest of the app "
               "still works). The reason:"), icon=":material/warning:")
    st.code(engine_words(loaded.error), language=None, wrap_lines=True)
    st.markdown(_(WHAT_YOU_ARE_SEEING))
else:
    metadata = loaded.checkpoint.metadata
    model, labels = loaded.checkpoint.model, metadata.labels
    vocab = names_vocab(metadata.vocab)
    one_name(model, vocab, labels)
    seeing, trying = aside("explain").columns(2, gap="large")
    with seeing:
        st.subheader(_("What you are seeing"), anchor=False)
        st.markdown(_(WHAT_YOU_ARE_SEEING))
    with trying:
        st.subheader(_("Try this"), anchor=False)
        st.markdown(_(TRY_THIS))
    with aside("more"):  # for a class's own time: the demo is the one name above
        st.header(_("Many names at once"), anchor=False)
        many_names(model, vocab, labels)
        st.header(_("Model card"), anchor=False)
        model_card(model, metadata)
