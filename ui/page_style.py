"""The app's own CSS and its one script, added by app.py on every run: fixed text, never a visitor's words.

Streamlit has no option for what these do: a layout that changes order on a phone, projector mode's sizes
(ui/projector.py), and a sidebar that closes after a choice when the page needs the room. They lean on
Streamlit's markup (data-testid attributes, the st-key-<key> class of a keyed element); the browser tests
in tests/test_browser_projector.py fail when that markup changes.
"""
from __future__ import annotations

import streamlit as st

# Less room above and below every page's title than Streamlit leaves, so that the title, the takeaway and
# the demo's main control and chart fit a 1024x768 projector's first screen.
# Streamlit stacks columns below 640 px wide: a phone. Less room above the title there. The wave page
# (app_pages/waves.py): its charts before its settings, so that Play's effect is on the first screen. The
# digit page (app_pages/digits.py): a short answer line under the drawing square, where the full answer,
# in the stacked column below, is off the screen.
# The class page (app_pages/class.py): its code and the pause notice large enough to read across a room.
# Copy link (ui/page_links.py): on a phone its icon alone, beside the title, so the page starts no lower.
# The home page's shape cards (app_pages/home.py): a page's name wraps in a narrow card, never cut short.
STYLE = """<style>
@media (max-width: 640px) {
  [data-testid="stMainBlockContainer"] { padding-top: 4rem; }
  [data-testid="stHorizontalBlock"]:has(> .st-key-page_link_copy) { flex-wrap: nowrap; }
  .st-key-page_link_copy [data-testid="stMarkdownContainer"] { display: none; }
  .st-key-waves_body > [data-testid="stLayoutWrapper"] > [data-testid="stHorizontalBlock"],
  .st-key-waves_body > [data-testid="stHorizontalBlock"] { flex-direction: column-reverse; }
}
@media (min-width: 641px) {
  [data-testid="stMainBlockContainer"] { padding-top: 2.5rem; }
  .st-key-digits_answer_line { display: none; }
}
h1 { padding-top: 0.25rem !important; padding-bottom: 0.5rem !important; }
.st-key-page_link_copy a[data-copied]::after { content: "\\2713"; margin-left: 0.4rem; color: #059669; }
.st-key-class_code h1 { font-size: clamp(3rem, 8vw, 7.5rem) !important; letter-spacing: 0.12em; line-height: 1.1; }
.st-key-class_paused h1 { font-size: clamp(2.5rem, 6vw, 5rem) !important; }
[class*="st-key-shape_card_"] [data-testid="stPageLink-NavLink"] * { white-space: normal; }
</style>"""

# Projector mode (ui/projector.py). Streamlit sizes text, widgets and its charts' axis text in rem, body
# text at 0.875rem: a larger root font size scales them all, body text to 24 px on a 1920-pixel screen
# (ui.projector.CHART_SCALE follows it). Less room above the title, grey text in the text colour, and what
# a page set aside (ui.projector.aside) hidden.
PROJECTOR_STYLE = """<style>
html { font-size: clamp(20px, 1.43vw, 34px); }
[data-testid="stMainBlockContainer"] { padding-top: 2.5rem !important; }
h1 { font-size: 2rem !important; }
[data-testid="stCaptionContainer"], [data-testid="stWidgetLabel"], [data-testid="stMarkdownContainer"] {
  color: #111827 !important; opacity: 1 !important;
}
[class*="st-key-aside_"], [data-testid="stLayoutWrapper"]:has(> [class*="st-key-aside_"]) {
  display: none !important;
}
</style>"""

# A choice in the sidebar (a page, the language, projector mode) closes it where it covers the page: below
# Streamlit's 768-pixel breakpoint, or in projector mode. Streamlit itself closes it after a page is chosen
# only on a phone's browser, and never after the language.
# "Copy link" (ui/page_links.py) copies the address bar, which holds the page's setup, instead of opening it:
# through the clipboard API, else (plain http on a classroom's network has none) a selected text field; a
# tick says it worked, and where nothing could copy, a prompt shows the link to copy by hand. The link's own
# address follows the address bar, for a right click's "Copy link address".
SCRIPT = """<script>
(() => {
  if (window.rnnPlaygroundScript) return;  // added again after a rerun moves it: one listener
  window.rnnPlaygroundScript = true;
  const NARROW = 768;
  document.addEventListener('click', event => {
    const choice = event.target instanceof Element && event.target.closest(
      '[data-testid="stSidebarNav"] a, .st-key-ui_language_switch button, .st-key-ui_projector_switch');
    if (!choice) return;
    setTimeout(() => {  // once the choice has been taken: the switch then shows the new mode
      const sidebar = document.querySelector('[data-testid="stSidebar"][data-collapsed="false"]');
      const projector = document.querySelector('.st-key-ui_projector_switch input');
      if (sidebar && (window.innerWidth < NARROW || (projector && projector.checked))) {
        sidebar.querySelector('[data-testid="stSidebarCollapseButton"] button')?.click();
      }
    }, 0);
  }, true);  // before Streamlit's own handlers, which may replace the element clicked
  const COPY = '.st-key-page_link_copy a';
  const copied = link => {
    link.dataset.copied = '';
    setTimeout(() => delete link.dataset.copied, 2000);
  };
  const copyByHand = (link, url) => {
    const field = Object.assign(document.createElement('textarea'), {value: url, readOnly: true});
    field.style.cssText = 'position: fixed; top: 0; opacity: 0';
    document.body.appendChild(field);
    field.select();
    const done = document.execCommand('copy');
    field.remove();
    if (done) copied(link); else window.prompt(link.innerText, url);
  };
  for (const type of ['pointerdown', 'contextmenu', 'focusin']) {
    document.addEventListener(type, event => {
      const link = event.target instanceof Element && event.target.closest(COPY);
      if (link) link.href = window.location.href;
    }, true);
  }
  document.addEventListener('click', event => {
    const link = event.target instanceof Element && event.target.closest(COPY);
    if (!link) return;
    event.preventDefault();
    event.stopPropagation();
    const url = window.location.href;
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(url).then(() => copied(link), () => copyByHand(link, url));
    } else {
      copyByHand(link, url);
    }
  }, true);
})();
</script>"""


def add_style(projector: bool) -> None:
    """The CSS, in projector mode with its rules. Style alone takes no room on the page."""
    st.html(STYLE + PROJECTOR_STYLE if projector else STYLE)


def add_script() -> None:
    """The script, once per page load; app.py adds it at the end of the sidebar, where it takes no room."""
    st.html(SCRIPT, unsafe_allow_javascript=True)
