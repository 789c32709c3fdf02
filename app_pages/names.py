"""Name classifier: type a surname, see which language it most likely comes from, letter by letter.

User text is never rendered as markdown or HTML here: it reaches the screen only through st.text,
st.code, dataframes and (escaped) chart labels.
"""
from __future__ import annotations

import unicodedata

import pandas as pd
import streamlit as st

from rnn_core.checkpoint_meta import CheckpointMetadata, ClassifierMetrics
from rnn_core.data.names import CharVocab
from rnn_core.inference import (MAX_BATCH_NAMES, NameInputError, NameReading, classify_names, name_lines,
                                name_lines_from_file, read_name)
from rnn_core.models import NameClassifier, NameClassifierConfig
from ui.name_charts import (common_mix_ups, confusion_figure, data_counts_figure, prefix_heatmap, recall_by_language,
                            top_languages_figure)
from ui.resources import LoadedModel, names_model, names_vocab
from ui.session_models import session_models
from ui.words import counted

EXAMPLES = ["Nakamura", "O'Brien", "Schmidt", "Rossi", "Nguyen", "Dvořák", "Papadopoulos", "Kowalski"]
LIVE_DELAY = "150ms"  # the pause after a keystroke before the answer updates: feels live, spares reruns
SHOWN_TEXT_LENGTH = 60  # a bad line in the table is cut to this, so a 10,000-character line stays readable


def use_example(name: str) -> None:
    st.session_state["names_text"] = name


def describe_char(char: str) -> str:
    """'😀' -> "'😀' GRINNING FACE": repr shows invisible characters as escapes."""
    return f"{char!r} {unicodedata.name(char, f'U+{ord(char):04X}')}"


def show_answer(reading: NameReading) -> None:
    language, probability = reading.top(1)[0]
    with st.container(key="names_answer"):
        st.caption("Most likely language")
        st.subheader(language, anchor=False)
        st.text(f"{probability:.1%} for {reading.name}")
    if reading.unknown_chars:
        st.warning("Some characters never appear in the training names; the model reads each of them as "
                   "one “unknown” character:", icon=":material/warning:")
        st.text("\n".join(describe_char(c) for c in reading.unknown_chars))
    st.plotly_chart(top_languages_figure(reading.top(5)), key="names_top5", config={"displayModeBar": False})


@st.fragment
def one_name(model: NameClassifier, vocab: CharVocab, languages: list[str]) -> None:
    """The text box and its answer; a fragment, so typing reruns only this part of the page."""
    st.session_state.setdefault("names_text", EXAMPLES[0])  # open on an answer, not on an empty box
    st.text_input("Surname", key="names_text", live=LIVE_DELAY, placeholder="Type a surname, e.g. Nakamura",
                  help="The answer updates when you pause typing.")
    with st.container(horizontal=True, gap="small", vertical_alignment="center"):
        st.caption("Or try:", width="content")
        for example in EXAMPLES:
            st.button(example, key=f"names_try_{example}", type="tertiary", on_click=use_example,
                      args=(example,))
    try:
        reading = read_name(model, vocab, languages, st.session_state["names_text"])
    except NameInputError as error:
        st.info(str(error), icon=":material/edit:")  # the engine's own message: never contains the user's text
        return
    answer, letters = st.columns([2, 3], gap="large")
    with answer:
        show_answer(reading)
    with letters:
        st.markdown("**Letter by letter: the answer if the name stopped here**")
        st.plotly_chart(prefix_heatmap(reading), key="names_heatmap", config={"displayModeBar": False})
        st.caption("Each column is the whole model's answer for the name cut off after that character; the "
                   "last column is the final answer. These are not snapshots of one left-to-right reading: "
                   "the model also reads right to left, so each new letter changes how it reads the letters "
                   "before it. Shown: the final top five, and any language that led along the way.")


