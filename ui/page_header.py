"""A page's header: its title and, under it, the one sentence to take away (from the registry, ui/pages.py).

In projector mode the takeaway is the one line of text shown beside the demo (ui/projector.py).
"""
from __future__ import annotations

import streamlit as st

from ui.i18n import _
from ui.pages import PageEntry

TAKEAWAY_KEY = "page_takeaway"


def page_header(entry: PageEntry, title: str | None = None) -> None:
    """The title (the registry's, unless the page has a longer one) and the takeaway under it."""
    st.title(title or _(entry.title))
    st.container(key=TAKEAWAY_KEY).markdown(":material/lightbulb: **" + _(entry.takeaway) + "**")
