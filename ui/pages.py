"""The app's pages in one registry: app.py builds the navigation from it and the home page its links."""
from __future__ import annotations

from dataclasses import dataclass

from ui.i18n import N_


@dataclass(frozen=True)
class PageEntry:
    path: str  # the page's script, from the repository root
    title: str  # English, marked for the catalog: show it through _()
    icon: str  # a Material icon: they ship with Streamlit, so they render without an emoji font
    summary: str = ""  # the home page's invitation to the page, marked for the catalog


HOME = PageEntry("app_pages/home.py", N_("Home"), ":material/home:")
DIGITS = PageEntry(
    "app_pages/digits.py", N_("Draw a digit"), ":material/draw:",
    N_("Draw a digit; a network reads your drawing **row by row**, 28 rows of 28 pixels, and you watch its "
       "guess change as it reads."))
WAVES = PageEntry(
    "app_pages/waves.py", N_("Wave regressor"), ":material/waves:",
    N_("Watch an RNN **learn live** to turn a sine into a cosine, its memory carried from one window to "
       "the next; switch the memory off and see what breaks."))
MEMORY = PageEntry("app_pages/memory.py", N_("Why gates remember"), ":material/psychology:")
INSIDE = PageEntry(
    "app_pages/inside.py", N_("Inside a cell"), ":material/memory:",
    N_("Open up **nn.RNN, nn.LSTM and nn.GRU**: every weight and tensor shape of the real modules, and one "
       "time step worked out by hand, gate by gate."))
NAMES = PageEntry(
    "app_pages/names.py", N_("Name classifier"), ":material/translate:",
    N_("Type a surname; a network that reads **letter by letter**, in both directions, says which of 18 "
       "languages it comes from."))
GENERATE = PageEntry(
    "app_pages/generate.py", N_("Invent a name"), ":material/auto_awesome:",
    N_("Pick a language; a network invents a surname **letter by letter**, and shows at each step every "
       "letter it could have written next, and the one it took."))
TRAIN = PageEntry(
    "app_pages/train.py", N_("Train it yourself"), ":material/model_training:",
    N_("Train a digit or name classifier **while you watch** its loss fall and its accuracy rise, then "
       "try it on the demo pages, or teach the digit model your own handwriting."))

PAGES = [HOME, DIGITS, WAVES, MEMORY, INSIDE, NAMES, GENERATE, TRAIN]  # the navigation's order
HOME_CARDS = [DIGITS, WAVES, NAMES, GENERATE, INSIDE, TRAIN]  # the home page's "Try it" cards, in order
