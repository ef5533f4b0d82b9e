"""Start real servers for the Python suites: the mokad binary, or redis-server for comparison.

`start_mokad()` runs the binary named by $MOKAD_BIN (default: target/debug/mokad in the
checkout) on a free loopback port. Setting $MOKAD_TARGET=redis makes it start redis-server
instead, so a suite can be checked against the reference implementation itself.
"""
from __future__ import annotations

import os
import shutil
import socket
import subprocess
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class Server:
    name: str
    port: int
    proc: subprocess.Popen
    tmpdir: tempfile.TemporaryDirectory = field(repr=False)

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}"

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self.tmpdir.cleanup()

    def __enter__(self) -> "Server":
        return self

    def __exit__(self, *exc) -> None:
        self.stop()


def _wait_ready(port: int, proc: subprocess.Popen, timeout: float = 15.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"server exited early with status {proc.returncode}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5) as s:
                s.sendall(b"PING\r\n")
                if s.recv(64).startswith(b"+PONG"):
                    return
        except OSError:
            time.sleep(0.05)
    raise RuntimeError(f"server on port {port} not ready after {timeout}s")


def mokad_bin() -> str:
    return os.environ.get("MOKAD_BIN", str(ROOT / "target" / "debug" / "mokad"))


def start_redis(*args: str) -> Server:
    exe = shutil.which("redis-server")
    if exe is None:
        raise RuntimeError("redis-server is not installed (scripts/test.sh installs it)")
    port = free_port()
    tmp = tempfile.TemporaryDirectory(prefix="redis-")
    proc = subprocess.Popen(
        [exe, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
         "--dir", tmp.name, *args],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    _wait_ready(port, proc)
    return Server("redis", port, proc, tmp)


def start_mokad(*args: str) -> Server:
    if os.environ.get("MOKAD_TARGET") == "redis":
        return start_redis(*args)
    port = free_port()
    tmp = tempfile.TemporaryDirectory(prefix="mokad-")
    proc = subprocess.Popen(
        [mokad_bin(), "--port", str(port), "--bind", "127.0.0.1", *args],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    _wait_ready(port, proc)
    return Server("mokad", port, proc, tmp)


@pytest.fixture(scope="session")
def server():
    """The server under test for a whole pytest session (conftests import this fixture):
    mokad, or redis-server with MOKAD_TARGET=redis."""
    if os.environ.get("MOKAD_TARGET") != "redis" and not Path(mokad_bin()).exists():
        pytest.exit(f"{mokad_bin()} does not exist: run `cargo build` (or set MOKAD_BIN, or "
                    f"MOKAD_TARGET=redis to run against redis-server)", returncode=2)
    srv = start_mokad()
    try:
        yield srv
    finally:
        srv.stop()
