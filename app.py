"""RNN Playground: watch recurrent neural networks read, learn and predict, live in the browser.

Run with `streamlit run app.py`. This file sets up the pages and the sidebar; each page is in app_pages/.
(Not pages/: Streamlit treats a folder of that name as the legacy automatic page list, and a direct link to
a page on a freshly started server would then run that page without this file's navigation and sidebar.)
"""
import rnn_core  # noqa: F401  first of all: it sets torch's threads for every thread, before torch loads
import streamlit as st

from ui import streamlit_fixes
from ui.icon import app_icon
from rnn_core.checkpoint_meta import ClassifierMetrics, GeneratorMetrics
from ui.resources import device_choice, digit_models, generator_model, names_model

streamlit_fixes.install()  # a run-start race that blanks pages on a busy server (see the module)


def test_score(metrics: ClassifierMetrics | GeneratorMetrics | None) -> str:
    """A shipped model's figure on held-out data: a classifier's accuracy, a generator's bits per letter."""
    if isinstance(metrics, GeneratorMetrics):
        return f"{metrics.bits_per_character:.2f} bits per letter"
    if isinstance(metrics, ClassifierMetrics) and metrics.accuracy is not None:
        return f"{metrics.accuracy:.2%}"
    return "not measured"


st.set_page_config(page_title="RNN Playground", page_icon=app_icon(), layout="wide")

# Material icons ship with Streamlit, so they render on machines without an emoji font.
home = st.Page("app_pages/home.py", title="Home", icon=":material/home:", default=True)
digits = st.Page("app_pages/digits.py", title="Draw a digit", icon=":material/draw:")
waves = st.Page("app_pages/waves.py", title="Wave regressor", icon=":material/waves:")
memory = st.Page("app_pages/memory.py", title="Why gates remember", icon=":material/psychology:")
inside = st.Page("app_pages/inside.py", title="Inside a cell", icon=":material/memory:")
names = st.Page("app_pages/names.py", title="Name classifier", icon=":material/translate:")
generate = st.Page("app_pages/generate.py", title="Invent a name", icon=":material/auto_awesome:")
train = st.Page("app_pages/train.py", title="Train it yourself", icon=":material/model_training:")
page = st.navigation([home, digits, waves, memory, inside, names, generate, train])

with st.sidebar:
    choice = device_choice()
    st.caption("Running on")
    st.markdown(f"**{choice.description}**")
    if choice.warning:
        st.warning(choice.warning)
    st.caption("Pretrained models · on their test sets")
    models = {**{f"Digits · {k}": v for k, v in digit_models().items()}, "Names · BiGRU": names_model(),
              "Name generator · LSTM": generator_model()}
    for label, loaded in models.items():
        if loaded.checkpoint is None:
            st.markdown(f":material/error: {label} · :red[not available]")
        else:
            st.markdown(f":material/check_circle: {label} · {test_score(loaded.checkpoint.metadata.test_metrics)}")
    broken = {label: loaded.error for label, loaded in models.items() if loaded.checkpoint is None}
    if broken:
        with st.expander("Why some models are missing"):
            for label, error in broken.items():
                st.text(f"{label}: {error}")

page.run()