def spreadsheet_safe(text: str) -> str:
    """A cell that a spreadsheet opening the CSV will not run as a formula: text that would start one
    (=, +, -, @, or a tab or return before them) gets a ' in front, which spreadsheets show as text."""
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def show_batch(model: NameClassifier, vocab: CharVocab, languages: list[str], lines: list[tuple[int, str]],
               source: str) -> None:
    """Classify the lines and show the table with its CSV download, or say why not."""
    if not lines:
        st.info("No names here: every line is blank.")
        return
    try:
        rows = classify_names(model, vocab, languages, [text for _, text in lines])
    except NameInputError as error:
        st.error(str(error))
        return
    table = pd.DataFrame({
        "line": [number for number, _ in lines],
        "name": [row.text if len(row.text) <= SHOWN_TEXT_LENGTH else row.text[:SHOWN_TEXT_LENGTH] + "…"
                 for row in rows],
        "top-1": [row.top[0][0] if row.top else "" for row in rows],
        "confidence": [row.top[0][1] if row.top else None for row in rows],
        "problem": [row.error for row in rows],
        "top-3": [" · ".join(f"{language} {p:.0%}" for language, p in row.top) for row in rows],
        "unknown characters": [" ".join(row.unknown_chars) for row in rows],
    })
    problems = sum(bool(row.error) for row in rows)
    st.caption(f"{counted(len(rows) - problems, 'name')} classified; {counted(problems, 'line')} with a problem "
               "(the reason is in the problem column; hover over it to read it all).")
    st.dataframe(table, hide_index=True, key=f"names_table_{source}", column_config={
        "confidence": st.column_config.ProgressColumn(format="percent", min_value=0.0, max_value=1.0),
        "problem": st.column_config.TextColumn(width="medium"),
        "top-3": st.column_config.TextColumn(width="medium")})
    csv = table.assign(name=table["name"].map(spreadsheet_safe)).to_csv(index=False)
    st.download_button("Download the table as CSV", csv.encode("utf-8"),
                       file_name="name-languages.csv", mime="text/csv", icon=":material/download:",
                       key=f"names_download_{source}", on_click="ignore")


@st.fragment
def many_names(model: NameClassifier, vocab: CharVocab, languages: list[str]) -> None:
    paste, upload = st.tabs(["Paste a list", "Upload a file"])
    with paste:
        text = st.text_area(f"One surname a line, up to {MAX_BATCH_NAMES:,}", key="names_batch_text",
                            height=180, placeholder="Nakamura\nO'Brien\nSchmidt",
                            help="Press Ctrl+Enter (or click outside the box) to classify.")
        if text.strip():
            show_batch(model, vocab, languages, name_lines(text), "paste")
    with upload:
        file = st.file_uploader("A .txt file (one name a line) or a .csv file (names in the first column; a "
                                "header such as name or surname is skipped)", type=["txt", "csv"],
                                key="names_batch_file", max_upload_size=5)
        if file is not None:
            try:
                lines = name_lines_from_file(file.getvalue(), file.name)
            except NameInputError as error:
                st.error(str(error))
            else:
                show_batch(model, vocab, languages, lines, "upload")


def model_description(config: NameClassifierConfig, metadata: CheckpointMetadata) -> str:
    """The model card's paragraph: the model, the data, the decision rule (each as far as recorded)."""
    plural = "s" if config.num_members > 1 else ""
    parts = [f"**The model**: {config.num_members} character-level "
             f"{'bidirectional ' if config.bidirectional else ''}{config.cell.upper()}{plural}, "
             f"{config.num_layers} layer{'s' if config.num_layers > 1 else ''} of {config.hidden_size} units"
             f"{', their answers averaged' if config.num_members > 1 else ''}"]
    if config.naive_bayes_buckets:
        parts.append(f", with a naive Bayes vote over the name's {min(config.ngram_sizes)}- to "
                     f"{max(config.ngram_sizes)}-letter pieces (how often each piece occurs in each "
                     f"language's training names)")
    parts.append(". **The data** (split names-v1): the unique (surname, language) pairs of the PyTorch names "
                 "tutorial; a name is a test name when a hash of it says so (crc32 mod 5 = 0), so no name is "
                 "on both sides. ")
    pairs = metadata.pair_counts
    if pairs:
        parts.append(f"{pairs.get('train', 0):,} training pairs and {pairs.get('test', 0):,} test pairs. ")
    parts.append("Accuracy counts every test name the same, so the languages with most names dominate it; "
                 "balanced accuracy gives each language an equal say.")
    rule = metadata.decision_rule
    if rule is None:
        return "".join(parts)
    strength, folds, vote = rule.prior_strength, rule.folds, rule.naive_bayes_weight
    voted = bool(config.naive_bayes_buckets) and vote is not None
    parts.append(" **The decision rule**: ")
    if voted:
        parts.append(f"the networks learn how common each language is, so they lean towards the biggest ones; "
                     f"the vote knows nothing of that, so adding it (weight {vote:g}) keeps the small "
                     f"languages in the running. ")
    if strength > 0 or not voted:
        parts.append(f"The probabilities are corrected for how common each language is in the data "
                     f"(strength {strength:g}), or the model would answer the biggest languages far too often. ")
    chosen = "Both were" if voted and strength > 0 else "The weight was" if voted else "The strength was"
    parts.append(f"{chosen} chosen on training names answered by members that never saw them"
                 f"{f' ({folds}-fold cross-fitting)' if folds else ''}; the test names were only measured.")
    return "".join(parts)


