"""The class page's two activities in a real browser, end to end: a teacher tab and two student tabs, each its
own session, on a server with its own class database. The class's names reach the teacher's chart and table;
a digit drawn with the mouse on a student's square reaches the teacher's gallery with its reading and the
class's accuracy; the teacher opens that drawing's row-by-row story, whose live heatmap shows the digit read;
then removes the drawing (the story says so), and clears both activities."""
from __future__ import annotations

import re

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError
from playwright.sync_api import expect

from harness.browser_charts import AXIS_LABELS_JS
from harness.browser_digits import line
from harness.server import wait_for_app

pytestmark = pytest.mark.browser

ARRIVE_MS = 4_000  # the board polls once a second; the rest is slack for a busy 2-core machine
SURNAMES = ("Nakamura", "Tanaka")
STORY_CHART = ".st-key-class_story_story_chart"

# The digit the live row-by-row heatmap shows as read after the last row, from its pixels (Vega draws it on
# a canvas): the amber frame marks the column of the row being read (the last, until the slider moves), one
# band per digit from 0 at the top; the digit read is the band darkest in indigo in that column. Null unless
# exactly one live copy of the chart is drawn.
DIGIT_READ_JS = """(chart) => {
    const canvases = [...document.querySelectorAll(chart + ' [data-stale="false"] canvas')];
    if (canvases.length !== 1 || !canvases[0].width) return null;
    const canvas = canvases[0], width = canvas.width, height = canvas.height;
    const pixels = canvas.getContext('2d').getImageData(0, 0, width, height).data;
    let left = width, right = -1, top = height, bottom = -1;
    for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) {
        const i = 4 * (y * width + x);
        if (pixels[i + 3] > 200 && pixels[i] > 220 && pixels[i + 1] > 130 && pixels[i + 1] < 185
            && pixels[i + 2] < 60) {
            left = Math.min(left, x); right = Math.max(right, x); top = Math.min(top, y); bottom = Math.max(bottom, y);
        }
    }
    if (right < 0) return null;
    const x = Math.round((left + right) / 2);
    const reds = [...Array(10).keys()].map(digit =>
        pixels[4 * (Math.round(top + (digit + 0.5) * (bottom - top) / 10) * width + x)]);
    return reds.indexOf(Math.min(...reds));
}"""


def open_tab(browser, url: str, sockets: list | None = None):
    """A tab of its own session; its Streamlit websocket goes into `sockets` when given."""
    page = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
    page.set_default_timeout(20_000)
    if sockets is not None:
        page.on("websocket", lambda socket: sockets.append(socket))
    page.goto(url)
    wait_for_app(page)
    return page


def draw_a_one(student, socket) -> None:
    """A vertical stroke with the mouse on the student's square, then Send. The square hands its drawing to
    Streamlit a moment after the pen is lifted: Send is pressed once the drawing has gone to the server."""
    canvas = student.locator(".st-key-class_canvas_0 canvas.upper-canvas")
    canvas.wait_for(timeout=ARRIVE_MS)
    with socket.expect_event("framesent", predicate=lambda payload: isinstance(payload, bytes)
                             and b"data:image/png;base64" in payload):
        line(student, canvas.bounding_box(), (0.5, 0.15), (0.5, 0.85))
    student.get_by_role("button", name="Send the drawing").click()


# Two frames: the scroll event of a scroll done now has been delivered.
FRAMES_JS = "() => new Promise(done => requestAnimationFrame(() => requestAnimationFrame(done)))"


def choose(page, label: str, option: str) -> None:
    """Pick an option of a select box. The box's list closes on any scroll around it, and a click's own scroll
    into view comes just after the list opens: so the box is scrolled into view first, and the click is made
    once that scroll is over."""
    box = page.get_by_role("combobox", name=label)
    box.evaluate("box => box.scrollIntoView({block: 'center', behavior: 'instant'})")
    page.evaluate(FRAMES_JS)
    box.click()
    page.get_by_role("option", name=option, exact=True).click()
    wait_for_app(page)


def wait_for_digit_read(page, digit: int) -> None:
    """Wait until the live story heatmap shows `digit` read after the last row; fail saying what it shows."""
    try:
        page.wait_for_function(f"(chart) => ({DIGIT_READ_JS})(chart) === {digit}", arg=STORY_CHART,
                               timeout=20_000)
    except PlaywrightTimeoutError:
        shown = page.evaluate(DIGIT_READ_JS, STORY_CHART)
        raise AssertionError(f"the story heatmap shows {shown} read after the last row, not {digit}") from None


