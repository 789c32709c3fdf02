"""Can a class read a chart? Checks of a live page in Chromium: tick labels that overlap, text drawn too
small, a plot area too flat, labels cut off, and the warnings the page logs.

Each check takes a CSS selector (the keyed container around a chart, or anything holding several charts)
and looks at every live chart inside it: Vega-Lite charts drawn as SVG, and Plotly figures. Streamlit
can keep stale copies of elements while a script runs (data-stale="true"); those are left out. A check
returns what it found wrong, as short descriptions, so a failing test says what a visitor would see.
"""
from __future__ import annotations

from playwright.sync_api import ConsoleMessage, Page
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

# The live charts inside `selector`, and `shown(element)`: whether a text element is drawn and visible (Vega
# hides a label it drops for lack of room with opacity 0; Plotly hides some with display: none).
_HELPERS_JS = """
const CHART = '[data-testid="stVegaLiteChart"], [data-testid="stPlotlyChart"]';
const liveCharts = selector => [...document.querySelectorAll(selector)]
    .flatMap(e => e.matches(CHART) ? [e] : [...e.querySelectorAll(CHART)])
    .filter(chart => !chart.closest('[data-stale="true"]'));
const shown = element => {
    if (!element.textContent.trim()) return false;
    const box = element.getBoundingClientRect();
    if (box.width === 0 || box.height === 0) return false;
    for (let e = element; e && e.tagName.toLowerCase() !== 'svg'; e = e.parentElement) {
        const style = getComputedStyle(e);
        if (style.display === 'none' || style.visibility === 'hidden' || Number(style.opacity) === 0) return false;
    }
    return true;
};
const name = element => JSON.stringify(element.textContent.trim());
"""


def _with_helpers(check: str) -> str:
    """A check, an arrow function of one argument, as one expression that has the helpers in scope."""
    return f"argument => {{ {_HELPERS_JS} return ({check})(argument); }}"


# Tick labels, axis by axis: Vega's `.role-axis-label` texts of each `.role-axis`; Plotly's `.xtick`/`.ytick`
# texts, grouped by the layer that holds one axis's ticks. Pairs whose boxes overlap by more than half a pixel.
OVERLAPPING_LABELS_JS = _with_helpers("""
selector => liveCharts(selector).flatMap(chart => {
    const axes = new Map();
    for (const text of chart.querySelectorAll('.role-axis-label text, .xtick text, .ytick text')) {
        if (!shown(text)) continue;
        const axis = text.closest('.role-axis') || text.closest('.xtick, .ytick').parentElement;
        axes.set(axis, [...(axes.get(axis) || []), text]);
    }
    const found = [];
    for (const texts of axes.values()) {
        const boxes = texts.map(t => t.getBoundingClientRect());
        for (let i = 0; i < texts.length; i++) for (let j = i + 1; j < texts.length; j++) {
            const [a, b] = [boxes[i], boxes[j]];
            const across = Math.min(a.right, b.right) - Math.max(a.left, b.left);
            const down = Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top);
            if (across > 0.5 && down > 0.5) found.push(`${name(texts[i])} overlaps ${name(texts[j])}`);
        }
    }
    return found;
})""")

# The shown tick labels along one axis ('X' or 'Y', as Vega names its axes) of the charts, in their order on
# screen, left to right or top to bottom (an update in place can leave the SVG in another order).
TICK_LABELS_JS = _with_helpers("""
([selector, axis]) => liveCharts(selector).flatMap(chart => {
    const along = axis === 'X' ? 'left' : 'top';
    return [...chart.querySelectorAll(`.role-axis[aria-label^='${axis}-axis'] .role-axis-label text`)]
        .filter(shown)
        .sort((a, b) => a.getBoundingClientRect()[along] - b.getBoundingClientRect()[along])
        .map(text => text.textContent.trim());
})""")

# Every visible SVG text of the charts whose font, as drawn on screen (transforms included), is smaller
# than the given size in CSS pixels.
SMALL_TEXT_JS = _with_helpers("""
([selector, smallest]) => liveCharts(selector).flatMap(chart => [...chart.querySelectorAll('svg text')]
    .filter(shown)
    .map(text => {
        const matrix = text.getScreenCTM();
        const scale = matrix ? Math.hypot(matrix.a, matrix.b) : 1;
        return [text, parseFloat(getComputedStyle(text).fontSize) * scale];
    })
    .filter(([text, size]) => size < smallest - 0.01)
    .map(([text, size]) => `${name(text)} at ${size.toFixed(1)} px`))""")

