"""The Chinese interface: every message has a translation that keeps its placeholders, every page renders
in Chinese, and no English sentence is left on a page shown in Chinese."""
from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Sequence
import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po
from streamlit.testing.v1 import AppTest

from harness.server import APP_PATH, REPO
from ui import i18n

CATALOG = REPO / "locales" / "zh_CN" / "LC_MESSAGES" / "messages.po"
SOURCES = [REPO / "app.py", *sorted((REPO / "app_pages").glob("*.py")), *sorted((REPO / "ui").glob("*.py"))]
BRACES = re.compile(r"\{[^{}]*\}")  # str.format fields, and the braces of LaTeX, which must survive too


def code_messages() -> dict[str, tuple[str, ...]]:
    """msgid -> (msgid, plural...) of every message the code asks for, found as `pybabel extract` finds them."""
    method_map = [("app.py", "python"), ("app_pages/**.py", "python"), ("ui/**.py", "python")]
    found = {}
    for _filename, _line, message, _comments, _context in extract_from_dir(str(REPO), method_map):
        forms = message if isinstance(message, tuple) else (message,)
        found[forms[0]] = forms
    return found


@pytest.fixture(scope="module")
def catalog():
    with CATALOG.open("rb") as file:
        return read_po(file, locale="zh_CN")


def test_the_code_asks_for_messages():
    assert "RNN Playground" in code_messages()


def test_every_message_has_a_chinese_translation(catalog):
    missing = []
    for msgid, forms in code_messages().items():
        entry = catalog.get(forms if len(forms) > 1 else msgid)
        strings = (entry.string if isinstance(entry.string, tuple) else (entry.string,)) if entry else ()
        if entry is None or entry.fuzzy or not all(strings):
            missing.append(msgid)
    assert not missing, "run scripts/update_translations.sh and translate:\n" + "\n".join(missing)


def test_translations_keep_their_placeholders(catalog):
    wrong = []
    for entry in catalog:
        if not entry.id or not entry.string:
            continue
        ids = entry.id if isinstance(entry.id, tuple) else (entry.id,)
        strings = entry.string if isinstance(entry.string, tuple) else (entry.string,)
        wanted = Counter(BRACES.findall(ids[-1]))  # the plural's fields (the singular may spell out the 1)
        for string in strings:
            if string and Counter(BRACES.findall(string)) != wanted:
                wrong.append(f"{ids[0]!r} -> {string!r}")
    assert not wrong, "\n".join(wrong)


def test_the_catalog_compiles_without_an_error(catalog):
    """pybabel compile's own checks, e.g. a message Babel reads as a %-format whose translation is not one."""
    errors = [f"{message.id!r}: {error}" for message, errors in catalog.check() for error in errors]
    assert not errors, "\n".join(errors)


def test_no_message_is_looked_up_inside_an_f_string():
    """Babel's extractor does not see _() inside an f-string: such a message would never be translated."""
    inside = re.compile(r"""\bf(["']).*\{(_|ngettext)\(""")
    offenders = [f"{path.relative_to(REPO)}:{number}" for path in SOURCES
                 for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
                 if inside.search(line)]
    assert not offenders, offenders


def test_the_language_is_per_visitor_and_english_outside_a_run():
    assert i18n.current_language() == "en" and i18n._("Home") == "Home"
    assert i18n.translations("zh").gettext("Home") == "首页"
    threads = i18n.translations("zh").ngettext("CPU · {count} thread", "CPU · {count} threads", 3)
    assert threads == "CPU · {count} 个线程"


def test_numbers_for_the_locale():
    assert i18n.percent(0.97314, 2) == "97.31%" and i18n.number(12345.678, 1) == "12,345.7"
    assert i18n.percent(float("nan")) == "–"


# ---- the pages, in Chinese ----------------------------------------------------------------------------

