"""deploy/Caddyfile's routing, with two stand-in replicas that say who they are.

A first visit goes to the replica with fewer open connections, a returning visitor to the replica their
cookie names, and, while that one is down, to the other at once. The real app behind the same Caddyfile:
tests/test_browser_replicas.py.
"""
from __future__ import annotations

import os
import shutil
import threading
import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from harness.server import start_caddy

COOKIE = "rnn_replica"


class StandIn:
    """An HTTP server that answers its own port; GET /hold waits until release() (an open websocket's stand-in)."""

    def __init__(self) -> None:
        self.released = threading.Event()
        self.holding = 0  # requests now held open
        self.count_lock = threading.Lock()
        stand_in = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                if self.path == "/hold":
                    with stand_in.count_lock:
                        stand_in.holding += 1
                    stand_in.released.wait(30)
                body = str(stand_in.port).encode()
                self.send_response(200)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.port = self.server.server_address[1]
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def stop(self) -> None:
        self.released.set()
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def proxy(tmp_path):
    if not shutil.which("caddy"):
        message = "Caddy not found (apt-get install caddy)"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    replicas = [StandIn(), StandIn()]
    try:
        caddy, url = start_caddy([r.port for r in replicas], tmp_path)
    except RuntimeError:
        for replica in replicas:
            replica.stop()
        raise
    try:
        yield url, replicas
    finally:
        caddy.terminate()
        caddy.wait(timeout=10)
        for replica in replicas:
            replica.stop()


def visit(url: str, cookie: str = "") -> tuple[int, str]:
    """(the port of the replica that answered, the replica the answer's cookie names)."""
    request = urllib.request.Request(url, headers={"Cookie": cookie} if cookie else {})
    with urllib.request.urlopen(request, timeout=10) as answer:
        named = next(c.split(";")[0].split("=", 1)[1] for c in answer.headers.get_all("Set-Cookie")
                     if c.startswith(f"{COOKIE}="))
        return int(answer.read()), named


def test_a_first_visit_goes_to_the_replica_with_fewer_open_connections(proxy):
    url, (busy, idle) = proxy
    with ThreadPoolExecutor(3) as held:
        for _ in range(3):  # three tabs on one replica, their connections open
            held.submit(visit, f"{url}/hold", f"{COOKIE}=127.0.0.1:{busy.port}")
        deadline = time.monotonic() + 10
        while busy.holding < 3 and time.monotonic() < deadline:  # until all three have reached the replica
            time.sleep(0.01)
        assert busy.holding == 3
        # Chosen at random, ten visits would all land on the idle one once in a thousand runs.
        assert [visit(url)[0] for _ in range(10)] == [idle.port] * 10
        busy.released.set()


def test_a_returning_visitor_stays_on_the_replica_their_cookie_names(proxy):
    url, replicas = proxy
    for replica in replicas:
        cookie = f"other=1; {COOKIE}=127.0.0.1:{replica.port}"
        assert {visit(url, cookie) for _ in range(10)} == {(replica.port, f"127.0.0.1:{replica.port}")}


def test_a_first_visit_is_told_where_it_landed(proxy):
    url, _replicas = proxy
    port, named = visit(url)
    assert named == f"127.0.0.1:{port}"
    assert visit(url, f"{COOKIE}={named}")[0] == port


def test_a_visitor_whose_replica_is_down_goes_to_the_other_at_once_and_stays(proxy):
    url, (down, up) = proxy
    down.stop()
    # The very next request, long before the next health check (every 10 s) would see the replica gone.
    assert visit(url, f"{COOKIE}=127.0.0.1:{down.port}") == (up.port, f"127.0.0.1:{up.port}")
    assert visit(url, f"{COOKIE}=127.0.0.1:{up.port}")[0] == up.port


def test_a_cookie_that_names_no_replica_is_a_first_visit(proxy):
    url, replicas = proxy
    port, named = visit(url, f"{COOKIE}=evil.example:22")
    assert port in {r.port for r in replicas} and named == f"127.0.0.1:{port}"
