"""The whole app (navigation and sidebar) under AppTest, opened on a page as a shared link opens it."""
from __future__ import annotations

from streamlit.testing.v1 import AppTest

from harness.server import APP_PATH

PAGES = ["app_pages/home.py", "app_pages/digits.py", "app_pages/waves.py", "app_pages/names.py",
         "app_pages/generate.py", "app_pages/translate.py", "app_pages/train.py"]


def open_app(page: str = "app_pages/home.py", query: dict[str, str] | None = None) -> AppTest:
    """The whole app opened straight on `page`, with `query` as the link's parameters."""
    at = AppTest.from_file(APP_PATH, default_timeout=60)
    at.switch_page(page)
    at.query_params.update(query or {})
    at.run()
    assert not at.exception, at.exception
    return at


def draw(at: AppTest, state: dict) -> AppTest:
    """The digit page with `state` (see harness.canvas) on its current canvas, run."""
    at.session_state[f"digits_canvas_{at.session_state['digits_canvas_round']}"] = state
    at.run()
    assert not at.exception, at.exception
    return at
