"""A fault in the middle of a class: the single server killed outright and started again. The class, its
question, every answer already acknowledged and the class's gallery (a surname sent) are still there, and
the teacher's and the student's tabs carry on from their links."""
from __future__ import annotations

import re
import signal

import pytest
from playwright.sync_api import expect

from harness.server import free_port, start_app, wait_for_app

pytestmark = pytest.mark.browser

ANSWER = "No: after a few thousand steps it collapses"
SURNAME = "Nakamura"
WAIT_MS = 20_000


def open_tab(browser, url: str):
    page = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
    page.set_default_timeout(WAIT_MS)
    page.goto(url)
    wait_for_app(page)
    return page


def test_a_killed_server_restarted_keeps_the_class_and_its_answers(browser, tmp_path):
    port, env = free_port(), {"RNN_CLASS_DB": f"sqlite:///{tmp_path / 'classes.sqlite3'}"}
    server = start_app(port, env=env)
    url = f"http://127.0.0.1:{port}"
    try:
        teacher = open_tab(browser, f"{url}/class")
        teacher.get_by_role("button", name="Start a class").click()
        code = teacher.locator(".st-key-class_code h1").inner_text().strip()
        student = open_tab(browser, f"{url}/class")
        student.get_by_role("textbox", name="Class code").fill(code)
        student.get_by_role("textbox", name="Nickname (optional)").fill("Ada")
        student.get_by_role("button", name="Join").click()
        student.get_by_text(f"You are in class {code}").wait_for()
        teacher.get_by_role("button", name="Ask the class").click()
        student.get_by_role("button", name=ANSWER).click()
        student.get_by_text(f"Sent: {ANSWER}.").wait_for()  # acknowledged: stored before this was shown
        teacher.get_by_role("button", name="Start: every student sends a surname").click()
        student.get_by_role("textbox", name="Surname").fill(SURNAME)
        student.get_by_role("button", name="Send", exact=True).click()
        student.get_by_text("Sent. The network reads it as").wait_for()  # in the gallery before this showed
        teacher_link, student_link = teacher.url, student.url

        server.send_signal(signal.SIGKILL)  # no shutdown of any kind: as a crash or a pulled plug
        server.wait(timeout=10)
        server = start_app(port, env=env)

        teacher.goto(teacher_link)
        wait_for_app(teacher)
        expect(teacher.locator(".st-key-class_code h1")).to_have_text(code, timeout=WAIT_MS)
        expect(teacher.locator("[data-testid='stMetricValue']")).to_have_text("1", timeout=WAIT_MS)
        expect(teacher.get_by_text("1 answer", exact=False)).to_be_visible(timeout=WAIT_MS)
        expect(teacher.get_by_text("1 name", exact=True)).to_be_visible(timeout=WAIT_MS)  # the gallery too
        expect(teacher.locator("[data-testid='stDataFrame'] [role='row']").filter(has_text=SURNAME)).to_have_count(1)
        student.goto(student_link)
        wait_for_app(student)
        student.get_by_text(f"You are in class {code}").wait_for()
        student.get_by_text(f"Sent: {ANSWER}.").wait_for()  # the answer it had acknowledged, shown again
        assert re.search(r"student=", student.url)
    finally:
        server.terminate()
        server.wait(timeout=10)
