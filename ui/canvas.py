"""The drawing square: streamlit-drawable-canvas without its floating toolbar.

The component (0.13) floats its toolbar (upload, undo, redo, edit, reset) over the top-right band of the
square, invisible until the pointer hovers there. A stroke that starts in that band, with a finger or with
a mouse that has only just arrived, presses a button instead of drawing, or turns on edit mode, which
then selects instead of drawing. This registers the same component once more, under the same name and with
the same script, adding one rule that hides the toolbar; the page offers Undo and Clear below the square.
Import it only inside a running Streamlit script, as the component itself requires.
"""
from __future__ import annotations

from pathlib import Path

import streamlit as st
import streamlit_drawable_canvas
from streamlit_drawable_canvas import CanvasResult, st_canvas

COMPONENT = "streamlit-drawable-canvas.streamlit_drawable_canvas"  # the name the package registers
HIDE_TOOLBAR = ".dc-toolbar{display:none !important}"

_assets = Path(streamlit_drawable_canvas.__file__).parent / "frontend" / "build"
_package_css = next(_assets.glob("index-*.css")).read_text()
# The last registration of a name is the one rendered; the script stays the package's own file.
st.components.v2.component(COMPONENT, js="index-*.js", css=_package_css + HIDE_TOOLBAR,
                           html='<div class="canvas-root"></div>', isolate_styles=True)


def drawing_canvas(key: str, size: int, stroke_width: int, initial_drawing: dict | None,
                   on_change) -> CanvasResult:
    """A square black canvas drawn on in white, its PNG returned after every stroke."""
    return st_canvas(stroke_width=stroke_width, stroke_color="#ffffff", background_color="#000000",
                     height=size, width=size, drawing_mode="freedraw", initial_drawing=initial_drawing,
                     return_image_data=True, key=key, on_change=on_change)


def without_last_stroke(drawing: dict | None, undo_count: int) -> dict:
    """The canvas's drawing less its last stroke, to load back into the same canvas.

    `undo_count` makes each undo a new drawing to the canvas, which reloads only a drawing it has not had.
    """
    objects = list((drawing or {}).get("objects", []))
    return {"objects": objects[:-1], "undoCount": undo_count}