PAGES = ["app_pages/home.py", "app_pages/digits.py", "app_pages/waves.py", "app_pages/memory.py",
         "app_pages/inside.py", "app_pages/names.py", "app_pages/generate.py", "app_pages/train.py"]
ENGLISH_RUN = re.compile(r"[A-Za-z][a-z']+(?:[ ,;:]+[A-Za-z][a-z']+)+")  # two or more English words in a row
ALLOWED = [  # code, identifiers and names the Chinese text keeps as they are
    re.compile(r"`[^`]*`"), re.compile(r"\$[^$]*\$"), re.compile(r"<[^>]*>"),  # inline code, LaTeX, markup
    re.compile(r"(?<![\w.])/[\w./-]+"),  # a path
    re.compile(r"\bnn\.\w+"), re.compile(r":material/\w+:"), re.compile(r"https?://\S+"),
    re.compile(r"\b(RNN|LSTM|GRU|BiGRU|MNIST|MSE|BPTT|CPU|CUDA|GPU|Apple MPS|PyTorch|Streamlit)\b"),
]


@pytest.fixture(autouse=True)
def no_data(monkeypatch, tmp_path):
    """An empty data folder: the pages show their data-missing messages too, which must be in Chinese."""
    monkeypatch.setenv("RNN_DATA_DIR", str(tmp_path))


def open_in_chinese(page: str | None = None) -> AppTest:
    at = AppTest.from_file(APP_PATH, default_timeout=60)
    at.query_params["lang"] = "zh"
    at.run()
    if page:
        at.switch_page(page).run()
    return at


SHOWN_FIELDS = {"body", "label", "help", "placeholder", "options", "content", "caption", "delta"}
CHART_KEYS = {"text", "title", "subtitle", "hovertemplate", "name", "ticktext", "series"}  # plotly, Vega-Lite


def shown_texts(at: AppTest) -> list[str]:
    """Every word the rendered page shows: the shown string fields of each element's message (body, label,
    help, options...), and a chart's titles, axis titles, series names and hover text."""
    texts: list[str] = []

    def chart(value) -> None:
        if isinstance(value, dict):
            for key, inner in value.items():
                if key in CHART_KEYS and isinstance(inner, str):
                    texts.append(inner)
                elif key == "domain" and isinstance(inner, list):  # a legend's labels
                    texts.extend(label for label in inner if isinstance(label, str))
                else:
                    chart(inner)
        elif isinstance(value, list):
            for inner in value:
                chart(inner)

    def fields(message) -> None:
        for field, value in message.ListFields():
            if field.name == "spec" and isinstance(value, str) and value.startswith("{"):  # a chart's JSON
                chart(json.loads(value))
                continue
            for item in (value if isinstance(value, Sequence) and not isinstance(value, str) else [value]):
                if hasattr(item, "ListFields"):
                    fields(item)
                elif isinstance(item, str) and field.name in SHOWN_FIELDS:
                    texts.append(item)

    def visit(node) -> None:
        if getattr(node, "type", None) == "html" and node.proto.body.startswith(("<style>", "<script>")):
            return  # the app's CSS and script (ui/page_style.py): markup, never shown
        if hasattr(getattr(node, "proto", None), "ListFields"):
            fields(node.proto)
        for child in (node.children.values() if isinstance(getattr(node, "children", None), dict) else ()):
            visit(child)

    visit(at._tree)
    return texts


def english_left(texts: list[str]) -> list[str]:
    left = []
    for text in texts:
        for pattern in ALLOWED:
            text = pattern.sub(" ", text)
        left.extend(ENGLISH_RUN.findall(text))
    return left


@pytest.mark.parametrize("page", PAGES)
def test_every_page_renders_in_chinese(page):
    at = open_in_chinese(page)
    assert not at.exception, at.exception
    assert at.session_state[i18n.STATE_KEY] == "zh"


@pytest.mark.parametrize("page", PAGES)
def test_no_english_sentence_left_in_chinese(page):
    at = open_in_chinese(page)
    left = english_left(shown_texts(at))
    assert not left, left


