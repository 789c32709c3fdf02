# RNN Playground in a container: one Streamlit server, which is one Python process.
#   docker build -t rnn-playground .
#   docker run -p 8501:8501 rnn-playground          (then open http://localhost:8501)
# For a whole class, run one such container per core behind a sticky load balancer: deploy/compose.yaml.
FROM python:3.11-slim

WORKDIR /app
# The CPU build of torch: the models are tiny, and the image stays near 1 GB instead of several.
COPY requirements.txt .
RUN pip install --no-cache-dir --index-url https://download.pytorch.org/whl/cpu torch==2.14.1 torchvision==0.29.1 \
 && pip install --no-cache-dir -r requirements.txt

COPY .streamlit .streamlit
COPY app.py ./
COPY app_pages app_pages
COPY ui ui
COPY locales locales
COPY rnn_core rnn_core
COPY classroom classroom
COPY migrations migrations
COPY checkpoints checkpoints

# The data sets are only needed to train and for "try a real MNIST digit"; mount them at /data, or let the
# app download them there when the container is online. The shipped models work without them.
RUN useradd --create-home playground && mkdir /data && chown playground /data
USER playground
ENV RNN_DATA_DIR=/data RNN_TORCH_THREADS=1

EXPOSE 8501
HEALTHCHECK --interval=30s --timeout=5s \
  CMD python -c "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8501/_stcore/health', timeout=4)"
CMD ["python", "-m", "streamlit", "run", "app.py", "--server.address=0.0.0.0", "--server.port=8501"]
