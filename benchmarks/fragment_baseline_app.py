"""The cheapest live page: a fragment that only counts and redraws one small plotly chart.

bench_waves.py serves it beside the app, on the same machine, in the same run, as the ceiling that any
live page's update rate is measured against. It imports torch, as the app does (the import changes how
expensive Streamlit's reruns are).
"""
import numpy as np
import streamlit as st
import torch  # noqa: F401  (imported for a like-for-like server process)

if "ticks" not in st.session_state:
    st.session_state.ticks = 0
    st.session_state.playing = False


def toggle() -> None:
    st.session_state.playing = not st.session_state.playing


st.button("Play / pause", key="waves_play", on_click=toggle)


@st.fragment(run_every=0.05 if st.session_state.playing else None)
def live() -> None:
    if st.session_state.playing:
        st.session_state.ticks += 1
    step = st.session_state.ticks
    with st.container(key="waves_status"):
        st.markdown(f"**Step {step}**")
    x = np.arange(10, dtype=np.float32) + step
    st.plotly_chart({"data": [{"type": "scatter", "x": x, "y": np.sin(x)}],
                     "layout": {"annotations": [{"text": f"step {step}", "showarrow": False}], "height": 250}},
                    key="waves_live_chart")


live()
