"""A Vega chart in a real browser: the labels along one of its axes, as the page's one live copy shows them.

Vega redraws a chart in place a frame or so after Streamlit's message has arrived, and while a script runs
the page can hold stale copies of its elements (data-stale="true"). So a test never reads a chart once
after a click: it waits until the live copy shows the labels it expects, and fails saying what it shows.
"""
from __future__ import annotations

from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

WAIT_MS = 30_000

# The labels along `axis` ('X' or 'Y') of the chart inside the CSS selector `chart`, in their order on
# screen (an update in place can leave the SVG in another order), blank ones (padding columns) left out;
# null unless exactly one live copy of the chart is in the page.
AXIS_LABELS_JS = """([chart, axis]) => {
    const live = [...document.querySelectorAll(chart)]
        .flatMap(c => [c, ...c.querySelectorAll('[data-testid="stElementContainer"]')])
        .filter(e => e.matches('[data-testid="stElementContainer"]:has([data-testid="stVegaLiteChart"])')
                     && e.getAttribute('data-stale') !== 'true');
    if (live.length !== 1) return null;
    const along = axis === 'X' ? 'x' : 'y';
    return [...live[0].querySelectorAll(`.role-axis[aria-label^='${axis}-axis'] .role-axis-label text`)]
        .map(text => [text.getBoundingClientRect()[along], text.textContent])
        .sort((a, b) => a[0] - b[0])
        .map(([position, text]) => text)
        .filter(text => text.trim() !== '');
}"""


def axis_labels(page, chart: str, axis: str = "X") -> list[str] | None:
    """The labels along `axis` of the live copy of `chart` now (None unless there is exactly one)."""
    return page.evaluate(AXIS_LABELS_JS, [chart, axis])


def wait_for_axis_labels(page, chart: str, labels: list[str], axis: str = "X", timeout_ms: int = WAIT_MS) -> None:
    """Wait until the one live copy of `chart` shows `labels` along `axis`, in this order."""
    shows = f"([chart, axis, labels]) => JSON.stringify(({AXIS_LABELS_JS})([chart, axis])) === JSON.stringify(labels)"
    try:
        page.wait_for_function(shows, arg=[chart, axis, labels], timeout=timeout_ms)
    except PlaywrightTimeoutError:
        shown = axis_labels(page, chart, axis)
        raise AssertionError(f"{chart} shows {shown} along its {axis} axis, not {labels}") from None


def wait_for_chart(page, chart: str, axis: str = "X", timeout_ms: int = WAIT_MS) -> None:
    """Wait until the one live copy of `chart` is drawn: it shows labels along `axis`."""
    drawn = f"([chart, axis]) => (({AXIS_LABELS_JS})([chart, axis]) || []).length > 0"
    page.wait_for_function(drawn, arg=[chart, axis], timeout=timeout_ms)
