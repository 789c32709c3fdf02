"""Placeholder until this demo lands."""
import streamlit as st

st.title("waves")
st.info("This demo is being built.")
