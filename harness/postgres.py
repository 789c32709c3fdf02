"""A throwaway PostgreSQL cluster for tests (tests/test_class_store.py, tests/test_browser_class_faults.py):
initdb in a temporary folder, started and stopped with pg_ctl, and a fresh database on it per test."""
from __future__ import annotations

import glob
import os
import shutil
import subprocess
import tempfile
import uuid
from pathlib import Path

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from harness.server import free_port


class Postgres:
    """A throwaway PostgreSQL cluster in a temporary folder, run as the postgres user when we are root
    (PostgreSQL refuses to run as root). Raises OSError or SubprocessError when it cannot be started, e.g.
    FileNotFoundError without Debian's postgresql package."""

    def __init__(self) -> None:
        binaries = sorted(glob.glob("/usr/lib/postgresql/*/bin"), key=lambda p: int(Path(p).parent.name))
        found = shutil.which("initdb") or (binaries and f"{binaries[-1]}/initdb")
        if not found:
            raise FileNotFoundError("initdb (apt-get install postgresql)")
        self.bin = Path(found).parent
        self.folder = Path(tempfile.mkdtemp(prefix="class-store-pg-"))
        self.as_user = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
        if self.as_user:
            shutil.chown(self.folder, "postgres")
        self.port = free_port()
        self.run("initdb", "-D", str(self.folder / "data"), "-A", "trust", "-U", "postgres", "-E", "UTF8",
                 "--no-sync")
        self.start()

    def run(self, program: str, *arguments: str) -> None:
        subprocess.run([*self.as_user, str(self.bin / program), *arguments], check=True, capture_output=True,
                       timeout=60)

    def start(self) -> None:
        # fsync off: a test cluster needs no crash safety, and a busy disk would slow every commit
        options = f"-p {self.port} -k {self.folder} -c listen_addresses=127.0.0.1 -c fsync=off"
        self.run("pg_ctl", "-D", str(self.folder / "data"), "-o", options, "-l", str(self.folder / "log"), "-w",
                 "start")

    def stop(self) -> None:
        self.run("pg_ctl", "-D", str(self.folder / "data"), "-m", "fast", "-w", "stop")

    @property
    def url(self) -> str:
        return f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/postgres"

    def remove(self) -> None:
        self.run("pg_ctl", "-D", str(self.folder / "data"), "-m", "immediate", "-w", "stop")
        shutil.rmtree(self.folder, ignore_errors=True)


def create_database(admin_url: str, prefix: str = "class_store") -> str:
    """A new, empty database on the server of `admin_url`; returns its URL."""
    name = f"{prefix}_{uuid.uuid4().hex[:12]}"
    admin = create_engine(admin_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    return make_url(admin_url).set(database=name).render_as_string(hide_password=False)


def drop_database(admin_url: str, url: str) -> None:
    """Drops a database create_database made, with any connections still open to it."""
    admin = create_engine(admin_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{make_url(url).database}" WITH (FORCE)'))
    admin.dispose()
