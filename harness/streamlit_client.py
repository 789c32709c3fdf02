"""A Streamlit visitor without a browser: one session over the app's websocket, speaking its protobuf protocol.

A browser tab and the server talk through `/_stcore/stream` (subprotocol "streamlit"): the tab sends a
`BackMsg.rerun_script` carrying a `ClientState` (the page, the query string, every widget's value) and the
server answers with `ForwardMsg`s (elements as deltas, fragments that want to run again, and at the end
`script_finished`). This client sends what the tab would send and times each script run on the wire, so a
benchmark can load the server with hundreds of visitors whose own cost is a few protobufs, not a browser.

    session = await StreamlitSession.connect("http://127.0.0.1:8501")
    await session.open_page("digits")
    run = await session.set_widget("digits_canvas_0", json_value=canvas_value(strokes))
    run.seconds, run.texts()          # the server's time for that rerun, and what it put on screen

Widget ids come from the elements the server sends (a keyed widget's id ends with "-<key>"). Only what the
benchmarks need is here: pages, widget values and button clicks, fragments and their timed reruns.
"""
from __future__ import annotations

import asyncio
import base64
import io
import json
import time
import urllib.request
from collections.abc import Coroutine
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any, TypeVar

import websockets
from google.protobuf.message import Message
from PIL import Image, ImageDraw
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from streamlit.proto.WidgetStates_pb2 import WidgetState

RERUN_STATUSES = {ForwardMsg.ScriptFinishedStatus.FINISHED_EARLY_FOR_RERUN}  # another run follows at once
MAX_MESSAGE_BYTES = 200 * 1024 * 1024  # the server's own default for a message
T = TypeVar("T")


class ScriptError(RuntimeError):
    """The server put an exception box on screen, or a run did not finish in time."""


@dataclass
class Widget:
    id: str
    kind: str  # the element's type: "button", "text_input", "bidi_component", ...
    label: str
    fragment_id: str  # "" outside a fragment; a change inside one reruns only that fragment


@dataclass
class Run:
    """What one script run sent back: its elements and how long the server took, send to finish."""
    seconds: float = 0.0
    elements: list[Message] = field(default_factory=list)
    exceptions: list[str] = field(default_factory=list)
    widget_keys: list[str] = field(default_factory=list)  # the widgets this run drew, by key (or label)
    references: int = 0  # messages sent as a hash of one the tab said it had cached, not in full
    largest_message_bytes: int = 0

    def texts(self) -> list[str]:
        """The text of every markdown, text, alert and heading element the run sent."""
        found = []
        for element in self.elements:
            kind = element.WhichOneof("type")
            body = getattr(element, kind)
            for name in ("body", "text"):
                if isinstance(getattr(body, name, None), str):
                    found.append(getattr(body, name))
        return found

    def has(self, text: str) -> bool:
        return any(text in t for t in self.texts())


