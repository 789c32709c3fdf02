"""rnn_core: the models, data, training and checkpoints behind RNN Playground. It never imports Streamlit."""
import os

# Threads per torch operation on the CPU: $RNN_TORCH_THREADS, default 1 (device.configure_threads says why).
# torch.set_num_threads reaches only the thread that calls it. Every other thread (Streamlit runs each page
# and each fragment tick in a thread of its own; live training has its own) starts with OpenMP's default,
# which OpenMP reads from OMP_NUM_THREADS once, when torch loads. Without this, a page's thread ran a wave
# training step 5-10x slower than the main thread on a busy 2-core machine. Import rnn_core before torch.
_threads = os.environ.get("RNN_TORCH_THREADS", "").strip()
if _threads.isdigit() and int(_threads) > 0:
    os.environ["OMP_NUM_THREADS"] = _threads
else:
    os.environ.setdefault("OMP_NUM_THREADS", "1")
