"""The class's handwriting: the teacher asks for a digit (or any), each student draws one, and the projector
shows the drawings as a gallery with what the network read, the class's accuracy and a confusion strip.

The teacher starts the activity by sending the class to the class page with `activity=drawing` and the digit
asked for; a student's drawing goes through the digit page's own preprocessing and the shipped LSTM, and its
28x28 image (a PNG), the reading and how sure the network is are committed to the store before "Sent" shows.
The teacher's board polls the store once a second. The teacher opens any drawing of the gallery to show the
room its row-by-row story, the digit page's charts (ui/digit_story.py): the stored image is read again by
the same LSTM, so nothing more is stored. Import it only inside a running Streamlit script (the canvas
component requires it).
"""
from __future__ import annotations

import io
from collections import Counter

import numpy as np
import streamlit as st
import torch
from PIL import Image
from streamlit_drawable_canvas import CanvasResult

from classroom.errors import ClassError
from classroom.store import Drawing as GalleryDrawing
from rnn_core.digits.inference import read_digit
from rnn_core.digits.preprocess import (InvalidDrawingError, decode_canvas_image, preprocess_strokes,
                                        strokes_from_canvas_json)
from ui.canvas import drawing_canvas
from ui.class_banner import POLL_SECONDS, page_target
from ui.class_names import teacher_action
from ui.class_session import CLASS_PAGE, Membership, store
from ui.class_words import class_words
from ui.digit_story import show_row_story
from ui.engine_words import engine_words
from ui.i18n import _, ngettext
from ui.name_charts import ACCENT
from ui.projector import scaled
from ui.resources import digit_models

ACTIVITY = "drawing"
ANY = "any"  # what the store keeps as the digit asked for when the teacher asks for none in particular
DIGITS = tuple(str(digit) for digit in range(10))
MODEL = "LSTM"  # the shipped model the digit page opens on
CANVAS_SIZE, STROKE_WIDTH = 280, 28  # the digit page's square and pen: the preprocessing expects them
GALLERY_SCALE = 4  # each 28x28 drawing shown four times larger, its pixels sharp
ROUND_KEY = "class_canvas_round"  # part of the canvas's key: a new round is a fresh, empty square
SENT_KEY = "class_drawing_sent"  # the reading of the drawing this student last sent, and how sure
ERROR_KEY = "class_drawing_error"
ASK_KEY = "class_drawing_ask"
REMOVE_KEY = "class_drawings_remove"
CELL = 34  # pixels per cell of the confusion strip
STORY_KEY = "class_drawing_story"  # the id of the drawing whose story the board shows (absent: none)
STORY_PREFIX = "class_story"  # its row slider's key and its charts' container keys start with it
# The opened drawing's view beside its story: half the board each, so that the view, ten screen pixels per
# pixel in projector mode, fits beside the story on a 1024-pixel projector.
STORY_COLUMNS = (1, 1)


def drawing_target(digit: str) -> str:
    """What the store keeps as the class's page: the class page with the activity and the digit asked for."""
    return page_target(CLASS_PAGE, {"activity": ACTIVITY, "digit": digit})


def asked_digit(setup: dict[str, str]) -> str:
    """The digit the teacher asked for in this setup; anything but a digit is "any"."""
    return setup.get("digit") if setup.get("digit") in DIGITS else ANY


def as_png(image: np.ndarray) -> bytes:
    """The model's 28x28 input in [0, 1] as a grey PNG, for the store."""
    buffer = io.BytesIO()
    Image.fromarray(np.round(image * 255).astype(np.uint8), mode="L").save(buffer, format="PNG")
    return buffer.getvalue()


def stored_pixels(image: bytes) -> np.ndarray:
    """A stored drawing (a PNG, or 784 grey bytes row by row) as 28x28 grey levels; OSError when it is neither."""
    if not image.startswith(b"\x89PNG") and len(image) == 28 * 28:
        return np.frombuffer(image, np.uint8).reshape(28, 28)
    picture = Image.open(io.BytesIO(image)).convert("L")
    return np.asarray(picture if picture.size == (28, 28) else picture.resize((28, 28), Image.Resampling.BILINEAR))


