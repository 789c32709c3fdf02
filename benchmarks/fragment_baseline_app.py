"""The cheapest live page: a fragment that only counts and redraws one small Vega-Lite line chart.

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


def set_playing(playing: bool) -> None:
    st.session_state.playing = playing


if st.session_state.playing:
    st.button("Pause", key="waves_pause", on_click=set_playing, args=(False,))
else:
    st.button("Play", key="waves_play", on_click=set_playing, args=(True,))


@st.fragment(run_every=0.05 if st.session_state.playing else None)
def live() -> None:
    if st.session_state.playing:
        st.session_state.ticks += 1
    step = st.session_state.ticks
    with st.container(key="waves_status"):
        st.markdown(f"**Step {step}**")
    x = np.arange(10) + step
    with st.container(key="waves_window_chart"):
        st.vega_lite_chart({"datasets": {"lines": [{"x": int(a), "y": float(np.sin(a))} for a in x]},
                            "data": {"name": "lines"}, "mark": "line", "height": 250, "width": "container",
                            "encoding": {"x": {"field": "x", "type": "quantitative"},
                                         "y": {"field": "y", "type": "quantitative"}}})


live()