def plain_summary(metadata: CheckpointMetadata) -> str:
    """The model card's first words, for students: how often it is right, and where it is weak."""
    metrics = metadata.test_metrics or ClassifierMetrics()
    recall = recall_by_language(metrics, metadata.labels)
    if metrics.accuracy is None:
        return "This model's test results were not recorded."
    words = (f"**In short**: on surnames it never saw while learning, this model names the right language "
             f"about {round(100 * metrics.accuracy)} times in 100.")
    if len(recall) >= 6:
        ranked = sorted(recall, key=recall.get)
        words += (f" It is best at languages with many names in its data ({', '.join(ranked[-3:][::-1])}) and "
                  f"weakest at {', '.join(ranked[:3])}, which have few names or share many with a neighbour.")
    return words


def model_card(model: NameClassifier, metadata: CheckpointMetadata) -> None:
    languages = metadata.labels
    metrics = metadata.test_metrics or ClassifierMetrics()
    config = model.config
    def recorded(key: str, spec: str) -> str:
        value = getattr(metrics, key)
        return "not recorded" if value is None else format(value, spec)

    st.markdown(plain_summary(metadata))

    accuracy, balanced, examples = st.columns(3)
    accuracy.metric("Accuracy", recorded("accuracy", ".1%"),
                    help="Share of the test names whose language is the top answer.")
    balanced.metric("Balanced accuracy", recorded("balanced_accuracy", ".1%"),
                    help="The mean of the per-language recalls: every language counts the same, "
                         "however many names it has.")
    examples.metric("Test names", recorded("examples", ","))
    with st.expander("How it was made: the model, the data, the decision rule"):
        st.markdown(model_description(config, metadata))
    confusion, counts = st.columns([3, 2], gap="large")
    with confusion:
        st.markdown("**Confusion matrix**, each row divided by its true language's test names "
                    "(the diagonal is that language's recall)")
        if len(metrics.confusion or []) == len(languages):
            st.plotly_chart(confusion_figure(metrics.confusion, languages), key="names_confusion",
                            config={"displayModeBar": False})
            mix_ups = common_mix_ups(metrics.confusion, languages)
            st.markdown("**Most common mix-ups**: " + "; ".join(
                f"{true} names read as {answered} ({share:.0%})" for true, answered, share in mix_ups) + ".")
        else:
            st.info("This checkpoint does not record a confusion matrix.")
    with counts:
        st.markdown("**How many names each language has**, and how well the model does on it")
        line_counts = metadata.line_counts
        if line_counts:
            st.plotly_chart(data_counts_figure(line_counts, recall_by_language(metrics, languages)),
                            key="names_counts", config={"displayModeBar": False})
            biggest, smallest = max(line_counts, key=line_counts.get), min(line_counts, key=line_counts.get)
            ratio = line_counts[biggest] / max(line_counts[smallest], 1)
            st.caption(f"{biggest} has {ratio:.0f} times as many lines as {smallest}: that imbalance is why "
                       "accuracy and balanced accuracy differ.")
        else:
            st.info("This checkpoint does not record its data counts.")


WHAT_YOU_ARE_SEEING = """
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
"""

TRY_THIS = """
- Type **Kimura** slowly: what does the model think after *Kim*?
- Compare **Smith**, **Schmidt** and **Smirnov**: after which letter do they part ways?
- Add or drop one final letter: **Ross** / **Rossi**, **Ivan** / **Ivanov**.
- Type a name in another script, e.g. **Иванов**: the model has only seen Latin letters.
- Paste the surnames of people you know under *Many names at once* and download the table.
"""

st.title("Name classifier")
st.markdown("Type a surname. A recurrent network reads it one character at a time, from both ends, and "
            "says which language in its training data the name most likely comes from.")

# The shipped model, then this visitor's own (trained or uploaded on the training page).
choices = {"Shipped BiGRU ensemble": names_model(),
           **{label: LoadedModel(checkpoint) for label, checkpoint in session_models("name_classifier").items()}}
chosen = st.radio("Model", list(choices), horizontal=True, key="names_model") if len(choices) > 1 else None
loaded = choices[chosen or "Shipped BiGRU ensemble"]
if loaded.checkpoint is None:
    st.error("The name model is not available, so this page cannot classify names (the rest of the app "
             "still works). The reason:", icon=":material/warning:")
    st.code(loaded.error, language=None, wrap_lines=True)
    st.markdown(WHAT_YOU_ARE_SEEING)
else:
    metadata = loaded.checkpoint.metadata
    model, labels = loaded.checkpoint.model, metadata.labels
    vocab = names_vocab(metadata.vocab)
    one_name(model, vocab, labels)
    seeing, trying = st.columns(2, gap="large")
    with seeing:
        st.subheader("What you are seeing", anchor=False)
        st.markdown(WHAT_YOU_ARE_SEEING)
    with trying:
        st.subheader("Try this", anchor=False)
        st.markdown(TRY_THIS)
    st.header("Many names at once", anchor=False)
    many_names(model, vocab, labels)
    st.header("Model card", anchor=False)
    model_card(model, metadata)
