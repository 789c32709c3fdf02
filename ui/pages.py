"""The app's pages in one registry: app.py builds the navigation from it, the home page its cards and its
lesson plans, and every page its header (ui/page_header.py)."""
from __future__ import annotations

from dataclasses import dataclass

from ui.i18n import N_


@dataclass(frozen=True)
class PageEntry:
    path: str  # the page's script, from the repository root
    title: str  # English, marked for the catalog: show it through _()
    icon: str  # a Material icon: they ship with Streamlit, so they render without an emoji font
    summary: str = ""  # the home page's invitation to the page, marked for the catalog
    takeaway: str = ""  # the one sentence to remember, under the page's title; marked for the catalog


HOME = PageEntry(
    "app_pages/home.py", N_("Home"), ":material/home:",
    takeaway=N_("A recurrent network reads a sequence one step at a time, and its hidden state carries what it "
                "has read on to the next step."))
DIGITS = PageEntry(
    "app_pages/digits.py", N_("Draw a digit"), ":material/draw:",
    N_("Draw a digit; a network reads your drawing **row by row**, 28 rows of 28 pixels, and you watch its "
       "guess change as it reads."),
    N_("A recurrent network can read a picture row by row: its guess firms up as its memory of the rows grows."))
WAVES = PageEntry(
    "app_pages/waves.py", N_("Wave regressor"), ":material/waves:",
    N_("Watch an RNN **learn live** to turn a sine into a cosine, its memory carried from one window to "
       "the next; switch the memory off and see what breaks."),
    N_("The hidden state carried from window to window is the network's memory: switch the carrying off and the "
       "start of every window goes wrong."))
MEMORY = PageEntry(
    "app_pages/memory.py", N_("Why gates remember"), ":material/psychology:",
    N_("A plain RNN, an LSTM and a GRU learn side by side to **remember a symbol** over many steps; see why "
       "the plain one forgets, and what happens when gradients explode."),
    N_("A plain RNN's gradient fades step by step on its way back in time, so it cannot learn to remember far; "
       "the gates of an LSTM or a GRU let it through."))
INSIDE = PageEntry(
    "app_pages/inside.py", N_("Inside a cell"), ":material/memory:",
    N_("Open up **nn.RNN, nn.LSTM and nn.GRU**: every weight and tensor shape of the real modules, and one "
       "time step worked out by hand, gate by gate."),
    N_("A cell is a few matrix products and squashing functions, with the same weights at every time step; its "
       "gates are more of the same."))
NAMES = PageEntry(
    "app_pages/names.py", N_("Name classifier"), ":material/translate:",
    N_("Type a surname; a network that reads **letter by letter**, in both directions, says which of 18 "
       "languages it comes from."),
    N_("Read letter by letter, from both ends, the spelling of a surname tells a lot about the language it comes "
       "from."))
GENERATE = PageEntry(
    "app_pages/generate.py", N_("Invent a name"), ":material/auto_awesome:",
    N_("Pick a language; a network invents a surname **letter by letter**, and shows at each step every "
       "letter it could have written next, and the one it took."),
    N_("Generating is predicting the next letter over and over: each letter written is read back in as the next "
       "input."))
TRANSLATE = PageEntry(
    "app_pages/translate.py", N_("Translate a number"), ":material/g_translate:",
    N_("Type a number in English words; an encoder-decoder reads them **to the end**, then writes the Chinese "
       "numeral, and shows which word it looked at for each character."),
    N_("To translate, a network reads the whole sentence first, then writes; attention lets it look back at the "
       "words that matter for each word it writes."))
TRAIN = PageEntry(
    "app_pages/train.py", N_("Train it yourself"), ":material/model_training:",
    N_("Train a digit or name classifier **while you watch** its loss fall and its accuracy rise, then "
       "try it on the demo pages, or teach the digit model your own handwriting."),
    N_("Training takes many small steps that lower the loss; the accuracy on examples it never trains on says "
       "whether it has really learned."))
CLASS = PageEntry(
    "app_pages/class.py", N_("Teach a class"), ":material/co_present:",
    N_("Open a class: students join by a code or a QR code, you send them to a page, pause them, and ask "
       "them to **predict** what a demo will do before you run it."),
    N_("Predicting first, then seeing, is how a demo sticks: commit to an answer before the network shows "
       "its own."))

PAGES = [HOME, DIGITS, WAVES, MEMORY, INSIDE, NAMES, GENERATE, TRANSLATE, TRAIN, CLASS]  # the navigation's order
DEMOS = [entry for entry in PAGES if entry not in (HOME, CLASS)]  # what the lessons teach with
# The home page's lesson plans: every page but home has a card in the long one. (page, minutes), in order.
SHORT_LESSON = [(DIGITS, 3), (WAVES, 4), (MEMORY, 3)]  # ten minutes: read a sequence, memory, gates
LONG_LESSON = [(DIGITS, 4), (INSIDE, 7), (WAVES, 7), (MEMORY, 6), (NAMES, 5), (GENERATE, 5), (TRANSLATE, 5), (TRAIN, 6)]
