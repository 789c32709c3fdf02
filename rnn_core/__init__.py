"""rnn_core: the models, data, training and checkpoints behind RNN Playground. It never imports Streamlit."""
import logging
import os
import sys

from rnn_core.settings import THREADS_ENV_VAR, is_set, torch_threads

# torch.set_num_threads (device.configure_threads) reaches only the thread that calls it; every other thread
# (each Streamlit page run, fragment tick and live training run has its own) takes OpenMP's default, which
# OpenMP reads from OMP_NUM_THREADS once, when torch loads. So rnn_core must be imported before torch.
if "torch" in sys.modules:
    logging.getLogger(__name__).warning(
        "torch was imported before rnn_core, so threads started later ignore %s: import rnn_core first.",
        THREADS_ENV_VAR)
_threads, _problem = torch_threads()
if is_set(THREADS_ENV_VAR) and not _problem:
    os.environ["OMP_NUM_THREADS"] = str(_threads)
else:
    os.environ.setdefault("OMP_NUM_THREADS", str(_threads))
