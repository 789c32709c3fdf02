"""A live `streamlit run app.py` for browser tests and benchmarks: a free port, the server, readiness in the
page, Caddy in front of replicas, and the CPU time a process has used."""
from __future__ import annotations

import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
APP_PATH = str(REPO / "app.py")  # for AppTest.from_file, which resolves relative paths against the caller
CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_app(port: int, env: dict[str, str] | None = None, cpus: set[int] | None = None,
              log: Path | None = None, script: Path = REPO / "app.py") -> subprocess.Popen:
    """`streamlit run app.py` (or another script) on 127.0.0.1:port (on the given CPU cores); returns once
    it answers.

    The server runs in the repository, with its .streamlit/config.toml. Its stderr goes to `log` when given
    (read it for tracebacks), else to a temporary file.
    """
    log = log or Path(tempfile.mkstemp(prefix="streamlit-", suffix=".log")[1])
    with log.open("wb") as stderr:  # a file, not a pipe: nobody reads a pipe, and a full one blocks the server
        process = subprocess.Popen(
            [sys.executable, "-m", "streamlit", "run", str(script), "--server.port", str(port),
             "--server.address", "127.0.0.1", "--server.headless", "true"],
            cwd=REPO, env={**os.environ, **(env or {})}, stdout=subprocess.DEVNULL, stderr=stderr,
            preexec_fn=(lambda: os.sched_setaffinity(0, cpus)) if cpus else None)
    if not wait_for_health(f"http://127.0.0.1:{port}", process, seconds=60):
        raise RuntimeError(f"streamlit exited or did not answer its health check within 60 s: "
                           f"{log.read_text(errors='replace')[-2000:]}")
    return process


def wait_for_health(url: str, process: subprocess.Popen, seconds: float) -> bool:
    """Whether Streamlit's health check at `url` answers before `seconds` pass; a process that exits, or
    does not answer in time, is killed."""
    deadline = time.monotonic() + seconds
    while process.poll() is None and time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2):
                return True
        except OSError:
            time.sleep(0.2)
    process.kill()
    return False


def local_caddyfile(replica_ports: list[int], proxy_port: int) -> str:
    """deploy/Caddyfile with the compose services swapped for local ports."""
    config = (REPO / "deploy" / "Caddyfile").read_text()
    assert len(replica_ports) == 2 and "app2:8501" in config and ":80 {" in config, "the Caddyfile names app1, app2"
    for number, port in enumerate(replica_ports, start=1):
        config = config.replace(f"app{number}:8501", f"127.0.0.1:{port}")
    config = config.replace(":80 {", f":{proxy_port} {{")
    return "{\n\tadmin off\n}\n" + config  # no admin endpoint: it would claim a fixed port


def start_caddy(replica_ports: list[int], directory: Path,
                cpus: set[int] | None = None) -> tuple[subprocess.Popen, str]:
    """Caddy with local_caddyfile in front of the replicas (on the given CPU cores); returns it and its url
    once a health check answers through it."""
    proxy_port = free_port()
    caddyfile = directory / "Caddyfile"
    caddyfile.write_text(local_caddyfile(replica_ports, proxy_port))
    proxy = subprocess.Popen(["caddy", "run", "--config", str(caddyfile), "--adapter", "caddyfile"],
                             stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                             preexec_fn=(lambda: os.sched_setaffinity(0, cpus)) if cpus else None)
    url = f"http://127.0.0.1:{proxy_port}"
    if not wait_for_health(url, proxy, seconds=30):
        raise RuntimeError("Caddy did not answer in front of the replicas")
    return proxy, url


def proc_stat_fields(pid: int) -> list[str]:
    """Linux's /proc/PID/stat after the command name: field 3 (state) is index 0."""
    return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()


def clock_seconds(fields: list[str], indices: tuple[int, ...]) -> float:
    """The sum of some of proc_stat_fields' clock-tick counters, in seconds."""
    return sum(int(fields[i]) for i in indices) / os.sysconf("SC_CLK_TCK")


def process_cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process, all its threads together."""
    return clock_seconds(proc_stat_fields(pid), (11, 12))


def rss_mib(pid: int) -> float:
    """A process's resident memory, in MiB (nan once it has gone)."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


# True once Streamlit has finished running the script: no "Running" status indicator.
APP_IDLE_JS = """() => { const status = document.querySelector('[data-testid="stStatusWidget"]');
                         return !status || !status.innerText.includes('Running'); }"""


# Whatever a visitor would see go wrong: an exception box, or Streamlit's "Connection error".
TROUBLE_JS = """() => [...document.querySelectorAll('[data-testid="stException"]')].map(e => e.innerText)
  .concat(document.body.innerText.includes('Connection error') ? ['Connection error'] : [])"""


WAIT_MS = 30_000  # a fresh server on a busy machine can take seconds over its first answer


@contextmanager
def window(browser, size: tuple[int, int]) -> Iterator:
    """A page in a fresh browser context (its own Streamlit session) of the given window size."""
    context = browser.new_context(viewport={"width": size[0], "height": size[1]})
    page = context.new_page()
    page.set_default_timeout(WAIT_MS)
    try:
        yield page
    finally:
        context.close()


def wait_for_app(page) -> None:
    """Wait until Streamlit has finished running the script (no 'running' indicator)."""
    page.wait_for_selector("[data-testid='stApp']")
    page.wait_for_function(APP_IDLE_JS, timeout=30_000)
