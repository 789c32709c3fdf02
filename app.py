"""RNN Playground: watch recurrent neural networks read, learn and predict, live in the browser.

Run with `streamlit run app.py`. This file sets up the pages and the sidebar; each page is in pages/.
"""
import streamlit as st

from ui.resources import device_choice, digit_models, names_model

st.set_page_config(page_title="RNN Playground", page_icon="🔁", layout="wide")

home = st.Page("pages/home.py", title="Home", icon="🏠", default=True)
digits = st.Page("pages/digits.py", title="Draw a digit", icon="✏️")
waves = st.Page("pages/waves.py", title="Wave regressor", icon="🌊")
names = st.Page("pages/names.py", title="Name classifier", icon="🔤")
page = st.navigation([home, digits, waves, names])

with st.sidebar:
    choice = device_choice()
    st.caption("Running on")
    st.markdown(f"**{choice.description}**")
    if choice.warning:
        st.warning(choice.warning)
    st.caption("Pretrained models")
    for label, loaded in {**{f"Digits · {k}": v for k, v in digit_models().items()},
                          "Names · BiGRU": names_model()}.items():
        if loaded.checkpoint is None:
            st.error(f"{label}: not available. {loaded.error}", icon="⚠️")
        else:
            metrics = loaded.checkpoint.metadata.get("test_metrics", {})
            st.markdown(f"{label} · test accuracy {100 * metrics.get('accuracy', float('nan')):.2f}%")

page.run()
