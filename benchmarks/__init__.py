"""Benchmarks, each run as `python -m benchmarks.<name>`; they print tables and assert nothing about time."""
import rnn_core  # noqa: F401  before any benchmark imports torch: it sets the threads every thread starts with
