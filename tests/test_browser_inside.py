"""The "Inside a cell" page in a browser: its tables show every name in full on a laptop screen."""
from __future__ import annotations

import pytest

from harness.server import wait_for_app

pytestmark = pytest.mark.browser

LAPTOP = {"width": 1024, "height": 768}
# Each table cell whose text is wider than its box: cut off, where the student cannot read it.
CLIPPED_CELLS_JS = """(table) => [...table.querySelectorAll('th, td, th *, td *')]
    .filter(e => e.scrollWidth > e.clientWidth + 1).map(e => e.textContent)"""


def test_a_bidirectional_cells_parameter_names_are_shown_whole(page, app_url):
    page.set_viewport_size(LAPTOP)
    page.goto(app_url)  # app.py first: it sets up the navigation a deep link relies on
    wait_for_app(page)
    page.goto(f"{app_url}/inside")
    wait_for_app(page)
    page.get_by_text("Bidirectional", exact=True).click()
    table = page.locator("[data-testid='stTable']").filter(has_text="bias_ih_l0_reverse")
    table.wait_for()
    for name in ("weight_ih_l0_reverse", "weight_hh_l0_reverse", "bias_ih_l0_reverse", "bias_hh_l0_reverse"):
        cell = table.get_by_role("cell", name=name, exact=True)
        assert cell.is_visible(), name
    assert table.evaluate(CLIPPED_CELLS_JS) == []
