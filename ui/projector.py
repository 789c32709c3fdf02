"""Projector mode: large text, charts scaled to match, the sidebar closed, and only the demo and its takeaway.

A teacher turns it on with the sidebar's switch, or opens a link with ?projector=1; like the language, it
stays in the link (moving to another page drops the query parameters, so every run writes it back).

What it changes, and where:
- the text: ui/page_style.py's projector rules raise the root font size, and Streamlit sizes its text,
  widgets and spacing in rem, its chart theme's axis and legend text included;
- the charts' own sizes (a title's font, a line's width, a chart's height), which a spec gives in pixels:
  `scaled()` and `scaled_figure()`, through which every chart goes on its way to Streamlit;
- what is left out: what a page puts in an `aside()` container (its "What you are seeing", "Try this",
  introductions and reference sections) is hidden;
- the sidebar: app.py asks for it collapsed.
"""
from __future__ import annotations

import plotly.graph_objects as go
import streamlit as st
from streamlit.delta_generator import DeltaGenerator

from ui.i18n import _

QUERY_PARAM = "projector"  # ?projector=1: a link that opens ready for the projector
STATE_KEY = "ui_projector"
SWITCH_KEY = "ui_projector_switch"
ON, OFF = "1", "0"
# As much as ui/page_style.py raises the root font size on a 1920-pixel screen (from 16 px): charts grow
# with the text around them.
CHART_SCALE = 1.7
# Vega-Lite properties given in pixels: what grows with the text. "size" (a point's area) grows squared;
# "step" is a band's size ({"height": {"step": 30}}: a row per label), so rows grow with their labels.
LENGTHS = frozenset({"fontSize", "titleFontSize", "labelFontSize", "subtitleFontSize", "strokeWidth",
                     "symbolStrokeWidth", "gradientStrokeWidth", "labelLimit", "labelPadding", "titlePadding",
                     "dx", "dy", "height", "width", "step"})
AREAS = frozenset({"size", "symbolSize"})
DATA = frozenset({"datasets", "data"})  # the rows drawn: never scaled
# A Plotly figure's rows, and its template (Plotly's defaults, apart from the figure's own sizes)
PLOTLY_DATA = frozenset({"x", "y", "z", "customdata", "text", "hovertext", "ids", "template"})
PLOTLY_FONT_SIZE = 12
ASIDE_KEY_PREFIX = "aside_"  # ui/page_style.py hides containers keyed so in projector mode


def choose_projector() -> bool:
    """Decides whether this run is in projector mode, and keeps it in the URL. Call before
    st.set_page_config (app.py does): the sidebar's state depends on it.

    A ?projector=1 or =0 in the link wins (a shared link, or the switch, which writes it); else the
    visitor's earlier choice this session (moving to another page drops the query parameters); else off.
    """
    asked = st.query_params.get(QUERY_PARAM)
    on = asked == ON if asked in (ON, OFF) else bool(st.session_state.get(STATE_KEY, False))
    st.session_state[STATE_KEY] = on
    if on and asked != ON:
        st.query_params[QUERY_PARAM] = ON  # keep it in the address bar, for a link that opens the same way
    elif not on and asked is not None:
        del st.query_params[QUERY_PARAM]  # off is the default: a plain link says it
    return on


def projector_on() -> bool:
    """Whether this visitor's page is in projector mode; off outside a Streamlit run."""
    try:
        return bool(st.session_state.get(STATE_KEY, False))
    except Exception:  # no script run (a unit test, a worker thread)
        return False


def _switched() -> None:
    on = bool(st.session_state.get(SWITCH_KEY))
    st.session_state[STATE_KEY] = on
    if on:
        st.query_params[QUERY_PARAM] = ON
    elif QUERY_PARAM in st.query_params:
        del st.query_params[QUERY_PARAM]


def projector_switch() -> None:
    """The sidebar's switch."""
    st.session_state[SWITCH_KEY] = projector_on()
    st.toggle(_("Projector mode"), key=SWITCH_KEY, on_change=_switched,
              help=_("Large text and charts for a projected screen: only the demo and its key takeaway, the "
                     "sidebar closed. The link keeps it."))


def chart_scale() -> float:
    """How much the charts' own sizes grow: CHART_SCALE in projector mode, else 1."""
    return CHART_SCALE if projector_on() else 1.0


def _scaled(value: object, factor: float) -> object:
    if isinstance(value, dict):
        scaled = {}
        for name, item in value.items():
            if name in DATA:
                scaled[name] = item
            elif name in LENGTHS and isinstance(item, int | float) and not isinstance(item, bool):
                scaled[name] = item * factor
            elif name in LENGTHS and isinstance(item, dict) and set(item) == {"expr"}:  # a size worked out by Vega
                scaled[name] = {"expr": f"({item['expr']}) * {factor}"}
            elif name in AREAS and isinstance(item, int | float) and not isinstance(item, bool):
                scaled[name] = item * factor ** 2
            else:
                scaled[name] = _scaled(item, factor)
        return scaled
    if isinstance(value, list):
        return [_scaled(item, factor) for item in value]
    return value


def scaled(spec: dict) -> dict:
    """A Vega-Lite spec with its pixel sizes (fonts, lines, points, heights) grown by chart_scale(); the
    spec itself in normal mode. The data is passed on as it is."""
    factor = chart_scale()
    return spec if factor == 1.0 else _scaled(spec, factor)


def _scaled_plotly(value: object, factor: float, parent: str = "") -> object:
    if isinstance(value, dict):
        scaled = {}
        for name, item in value.items():
            number = isinstance(item, int | float) and not isinstance(item, bool)
            if name in PLOTLY_DATA:
                scaled[name] = item
            elif number and (name == "size" or (name == "width" and parent == "line") or parent == "margin"
                             or (name == "height" and parent == "layout")):
                scaled[name] = item * factor
            else:
                scaled[name] = _scaled_plotly(item, factor, name)
        return scaled
    if isinstance(value, list):
        return [_scaled_plotly(item, factor, parent) for item in value]
    return value


def scaled_figure(figure: go.Figure) -> go.Figure:
    """A Plotly figure with its text, lines, markers, margins and height grown by chart_scale(); the figure
    itself in normal mode."""
    factor = chart_scale()
    if factor == 1.0:
        return figure
    spec = _scaled_plotly(figure.to_dict(), factor)
    layout = spec.setdefault("layout", {})
    font = layout.setdefault("font", {})
    font.setdefault("size", PLOTLY_FONT_SIZE * factor)  # Plotly's own default, unless the figure set one
    return go.Figure(spec, _validate=False)  # built from a figure that was valid already


def aside(name: str) -> DeltaGenerator:
    """A container for what the page says beside its demo (explanations, suggestions, reference): hidden in
    projector mode. `name` tells a page's asides apart (a container key is unique on a page)."""
    return st.container(key=ASIDE_KEY_PREFIX + name)
