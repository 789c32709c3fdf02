"""What the class page draws for the projector: the join link's QR code, and the class's answers as bars.

The bar chart's spec stays the same from one poll to the next and only its named dataset changes, so the
browser updates the drawn chart in place as answers arrive (as ui/generate_charts.py does). Vega draws the
answers' words as plain SVG text.
"""
from __future__ import annotations

import io

import segno

from classroom.store import Tally
from ui.class_questions import ClassQuestion
from ui.i18n import _
from ui.name_charts import ACCENT, MUTED

RIGHT_COLOUR = "#059669"  # the right answer, once revealed
QR_SCALE = 12  # pixels per module: sharp when shown large on a projector
QR_BORDER = 2  # modules of white around the code: scanners need a quiet zone
BAR_HEIGHT = 44  # pixels per answer: each answer's words on one line beside its bar


def qr_png(link: str) -> bytes:
    """The link as a QR code, a PNG (error correction M: readable from the back of a room)."""
    image = io.BytesIO()
    segno.make(link, error="m").save(image, kind="png", scale=QR_SCALE, border=QR_BORDER, dark="#111827")
    return image.getvalue()


def tally_spec(question: ClassQuestion, tally: Tally) -> dict:
    """Horizontal bars, one per answer in the question's order, the count at the end of each; the right
    answer turns green when revealed."""
    revealed = tally.question.revealed
    bars = [{"answer": _(option.text), "students": tally.counts.get(option.id, 0),
             "colour": RIGHT_COLOUR if revealed and option.id == question.answer else (MUTED if revealed else ACCENT)}
            for option in question.options]
    y = {"field": "answer", "type": "nominal", "sort": None, "title": None,
         "axis": {"labelLimit": 360, "labelFontSize": 14}}
    x = {"field": "students", "type": "quantitative", "title": _("students"),
         "axis": {"tickMinStep": 1, "format": "d"},
         "scale": {"domain": [0, max(1, *tally.counts.values())]}}  # with no answers yet, still an axis to 1
    return {"height": {"step": BAR_HEIGHT}, "datasets": {"bars": bars}, "data": {"name": "bars"},
            "layer": [{"mark": {"type": "bar", "cornerRadiusEnd": 3},
                       "encoding": {"x": x, "y": y, "color": {"field": "colour", "type": "nominal", "scale": None}}},
                      {"mark": {"type": "text", "align": "left", "dx": 6, "fontSize": 16, "fontWeight": "bold"},
                       "encoding": {"x": x, "y": y, "text": {"field": "students", "type": "quantitative"}}}]}
