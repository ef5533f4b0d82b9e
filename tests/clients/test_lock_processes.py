"""redis-py's Lock between separate OS processes (tests/clients/lock_worker.py run with
subprocess): mutual exclusion under blocking contention, extend and reacquire, and a lock
that expires while its holder still thinks it owns it.

redis-py acquires with SET NX PX and releases/extends/reacquires with Lua scripts
(EVALSHA, SCRIPT LOAD on NOSCRIPT), hence the `scripting` area.
"""
from __future__ import annotations

import queue
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

pytestmark = pytest.mark.scripting

WORKER = str(Path(__file__).resolve().parent / "lock_worker.py")


class Worker:
    """A lock_worker.py process whose stdout lines arrive on a queue."""

    def __init__(self, port: int, protocol: int, *args):
        self.proc = subprocess.Popen([sys.executable, WORKER, str(port), str(protocol), *map(str, args)],
                                     stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        self.lines: queue.Queue = queue.Queue()
        threading.Thread(target=self._pump, daemon=True).start()

    def _pump(self):
        for line in self.proc.stdout:
            self.lines.put(line.strip())

    def expect(self, word: str, timeout: float = 15.0) -> float:
        """Wait for the next line, which must be `word`; return when it arrived."""
        try:
            got = self.lines.get(timeout=timeout)
        except queue.Empty:
            raise AssertionError(f"worker said nothing within {timeout}s (wanted {word!r});"
                                 f" stderr: {self._stderr()}") from None
        assert got == word, f"worker said {got!r}, wanted {word!r}; stderr: {self._stderr()}"
        return time.monotonic()

    def _stderr(self) -> str:
        if self.proc.poll() is None:
            return "(still running)"
        return self.proc.stderr.read()

    def finish(self, timeout: float = 30.0) -> None:
        rc = self.proc.wait(timeout)
        assert rc == 0, f"worker exited with {rc}: {self.proc.stderr.read()}"

    def kill(self) -> None:
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()


@pytest.fixture
def workers():
    started = []
    yield started
    for w in started:
        w.kill()


def test_two_processes_exclude_each_other(server, connect, workers, protocol):
    r = connect(protocol)
    rounds = 40
    workers += [Worker(server.port, protocol, "contend", "shared", rounds) for _ in range(2)]
    time.sleep(0.3)                   # both processes connected and polling for "go"
    r.set("go", 1)
    for w in workers:
        w.expect("done", timeout=60)
        w.finish()
    assert r.get("violations") is None
    assert int(r.get("counter")) == 2 * rounds, "a lost update means two holders at once"
    # The log must be a strict sequence of enter/exit pairs of the same process and round.
    log = r.get("log").decode().rstrip(";").split(";")
    assert len(log) == 4 * rounds
    pids = set()
    for enter, exit_ in zip(log[::2], log[1::2]):
        pid, rnd, what = enter.split(":")
        assert what == "enter" and exit_ == f"{pid}:{rnd}:exit", (enter, exit_)
        pids.add(pid)
    assert len(pids) == 2, "both processes must have held the lock"
    assert r.exists("shared") == 0, "the lock key is gone after the last release"


def test_extend_and_reacquire_keep_the_other_process_out(server, connect, workers, protocol):
    r = connect(protocol)
    w = Worker(server.port, protocol, "extend", "job")
    workers.append(w)
    w.expect("acquired")
    mine = r.lock("job", timeout=10, sleep=0.02)
    start = time.monotonic()
    # The worker's lock had a 1 s timeout but is extended at 0.5 s: we must not get it.
    assert mine.acquire(blocking_timeout=1.5) is False
    assert time.monotonic() - start >= 1.4
    w.expect("extended", timeout=1)   # said at 0.5 s
    assert r.pttl("job") > 3_000
    w.expect("reacquired")
    assert 0 < r.pttl("job") <= 1_000, "reacquire resets the TTL to the lock's own timeout"
    assert mine.acquire(blocking=False) is False
    w.expect("released")
    assert mine.acquire(blocking=False) is True
    mine.release()
    w.finish()


def test_lock_expires_while_its_holder_sleeps(server, connect, workers, protocol):
    r = connect(protocol)
    w = Worker(server.port, protocol, "hold", "lease", 0.5, 1.5)
    workers.append(w)
    acquired_at = w.expect("acquired")
    mine = r.lock("lease", timeout=10, sleep=0.02)
    assert mine.acquire(blocking_timeout=5) is True
    waited = time.monotonic() - acquired_at
    assert 0.3 <= waited < 1.5, f"got the lock {waited:.2f}s after the worker: expiry must free it"
    # The worker wakes up and tries to release a lock that is no longer its own.
    w.expect("not-owned")
    assert mine.owned() is True, "the worker's failed release must not free our lock"
    assert r.pttl("lease") > 5_000
    mine.release()
    assert r.exists("lease") == 0
    w.finish()