def enlarged(image: bytes) -> np.ndarray:
    """A stored drawing, each pixel a GALLERY_SCALE square: sharp on a projector, where a browser would blur it."""
    return np.kron(stored_pixels(image), np.ones((GALLERY_SCALE, GALLERY_SCALE), np.uint8))


def send_drawing(member: Membership, digit: str, canvas: CanvasResult) -> None:
    """Reads the drawing as the digit page does, then commits it to the store before "Sent" shows."""
    st.session_state.pop(SENT_KEY, None)
    loaded = digit_models()[MODEL]
    try:
        png = canvas.image_bytes  # None until the first stroke
        drawing = None if png is None else preprocess_strokes(strokes_from_canvas_json(canvas.json_data),
                                                              decode_canvas_image(png))
    except InvalidDrawingError as error:
        st.session_state[ERROR_KEY] = _("This drawing cannot be read: {reason}").format(reason=engine_words(error))
        return
    except ValueError as error:  # not base64: Python's own words, which have no translation
        st.session_state[ERROR_KEY] = _("This drawing cannot be read: {reason}").format(reason=error)
        return
    if drawing is None or drawing.is_blank:
        st.session_state[ERROR_KEY] = _("Draw a digit on the black square with your mouse or finger. The answer "
                                        "appears as soon as you lift the pen.")
        return
    if loaded.checkpoint is None:
        st.session_state[ERROR_KEY] = _("The {model} model is not available: {reason}").format(
            model=MODEL, reason=engine_words(loaded.error))
        return
    reading = read_digit(loaded.checkpoint.model, drawing.image)
    try:
        store().add_drawing(member.code, member.secret, as_png(reading.image), digit, str(reading.digit),
                            reading.confidence)
    except ClassError as error:  # the database unreachable among them: nothing was sent
        st.session_state[ERROR_KEY] = class_words(error)
        return
    st.session_state.pop(ERROR_KEY, None)
    st.session_state[SENT_KEY] = (reading.digit, reading.confidence)
    fresh_square()


def fresh_square() -> None:
    """The next round's canvas key: an empty square."""
    st.session_state[ROUND_KEY] = st.session_state.get(ROUND_KEY, 0) + 1


def drawing_form(member: Membership, setup: dict[str, str]) -> None:
    """The student's side: the square, a Send button, and what came of the last drawing sent."""
    digit = asked_digit(setup)
    with st.container(border=True, key="class_drawing_form"):
        st.subheader(_("The class's handwriting"), anchor=False)
        st.caption(_("Draw any digit, then send it: the class sees what the network reads.") if digit == ANY
                   else _("Draw the digit {digit}, then send it: the class sees what the network reads.").format(
                       digit=digit))
        canvas = drawing_canvas(f"class_canvas_{st.session_state.get(ROUND_KEY, 0)}", CANVAS_SIZE, STROKE_WIDTH,
                                None, on_change=None)
        with st.container(horizontal=True, gap="small"):
            send = st.button(_("Send the drawing"), type="primary", icon=":material/send:")
            st.button(_("Clear"), icon=":material/ink_eraser:", on_click=fresh_square)
        if send:
            send_drawing(member, digit, canvas)
            st.rerun()  # a fresh square once sent
        if ERROR_KEY in st.session_state:
            st.info(st.session_state[ERROR_KEY], icon=":material/draw:")
        elif SENT_KEY in st.session_state:
            read, confidence = st.session_state[SENT_KEY]
            st.success(_("Sent. The network reads it as {digit} ({percent:.0%} sure).").format(
                digit=read, percent=confidence), icon=":material/send:")


def accuracy(entries: list[GalleryDrawing]) -> tuple[int, int]:
    """How many drawings of a digit asked for the network read as that digit, out of how many."""
    asked = [entry for entry in entries if entry.label in DIGITS]
    return sum(entry.reading == entry.label for entry in asked), len(asked)


