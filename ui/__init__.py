"""Streamlit helpers shared by the pages: cached model loading and plotly figures. No model math here."""
