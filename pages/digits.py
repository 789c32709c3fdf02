"""Placeholder until this demo lands."""
import streamlit as st

st.title("digits")
st.info("This demo is being built.")