def test_the_language_switch_keeps_the_choice_in_the_url_and_across_pages():
    at = AppTest.from_file(APP_PATH, default_timeout=60).run()
    assert at.title[0].value == "RNN Playground" and "lang" not in at.query_params  # English by default
    at.session_state["visitor_state"] = "a drawing"  # what a visitor has must outlive the switch
    at.button_group(key="ui_language_switch").set_value("zh").run()
    assert at.title[0].value == "RNN 游乐场" and at.query_params["lang"] == "zh"
    at.switch_page("app_pages/inside.py").run()
    assert at.session_state[i18n.STATE_KEY] == "zh" and at.query_params["lang"] == "zh"
    assert at.session_state["visitor_state"] == "a drawing"
    at.button_group(key="ui_language_switch").set_value("en").run()
    assert at.session_state[i18n.STATE_KEY] == "en" and at.query_params["lang"] == "en"


def test_a_link_with_an_unknown_language_falls_back_to_english():
    at = AppTest.from_file(APP_PATH, default_timeout=60)
    at.query_params["lang"] = "fr"
    at.run()
    assert not at.exception and at.title[0].value == "RNN Playground" and at.query_params["lang"] == "en"


def test_the_wave_page_keeps_the_language_in_its_link_and_does_not_call_it_a_setting():
    at = AppTest.from_file(APP_PATH, default_timeout=60)
    at.query_params.update({"lang": "zh", "hidden": "16", "bogus": "1"})
    at.run()
    at.switch_page("app_pages/waves.py").run()
    assert not at.exception
    assert at.query_params["lang"] == "zh" and at.query_params["hidden"] == "16" and "bogus" not in at.query_params
    notes = " ".join(c.value for c in at.code)
    assert "bogus" in notes and "lang" not in notes


def test_the_digit_page_in_chinese_with_a_drawing_taught_and_fine_tuned():
    """Beyond the first screen: an answer, the row story, the gates, and teaching a copy, all in Chinese."""
    from rnn_core.digits.preprocess import canvas_from_strokes
    from harness.canvas import STROKE_WIDTH, VERTICAL_LINE, canvas_state

    at = open_in_chinese("app_pages/digits.py")
    at.session_state["digits_canvas_0"] = canvas_state(canvas_from_strokes(VERTICAL_LINE, STROKE_WIDTH))
    at.session_state["digits_gates"] = True  # the gates shown
    at.run()
    next(b for b in at.button if b.label == "添加这幅画").click().run()
    next(b for b in at.button if b.label.startswith("在你的 1 幅画上微调")).click().run()
    assert not at.exception, at.exception
    texts = shown_texts(at)
    assert any("置信度" in text for text in texts) and any("已准备好" in text for text in texts)
    assert not english_left(texts), english_left(texts)


def test_the_wave_page_in_chinese_while_training():
    """The live charts, the status and clipping lines, the free run and the carry-vs-reset pair."""
    at = open_in_chinese("app_pages/waves.py")
    at.radio(key="waves_task").set_value("next_step").run()
    at.toggle(key="waves_compare").set_value(True).run()
    for _step in range(3):
        next(b for b in at.button if b.label == "单步").click().run()
    assert not at.exception, at.exception
    texts = shown_texts(at)
    assert any(text.startswith("**第 3 步**") for text in texts) and "自由运行生成" in texts
    assert not english_left(texts), english_left(texts)


def test_the_memory_page_in_chinese_while_training():
    at = open_in_chinese("app_pages/memory.py")
    next(b for b in at.button if b.label == "单步").click().run()
    assert not at.exception, at.exception
    texts = shown_texts(at)
    assert any(text.startswith("**第 1 步**") for text in texts)
    assert not english_left(texts), english_left(texts)