def confusion_spec(entries: list[GalleryDrawing]) -> dict:
    """One row per digit asked (and "any"), one cell per digit read, each with its count: the confusion strip."""
    counts = Counter((entry.label, entry.reading) for entry in entries)
    rows = [label for label in (*DIGITS, ANY) if any(asked == label for asked, _read in counts)]
    cells = [{"asked": _("any") if asked == ANY else asked, "read": read, "drawings": count,
              "right": asked == read} for (asked, read), count in counts.items()]
    x = {"field": "read", "type": "ordinal", "scale": {"domain": list(DIGITS)}, "title": _("read as"),
         "axis": {"orient": "top", "labelAngle": 0, "labelFontSize": 14}}
    # No row title: the caption above says it, as a title turned on its side, Chinese reads badly.
    y = {"field": "asked", "type": "ordinal", "title": None,
         "scale": {"domain": [_("any") if row == ANY else row for row in rows]}, "axis": {"labelFontSize": 14}}
    return {"height": {"step": CELL}, "width": {"step": CELL}, "datasets": {"confusion": cells},
            "data": {"name": "confusion"},
            "layer": [{"mark": {"type": "rect", "cornerRadius": 3},
                       "encoding": {"x": x, "y": y, "color": {"condition": {"test": "datum.right",
                                                                           "value": "#059669"},
                                                              "value": ACCENT},
                                    "opacity": {"field": "drawings", "type": "quantitative", "legend": None,
                                                "scale": {"range": [0.35, 1]}}}},
                      {"mark": {"type": "text", "fontSize": 15, "fontWeight": "bold", "color": "white"},
                       "encoding": {"x": x, "y": y, "text": {"field": "drawings", "type": "quantitative"}}}]}


def entry_label(number: int, entry: GalleryDrawing) -> str:
    """A drawing's number in the gallery and what the network read, as its caption and in the remove box."""
    return _("{number}: read {reading}, {percent:.0%}").format(number=number, reading=entry.reading,
                                                              percent=entry.confidence)


def gallery(entries: list[GalleryDrawing], opened: int | None) -> None:
    """The drawings in a grid that wraps, each with what the network read under it and a button that opens
    its story (the open one's in the accent colour)."""
    with st.container(horizontal=True, gap="small", key="class_gallery"):
        for number, entry in enumerate(entries, start=1):
            with st.container(width=28 * GALLERY_SCALE + 8, gap=None):
                st.image(enlarged(entry.image))
                st.caption(entry_label(number, entry))
                st.button(_("Open"), key=f"class_story_open_{entry.id}", icon=":material/open_in_full:",
                          type="primary" if entry.id == opened else "secondary", width="stretch",
                          on_click=open_story, args=(entry.id,),
                          help=_("Show how the network read drawing {number}, row by row").format(number=number))


def open_story(entry: int) -> None:
    """A gallery button's callback: the board shows this drawing's story, read down to its last row."""
    st.session_state[STORY_KEY] = entry
    st.session_state.pop(f"{STORY_PREFIX}_rows_read", None)


def close_story() -> None:
    st.session_state.pop(STORY_KEY, None)


