"""A page's header: its title (beside it, "Copy link" on a page whose link holds its setup) and, under it,
the one sentence to take away (from the registry, ui/pages.py).

In projector mode the takeaway is the one line of text shown beside the demo (ui/projector.py).
"""
from __future__ import annotations

import streamlit as st

from ui.i18n import _
from ui.page_links import copy_link
from ui.pages import PageEntry

TAKEAWAY_KEY = "page_takeaway"


def page_header(entry: PageEntry, title: str | None = None, link: str | None = None) -> None:
    """The title (the registry's, unless the page has a longer one), `link` to copy beside it, and the
    takeaway under it."""
    if link is None:
        st.title(title or _(entry.title))
    else:
        with st.container(horizontal=True, vertical_alignment="center", gap="small"):  # the row costs no height
            st.title(title or _(entry.title))
            copy_link(link)
    st.container(key=TAKEAWAY_KEY).markdown(":material/lightbulb: **" + _(entry.takeaway) + "**")