class StreamlitSession:
    """One visitor's session: a websocket and the widget values that visitor has set on the current page."""

    def __init__(self, socket, base_url: str, cookie: str = "") -> None:
        self._socket = socket
        self.base_url = base_url
        self.cookie = cookie  # a sticky load balancer's cookie names the replica this session is on
        self.pages: dict[str, str] = {}  # url path ("" for the home page) -> page script hash
        self.cached_hashes: set[str] = set()  # the messages a tab would keep, and say it has, on each rerun
        self.page = ""
        self.widgets: dict[str, Widget] = {}  # key (or label, for widgets without one) -> widget
        self._values: dict[str, WidgetState] = {}  # widget id -> the value the page holds
        self.auto_reruns: dict[str, float] = {}  # fragment id -> seconds between its reruns
        self.query_string = ""

    @classmethod
    async def connect(cls, base_url: str, open_timeout: float = 60) -> StreamlitSession:
        """Open a session as a tab does: fetch the page (a load balancer sets its cookie here), then the socket."""
        cookie = await asyncio.to_thread(_first_page_cookie, base_url)
        url = base_url.replace("http://", "ws://").rstrip("/") + "/_stcore/stream"
        socket = await websockets.connect(url, subprotocols=["streamlit"], open_timeout=open_timeout,
                                          additional_headers={"Cookie": cookie} if cookie else None,
                                          max_size=MAX_MESSAGE_BYTES, compression=None)
        session = cls(socket, base_url, cookie)
        await session.open_page("")
        return session

    async def close(self) -> None:
        await self._socket.close()

    async def open_page(self, path: str, query_string: str = "", timeout: float = 60) -> Run:
        """Go to a page by its url path ("digits"), as a click in the sidebar does: a fresh set of widgets."""
        self.page, self.query_string = path, query_string
        self.widgets, self._values = {}, {}
        return await self._rerun(timeout=timeout)

    async def set_widget(self, key: str, timeout: float = 60, **value) -> Run:
        """Give a widget a value, e.g. set_widget("names_text", string_value="Kim"), and rerun as the tab does."""
        widget = self._widget(key)
        state = WidgetState(id=widget.id, **value)
        self._values[widget.id] = state
        return await self._rerun(fragment_id=widget.fragment_id, timeout=timeout)

    def fill(self, key: str, **value) -> None:
        """Type into a widget of a form: its value goes with the next run, the form's submit, not at once."""
        widget = self._widget(key)
        self._values[widget.id] = WidgetState(id=widget.id, **value)

    async def click(self, key: str, timeout: float = 60) -> Run:
        """Press a button: a trigger that holds for one run only."""
        fragment_id, trigger = self._press(key)
        return await self._rerun(fragment_id=fragment_id, extra=(trigger,), timeout=timeout)

    async def send_click(self, key: str) -> None:
        """Press a button and go on at once, as a tab does when it is clicked during a run."""
        fragment_id, trigger = self._press(key)
        await self.send_rerun(fragment_id, extra=(trigger,))

    def _press(self, key: str) -> tuple[str, WidgetState]:
        widget = self._widget(key)
        return widget.fragment_id, WidgetState(id=widget.id, trigger_value=True)

    async def tick(self, fragment_id: str, timeout: float = 60) -> Run:
        """The timed rerun of a fragment with run_every, as the tab's timer sends it."""
        return await self._rerun(fragment_id=fragment_id, auto=True, timeout=timeout)

    def _widget(self, key: str) -> Widget:
        if key not in self.widgets:
            raise ScriptError(f"no widget {key!r} on the page {self.page!r}")
        return self.widgets[key]

    async def _rerun(self, fragment_id: str = "", auto: bool = False, extra: tuple[WidgetState, ...] = (),
                     timeout: float = 60) -> Run:
        started = time.perf_counter()
        await self.send_rerun(fragment_id, auto, extra)
        run = await self.read_run(timeout)
        run.seconds = time.perf_counter() - started
        if run.exceptions:
            raise ScriptError(run.exceptions[0])
        return run

    async def send_rerun(self, fragment_id: str = "", auto: bool = False,
                         extra: tuple[WidgetState, ...] = ()) -> None:
        """Ask for a run and go on at once, as a tab does when it is clicked during a run."""
        message = BackMsg()
        state = message.rerun_script
        state.query_string = self.query_string
        state.page_script_hash = self.pages.get(self.page, "")
        if not state.page_script_hash:
            state.page_name = self.page
        state.fragment_id = fragment_id
        state.is_auto_rerun = auto
        state.widget_states.widgets.extend([*self._values.values(), *extra])
        state.cached_message_hashes.extend(sorted(self.cached_hashes))
        state.context_info.timezone = "UTC"
        state.context_info.locale = "en-US"
        state.context_info.url = f"{self.base_url.rstrip('/')}/{self.page}"
        if not fragment_id:
            self.auto_reruns = {}  # a full run declares its timed fragments again
        await self._socket.send(message.SerializeToString())

    async def read_run(self, timeout: float = 60) -> Run:
        """What the server sends until a run finishes (one that another run does not follow at once)."""
        run = Run()
        try:
            await asyncio.wait_for(self._read_until_finished(run), timeout)
        except TimeoutError:
            raise ScriptError(f"no answer within {timeout:.0f} s") from None
        return run

    async def _read_until_finished(self, run: Run) -> None:
        while True:
            raw = await self._socket.recv()
            message = ForwardMsg()
            message.ParseFromString(raw)
            run.largest_message_bytes = max(run.largest_message_bytes, len(raw))
            if message.metadata.cacheable:
                self.cached_hashes.add(message.hash)
            kind = message.WhichOneof("type")
            if kind == "ref_hash":
                run.references += 1
            if kind == "navigation":
                self.pages = {page.url_pathname: page.page_script_hash for page in message.navigation.app_pages}
            elif kind == "delta" and message.delta.WhichOneof("type") == "new_element":
                self._remember(message.delta.new_element, message.delta.fragment_id, run)
            elif kind == "auto_rerun":
                self.auto_reruns[message.auto_rerun.fragment_id] = message.auto_rerun.interval
            elif kind == "page_info_changed":  # the page wrote its setup into the link: the tab's address bar
                self.query_string = message.page_info_changed.query_string
            elif kind == "page_not_found":
                raise ScriptError(f"no page {self.page!r}")
            elif kind == "script_finished" and message.script_finished not in RERUN_STATUSES:
                return

    def _remember(self, element: Message, fragment_id: str, run: Run) -> None:
        run.elements.append(element)
        kind = element.WhichOneof("type")
        body = getattr(element, kind)
        if kind == "exception":
            run.exceptions.append(f"{body.type}: {body.message}")
        widget_id = getattr(body, "id", "")
        if isinstance(widget_id, str) and widget_id.startswith("$$ID-"):
            label = getattr(body, "label", "")
            key = widget_id.split("-", 2)[2] if widget_id.count("-") >= 2 else ""
            widget = Widget(widget_id, kind, label if isinstance(label, str) else "", fragment_id)
            name = key if key and key != "None" else widget.label
            self.widgets[name] = widget
            run.widget_keys.append(name)