def drawing_story(entries: list[GalleryDrawing], opened: int) -> None:
    """The opened drawing, large, read again by the shipped LSTM row by row: the digit page's story. A drawing
    removed meanwhile (from another tab too) says so."""
    found = next(((number, entry) for number, entry in enumerate(entries, start=1) if entry.id == opened), None)
    with st.container(border=True, key="class_story"):
        with st.container(horizontal=True, vertical_alignment="center", gap="small"):
            st.subheader(_("Row by row") if found is None else _("Drawing {number}, row by row").format(
                number=found[0]), anchor=False, width="stretch")
            st.button(_("Close"), key="class_story_close", icon=":material/close:", on_click=close_story)
        if found is None:
            st.info(_("This drawing was removed from the gallery. Open another one."), icon=":material/delete:")
            return
        number, entry = found
        loaded = digit_models()[MODEL]
        if loaded.checkpoint is None:
            st.info(_("The {model} model is not available: {reason}").format(
                model=MODEL, reason=engine_words(loaded.error)), icon=":material/warning:")
            return
        try:
            image = torch.from_numpy(stored_pixels(entry.image).astype(np.float32) / 255)
        except (OSError, ValueError):  # not an image: the store takes any PNG, this app writes only its own
            st.info(_("Drawing {number} cannot be read.").format(number=number), icon=":material/warning:")
            return
        st.caption(_("Asked for: {asked}. The network reads it again here, one row of pixels at a time, top to "
                     "bottom, as it did when it was sent.").format(
                         asked=_("Any digit") if entry.label == ANY else entry.label))
        show_row_story(image, read_digit(loaded.checkpoint.model, image), redrawn=False, prefix=STORY_PREFIX,
                       columns=STORY_COLUMNS)


@st.fragment(run_every=POLL_SECONDS)
def drawings_board(member: Membership) -> None:
    """The projector's side: the gallery, the class's accuracy, the confusion strip, and the teacher's controls."""
    try:
        entries = store().drawings(member.code, member.secret)
    except ClassError as error:
        st.info(class_words(error))
        return
    if not entries:
        st.session_state.pop(STORY_KEY, None)  # the drawings cleared: no story left to show
        st.caption(_("No drawings yet: start the activity, and the class's drawings appear here as they come."))
        return
    right, asked = accuracy(entries)
    st.caption(ngettext("{count} drawing", "{count} drawings", len(entries)).format(count=len(entries)))
    if asked:
        st.metric(_("The network read the digit asked for"), f"{right / asked:.0%}",
                  help=_("{right} of {asked} drawings of a digit asked for").format(right=right, asked=asked))
    opened = st.session_state.get(STORY_KEY)
    gallery(entries, opened)
    if opened is not None:
        drawing_story(entries, opened)
    st.caption(_("Each row is a digit asked for, each column a digit read; green: read as asked."))
    st.container(key="class_confusion").vega_lite_chart(scaled(confusion_spec(entries)))
    labels = {entry_label(number, entry): entry.id for number, entry in enumerate(entries, start=1)}
    with st.container(horizontal=True, vertical_alignment="bottom", gap="small"):
        st.selectbox(_("Drawing"), list(labels), key=REMOVE_KEY)
        st.button(_("Remove"), key="class_drawings_remove_button", icon=":material/delete:",
                  on_click=remove_drawing, args=(member, labels))
        st.button(_("Clear the drawings"), icon=":material/delete_sweep:", on_click=teacher_action,
                  args=(store().clear_activity, member.code, member.secret, "drawing"))


def remove_drawing(member: Membership, entries: dict[str, int]) -> None:
    """The button's callback, reading the drawing chosen now."""
    chosen = entries.get(st.session_state.get(REMOVE_KEY) or "")
    if chosen is not None:
        teacher_action(store().remove_entry, member.code, member.secret, chosen)


def ask(member: Membership) -> None:
    """The button's callback, reading the digit chosen now."""
    choice = st.session_state[ASK_KEY]
    teacher_action(store().set_pacing, member.code, member.secret,
                   drawing_target(choice if choice in DIGITS else ANY))


def drawings_activity(member: Membership) -> None:
    """The teacher's section: ask for a digit (the class comes to this page's square), then the board."""
    st.subheader(_("The class's handwriting"), anchor=False)
    with st.container(horizontal=True, vertical_alignment="bottom", gap="small"):
        st.selectbox(_("Digit to draw"), [_("Any digit"), *DIGITS], key=ASK_KEY)
        st.button(_("Start: every student draws"), icon=":material/draw:", on_click=ask, args=(member,),
                  help=_("Every student moves to the class page, where they draw the digit and send it."))
    drawings_board(member)
