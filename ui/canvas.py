"""The drawing square: streamlit-drawable-canvas, drawn in white on black.

Its floating toolbar is hidden (ui/serving.py, hide_canvas_toolbar: it took strokes that started near the top
of the square); the page offers Undo and Clear below the square instead. Import it only inside a running Streamlit
script, as the component itself requires.
"""
from __future__ import annotations

from streamlit_drawable_canvas import CanvasResult, st_canvas


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