def visit_on_own_thread(visit: Coroutine[Any, Any, T], timeout: float = 120) -> T:
    """Run a visit to its end from synchronous code, on a thread of its own: a test process may already have
    an event loop running in this one (Playwright's sync API keeps one)."""
    with ThreadPoolExecutor(1) as pool:
        return pool.submit(asyncio.run, asyncio.wait_for(visit, timeout)).result()


def _first_page_cookie(base_url: str) -> str:
    """The cookies the app's first page sets (a sticky load balancer's, for one), as a Cookie header."""
    with urllib.request.urlopen(base_url, timeout=60) as answer:
        cookies = answer.headers.get_all("Set-Cookie") or []
    return "; ".join(cookie.split(";", 1)[0] for cookie in cookies)


# ----------------------------------------------------------------------------- what a tab would send

DIGITS = {  # strokes in canvas pixels (280 x 280), as a student would draw them
    "1": [[(150, 40), (145, 140), (140, 245)]],
    "7": [[(70, 50), (210, 50), (150, 150), (120, 245)]],
    "0": [[(140, 40), (80, 90), (70, 170), (110, 240), (170, 240), (210, 170), (200, 90), (140, 40)]],
}

def canvas_value(strokes: list[list[tuple[float, float]]], size: int = 280, pen: int = 28) -> str:
    """The drawing canvas's value after these strokes (points in pixels), as its component sends it: the
    canvas as a PNG (white ink on black) and the strokes as paths."""
    image = Image.new("RGBA", (size, size), (0, 0, 0, 255))
    draw = ImageDraw.Draw(image)
    for points in strokes:
        draw.line(points, fill=(255, 255, 255, 255), width=pen, joint="curve")
        for x, y in (points[0], points[-1]):  # round caps, as the canvas's pen
            draw.ellipse((x - pen / 2, y - pen / 2, x + pen / 2, y + pen / 2), fill=(255, 255, 255, 255))
    png = io.BytesIO()
    image.save(png, format="PNG")
    paths = [{"type": "Path", "stroke": "#ffffff", "strokeWidth": pen, "strokeLineCap": "round",
              "path": [["M", *points[0]], *(["L", x, y] for x, y in points[1:])]} for points in strokes]
    return json.dumps({"drawing": {"raw": {"version": "7.4.0", "objects": paths},
                                   "data": "data:image/png;base64," + base64.b64encode(png.getvalue()).decode()}})
