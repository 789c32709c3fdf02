"""Every message with emphasis renders as Markdown should, in English and in Chinese: no literal ** or stray
* or _ left on screen, and the Chinese bolds as many stretches as the English. Streamlit's frontend follows
CommonMark, where ** only closes after a full-width "。" when a space or punctuation follows, so a Chinese
sentence that goes on ("**…。**热力图") shows its asterisks. Rendered here with a CommonMark parser."""
from __future__ import annotations

import re
from dataclasses import dataclass

import pytest
from babel.messages.pofile import read_po
from markdown_it import MarkdownIt
from streamlit.testing.v1 import AppTest

from harness.server import APP_PATH, REPO
from rnn_core.waves.trainer import WaveHealth, WaveTrainer

CATALOG = REPO / "locales" / "zh_CN" / "LC_MESSAGES" / "messages.po"
MATH = re.compile(r"\$[^$]+\$")  # drawn by KaTeX, not read as Markdown: its _ are subscripts
FIELD = re.compile(r"\{[a-z_]*\}")
# What a placeholder may hold: a word, a count, a share, a signed number (each flanks ** differently).
SAMPLES = ("GRU", "1,234", "97%", "-0.5")
STRAY_UNDERSCORE = re.compile(r"(?<![\w)])_(?=\w)|(?<=\w)_(?![\w(])")  # at a word's edge, not h_t or h_(t-1)
COMMONMARK = MarkdownIt("commonmark")


@dataclass
class Rendered:
    text: str  # the words shown
    strong: list[str]  # the bold stretches, in order
    emphasis: int  # how many italic stretches
    nested: bool  # a bold stretch inside another: a pair of ** matched the wrong way


def render(markdown: str) -> Rendered:
    text, strong, emphasis, nested, open_strong = [], [], 0, False, []
    for token in COMMONMARK.parse(markdown):
        for child in token.children or []:
            if child.type == "strong_open":
                nested = nested or bool(open_strong)
                open_strong.append([])
            elif child.type == "strong_close":
                strong.append("".join(open_strong.pop()))
            elif child.type == "em_open":
                emphasis += 1
            elif child.type in ("text", "code_inline"):
                text.append(child.content)
                for stretch in open_strong:
                    stretch.append(child.content)
    return Rendered("".join(text), strong, emphasis, nested)


def problems(rendered: Rendered) -> list[str]:
    found = []
    if "**" in rendered.text:
        found.append("literal **")
    if re.search(r"(?<! )\*|\*(?! )", rendered.text):  # a * that is not a spaced multiplication sign
        found.append("stray *")
    if STRAY_UNDERSCORE.search(rendered.text):
        found.append("stray _")
    if rendered.nested:
        found.append("bold inside bold")
    return found


def with_emphasis() -> list[tuple[str, str]]:
    """(English, Chinese) for every translated message (each plural form) with a * or _ in either."""
    with CATALOG.open("rb") as file:
        catalog = read_po(file, locale="zh_CN")
    pairs = []
    for message in catalog:
        if not message.id or message.fuzzy:
            continue
        english = message.id if isinstance(message.id, tuple) else (message.id,)
        chinese = message.string if isinstance(message.string, tuple) else (message.string,)
        for k, translation in enumerate(chinese):
            source = english[min(k, len(english) - 1)] if len(chinese) == len(english) else english[-1]
            if translation and re.search(r"[*_]", source + translation):
                pairs.append((source, translation))
    return pairs


def filled(message: str, sample: str) -> str:
    return FIELD.sub(sample, MATH.sub("M", message))


PAIRS = with_emphasis()


def test_messages_with_emphasis_are_found():
    assert len(PAIRS) > 30 and any("**学习需要梯度" in chinese for _, chinese in PAIRS)


@pytest.mark.parametrize("english, chinese", PAIRS, ids=[english[:40] for english, _ in PAIRS])
def test_every_message_renders_its_emphasis(english, chinese):
    for sample in SAMPLES:
        shown, translated = render(filled(english, sample)), render(filled(chinese, sample))
        assert not problems(shown), (problems(shown), shown.text)
        assert not problems(translated), (problems(translated), translated.text)
        assert len(translated.strong) == len(shown.strong), (shown.strong, translated.strong)
        assert translated.emphasis == shown.emphasis, (english, chinese)


STOPPED = WaveHealth("non_finite", float("nan"), 0.01, 0.0, 1e6, 120, 0.5, 123)
SATURATED = WaveHealth("saturated", 0.9, 0.01, 0.8, 1e4, 1200, 0.5, None)
STUCK = WaveHealth("stuck", 0.45, 0.003, 0.1, 1e4, 1200, 0.5, None)
TRY_CLIPPING = ["试试", "梯度裁剪", "学习率", "LSTM", "GRU", "重置"]
TRY_LOWER = ["试试", "学习率", "LSTM", "GRU", "重置"]


@pytest.mark.parametrize("health, clip, bold", [
    (STOPPED, None, ["训练在第 123 步停止：损失或梯度不再是一个数", *TRY_CLIPPING]),
    (SATURATED, None, ["训练在第 1,200 步附近崩溃了", *TRY_CLIPPING]),
    (STUCK, None, ["训练在第 1,200 步附近崩溃了", *TRY_CLIPPING]),
    (STUCK, 1.0, ["训练在第 1,200 步附近崩溃了", *TRY_LOWER]),
], ids=["stopped", "saturated", "stuck", "stuck-clipped"])
def test_the_wave_pages_collapse_message_in_chinese_bolds_what_it_means_to(monkeypatch, health, clip, bold):
    """The message is put together from translated pieces; shown as the page shows it, for each kind."""
    monkeypatch.setattr(WaveTrainer, "health", lambda self: health)
    at = AppTest.from_file(APP_PATH, default_timeout=60)
    at.query_params["lang"] = "zh"
    at.run()
    at.switch_page("app_pages/waves.py").run()
    at.session_state["waves_trainer"].config.grad_clip = clip
    at.run()
    assert not at.exception, at.exception
    message = at.error[0].value
    rendered = render(message)
    assert not problems(rendered), (problems(rendered), rendered.text)
    assert rendered.strong == bold, message
