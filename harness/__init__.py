"""The test and benchmark harness, shared by tests/ and benchmarks/ (never imported by the app): a live server
and its process clocks (server), the whole app under AppTest (whole_app), tiny data sets (tiny_data), live
training runs (live_runs), canvas drawings (canvas), checkpoints for bad-input tests (checkpoint_files),
reading an AppTest page (page_reading), the digit page in a browser (browser_digits), a chart's labels in a
browser (browser_charts), a page's layout audited in a browser (layout_audit), in-page clocks (page_clocks)
and a browserless Streamlit client (streamlit_client). Neither tests nor benchmarks import each other."""
