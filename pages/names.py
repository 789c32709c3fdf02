"""Placeholder until this demo lands."""
import streamlit as st

st.title("names")
st.info("This demo is being built.")