def test_a_class_sends_names_and_drawings_and_the_teacher_opens_a_drawings_story(browser, class_url):
    teacher = open_tab(browser, f"{class_url}/class")
    teacher.get_by_role("button", name="Start a class").click()
    code = teacher.locator(".st-key-class_code h1").inner_text().strip()
    students, sockets = [], []
    for nickname in ("Ada", "Grace"):
        student = open_tab(browser, f"{class_url}/class", sockets)
        student.get_by_role("textbox", name="Class code").fill(code)
        student.get_by_role("textbox", name="Nickname (optional)").fill(nickname)
        student.get_by_role("button", name="Join").click()
        student.get_by_text(f"You are in class {code}").wait_for()
        students.append(student)
    expect(teacher.locator("[data-testid='stMetricValue']")).to_have_text("2", timeout=ARRIVE_MS)

    # The class's names: each student's surname, its language, on the teacher's chart and in the table.
    teacher.get_by_role("button", name="Start: every student sends a surname").click()
    languages = []
    for student, surname in zip(students, SURNAMES):
        student.get_by_role("textbox", name="Surname").fill(surname, timeout=ARRIVE_MS)
        student.get_by_role("button", name="Send", exact=True).click()
        sent = student.get_by_text("Sent. The network reads it as")
        sent.wait_for()
        languages.append(re.fullmatch(r"Sent\. The network reads it as (.+) \(\d+% sure\)\.",
                                      sent.inner_text().strip()).group(1))
    expect(teacher.get_by_text("2 names")).to_be_visible(timeout=ARRIVE_MS)
    shows = f"""([chart, labels]) => JSON.stringify(((({AXIS_LABELS_JS})([chart, 'Y'])) || []).sort())
                                     === JSON.stringify(labels)"""
    teacher.wait_for_function(shows, arg=[".st-key-class_names_chart", sorted(set(languages))])
    table = teacher.locator("[data-testid='stDataFrame'] [role='row']")
    for surname, language in zip(SURNAMES, languages):
        expect(table.filter(has_text=surname).filter(has_text=language)).to_have_count(1)

    # The class's handwriting: a "1" asked for, drawn with the mouse, read, and shown in the gallery.
    choose(teacher, "Digit to draw", "1")
    teacher.get_by_role("button", name="Start: every student draws").click()
    draw_a_one(students[0], sockets[0])
    sent = students[0].get_by_text("Sent. The network reads it as")
    sent.wait_for()
    digit, sure = re.fullmatch(r"Sent\. The network reads it as (\d) \((\d+)% sure\)\.",
                               sent.inner_text().strip()).groups()
    gallery = teacher.locator(".st-key-class_gallery")
    expect(gallery.get_by_text(f"1: read {digit}, {sure}%")).to_be_visible(timeout=ARRIVE_MS)
    expect(teacher.get_by_text("1 drawing", exact=True)).to_be_visible()
    expect(teacher.locator("[data-testid='stMetric']", has_text="The network read the digit asked for")
           .locator("[data-testid='stMetricValue']")).to_have_text("100%" if digit == "1" else "0%")

    # Its story: the stored image read again, row by row, on the teacher's board.
    gallery.get_by_role("button", name="Open").click()
    story = teacher.locator(".st-key-class_story")
    expect(story.get_by_role("heading", name="Drawing 1, row by row")).to_be_visible(timeout=ARRIVE_MS)
    expect(story.get_by_text(re.compile(rf"^After 28 of 28 rows it would say {digit} \(\d+%\)$"))).to_be_visible()
    wait_for_digit_read(teacher, int(digit))

    # A second drawing, then the opened one removed: the board says so; then the activity cleared.
    draw_a_one(students[1], sockets[1])
    students[1].get_by_text("Sent. The network reads it as").wait_for()
    expect(teacher.get_by_text("2 drawings", exact=True)).to_be_visible(timeout=ARRIVE_MS)
    choose(teacher, "Drawing", f"1: read {digit}, {sure}%")
    teacher.locator(".st-key-class_drawings_remove_button").get_by_role("button", name="Remove").click()
    expect(story.get_by_text("This drawing was removed from the gallery. Open another one.")).to_be_visible(
        timeout=ARRIVE_MS)
    expect(teacher.get_by_text("1 drawing", exact=True)).to_be_visible()
    story.get_by_role("button", name="Close").click()
    expect(story).to_have_count(0, timeout=ARRIVE_MS)
    teacher.get_by_role("button", name="Clear the drawings").click()
    expect(teacher.get_by_text("No drawings yet")).to_be_visible(timeout=ARRIVE_MS)
    expect(gallery).to_have_count(0)
    teacher.get_by_role("button", name="Clear the names").click()
    expect(teacher.get_by_text("No names yet")).to_be_visible(timeout=ARRIVE_MS)