# The height of each chart's plot area: Vega's view background (the root group's first path), Plotly's
# main drag area (the rectangle of its first subplot).
PLOT_HEIGHTS_JS = _with_helpers("""
selector => liveCharts(selector).map(chart => {
    const area = chart.querySelector('.role-frame.root > g > path.background, .nsewdrag');
    return area ? area.getBoundingClientRect().height : null;
})""")

# Legend labels, axis labels and axis titles that do not show whole: cut short with an ellipsis (Vega's
# labelLimit), or running past the edge of the chart or of the SVG that draws them (Plotly lets a long label
# run out of its figure, where it is cut off). Half a pixel over is no cut: Plotly's own measure of its
# labels falls that short.
CUT_LABELS_JS = _with_helpers("""
selector => liveCharts(selector).flatMap(chart => [...chart.querySelectorAll(
        '.role-legend-label text, .legendtext, .role-axis-label text, .xtick text, .ytick text, '
        + '.role-axis-title text, text.xtitle, text.ytitle')]
    .filter(shown)
    .filter(text => {
        const box = text.getBoundingClientRect();
        const edges = [chart.getBoundingClientRect(), text.ownerSVGElement.getBoundingClientRect()];
        return text.textContent.trim().endsWith('…')
            || edges.some(edge => box.right > edge.right + 0.5 || box.left < edge.left - 0.5);
    })
    .map(name))""")

# Whether every live chart inside `selector` is drawn: an SVG with marks (Vega) or a drawn figure (Plotly).
CHARTS_DRAWN_JS = _with_helpers("""
selector => { const charts = liveCharts(selector);
              return charts.length > 0 && charts.every(c => c.querySelector('svg.marks, .main-svg .nsewdrag')); }""")


def overlapping_labels(page: Page, selector: str) -> list[str]:
    """Tick labels of one axis whose boxes overlap, in the charts inside `selector`."""
    return page.evaluate(OVERLAPPING_LABELS_JS, selector)


def tick_labels(page: Page, selector: str, axis: str) -> list[str]:
    """The tick labels shown along `axis` ('X' or 'Y') of the Vega charts inside `selector`, in screen order."""
    return page.evaluate(TICK_LABELS_JS, [selector, axis])


def wait_for_tick_labels(page: Page, selector: str, axis: str, labels: list[str], timeout_ms: int = 30_000) -> None:
    """Wait until the charts inside `selector` show exactly `labels` along `axis`; fail saying what they show."""
    try:
        page.wait_for_function(f"([selector, axis, labels]) => JSON.stringify(({TICK_LABELS_JS})([selector, axis]))"
                               " === JSON.stringify(labels)", arg=[selector, axis, labels], timeout=timeout_ms)
    except PlaywrightTimeoutError:
        raise AssertionError(f"{selector} shows {tick_labels(page, selector, axis)} along its {axis} axis, "
                             f"not {labels}") from None


def small_text(page: Page, selector: str, smallest_px: float) -> list[str]:
    """Chart text (labels, titles, legends, cell values) drawn smaller than `smallest_px`."""
    return page.evaluate(SMALL_TEXT_JS, [selector, smallest_px])


def plot_heights(page: Page, selector: str) -> list[float]:
    """The height on screen of each chart's plot area, in CSS pixels."""
    return page.evaluate(PLOT_HEIGHTS_JS, selector)


def cut_labels(page: Page, selector: str) -> list[str]:
    """Legend labels, axis labels and axis titles cut short or cut off."""
    return page.evaluate(CUT_LABELS_JS, selector)


def wait_for_charts(page: Page, selector: str, timeout_ms: int = 30_000) -> None:
    """Wait until every live chart inside `selector` is drawn."""
    page.wait_for_function(CHARTS_DRAWN_JS, arg=selector, timeout=timeout_ms)


def text_lines(page: Page, selector: str) -> float:
    """How many lines of text the first element matching `selector` takes: its height over its line height."""
    return page.locator(selector).first.evaluate(
        "e => e.getBoundingClientRect().height / parseFloat(getComputedStyle(e).lineHeight)")


def console_warnings(page: Page) -> list[str]:
    """A list that collects, from now on, every warning and error the page logs to its console."""
    logged: list[str] = []

    def keep(message: ConsoleMessage) -> None:
        if message.type in ("warning", "error"):
            logged.append(message.text)

    page.on("console", keep)
    return logged