def test_the_names_page_in_chinese_with_bad_input_and_a_list():
    """The engine's messages about bad text, the table's headers (the CSV's too) and its problems, in Chinese."""
    at = open_in_chinese("app_pages/names.py")
    at.text_input(key="names_text").set_value("12345").run()
    assert any("没有字母" in info.value for info in at.info)
    at.text_area(key="names_batch_text").set_value("Nakamura\n\n1234\nИванов\nRossi").run()
    assert not at.exception, at.exception
    table = at.dataframe[0].value
    assert list(table.columns)[:5] == ["行号", "姓氏", "第一预测", "置信度", "问题"]
    assert set(table["第一预测"]) - {""} <= set(i18n.translations("zh").gettext(n) for n in
                                               ["Japanese", "Italian", "Russian", "Polish", "Czech", "English"])
    problems = [text for text in table["问题"] if text]
    assert len(problems) == 2 and not english_left(problems), problems
    texts = shown_texts(at)
    assert not english_left(texts), english_left(texts)


def test_the_cell_page_in_chinese_with_its_tables_and_a_step_by_hand():
    """The engine's words about every tensor and parameter are translated, for each cell and both directions."""
    at = open_in_chinese("app_pages/inside.py")
    for cell in ("rnn", "gru", "lstm"):
        at.radio(key="inside_cell").set_value(cell).run()
        at.toggle(key="inside_bidirectional").set_value(True).run()
        at.select_slider(key="inside_layers").set_value(2).run()
        next(b for b in at.button if b.label == "下一步").click().run()
        assert not at.exception, at.exception
        table_words = [str(v) for frame in [at.table[0].value, at.table[1].value]
                       for column in ("原因", "作用", "行与列") if column in frame for v in frame[column]]
        assert len(table_words) > 8 and not english_left(table_words), english_left(table_words)
        texts = shown_texts(at)
        assert not english_left(texts), english_left(texts)


def test_the_name_generator_page_in_chinese_step_by_step():
    at = open_in_chinese("app_pages/generate.py")
    at.text_input(key="gen_prefix").set_value("Ro").run()
    next(b for b in at.button if b.label == "生成一个姓氏").click().run()
    next(b for b in at.button if b.label == "下一个字母").click().run()
    assert not at.exception, at.exception
    texts = shown_texts(at)
    assert any(text.startswith("第 2 步") for text in texts)
    assert not english_left(texts), english_left(texts)
    assert list(at.dataframe[0].value.columns) == ["贪心", "抽样", "新的？", "分类器", "一致"]
    at.text_input(key="gen_prefix").set_value("Ж").run()
    assert any("拉丁字母" in info.value for info in at.info) and "生成器不认识的字符" in at.text[0].value


def test_the_training_page_in_chinese_without_data():
    at = open_in_chinese("app_pages/train.py")
    next(b for b in at.button if b.label == "训练").click().run()
    assert not at.exception, at.exception
    assert any(error.value.startswith("MNIST 不在") for error in at.error), [e.value for e in at.error]
    texts = shown_texts(at)
    assert not english_left(texts), english_left(texts)


def test_the_engine_words_in_the_sidebar_in_chinese(monkeypatch, tmp_path):
    """A device that cannot be had, and a shipped model that cannot be read: the engine's words, translated."""
    from ui.resources import device_choice

    device_choice.clear()
    monkeypatch.setenv("RNN_DEVICE", "tpu")
    monkeypatch.setenv("RNN_CHECKPOINT_DIR", str(tmp_path))
    (tmp_path / "names.pt").write_bytes(b"not a checkpoint")
    try:
        at = open_in_chinese()
        assert not at.exception, at.exception
        warning = at.sidebar.warning[0].value
        assert warning.startswith("未知设备 'tpu'") and "改用 CPU" in warning, warning
        missing = " ".join(text.value for text in at.sidebar.text)
        assert "不存在" in missing and "不是可读的检查点" in missing, missing
        assert not english_left([warning]), warning
    finally:
        device_choice.clear()
