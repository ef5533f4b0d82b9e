"""A runaway Lua script: with busy-reply-threshold (alias lua-time-limit) at 200 ms, a second
connection gets the exact BUSY error while `EVAL "while true do end" 0` runs, a third sends
SCRIPT KILL, the first gets the killed error, and the server then serves everyone normally.
A script that has already written cannot be killed (UNKILLABLE): only SHUTDOWN NOSAVE stops
it, which that test does on a server of its own.

Exact error texts are read from raw sockets (RawConn in conftest.py), since redis-py turns
them into exception classes.
"""
from __future__ import annotations

import hashlib
import threading
import time

import pytest

from rawresp import RawConn
from servers import start_mokad

pytestmark = pytest.mark.scripting

BUSY = (b"-BUSY Redis is busy running a script. You can only call SCRIPT KILL or SHUTDOWN NOSAVE.")
LOOP = "while true do end"
WRITE_THEN_LOOP = "redis.call('SET', 'written', '1') while true do end"


def sha(script: str) -> str:
    return hashlib.sha1(script.encode()).hexdigest()


def killed(script: str) -> bytes:
    return (b"-ERR Script killed by user with SCRIPT KILL... script: %s, on @user_script:1."
            % sha(script).encode())


class Runner(threading.Thread):
    """Sends one command on a RawConn and records its reply line."""

    def __init__(self, conn, *args):
        super().__init__(daemon=True)
        self.conn, self.args, self.reply, self.error = conn, args, None, None

    def run(self):
        try:
            self.reply = self.conn.call(*self.args)
        except (EOFError, OSError) as e:
            self.error = e


@pytest.fixture
def threshold(connect):
    """Sets the busy threshold to 200 ms for the test (by either name), then restores it."""
    admin = connect()
    old = admin.config_get("busy-reply-threshold").get("busy-reply-threshold", "5000")

    def set_(name: str = "busy-reply-threshold", ms: int = 200):
        assert admin.config_set(name, ms) is True
        assert admin.config_get("busy-reply-threshold") == {"busy-reply-threshold": str(ms)}
        assert admin.config_get("lua-time-limit") == {"lua-time-limit": str(ms)}
    yield set_
    try:
        connect().config_set("busy-reply-threshold", old)
    except Exception:
        pass


def wait_busy(conn, timeout: float = 5.0) -> bytes:
    """PING until the server answers BUSY (the script has run past the threshold)."""
    deadline = time.monotonic() + timeout
    while True:
        reply = conn.call("PING")
        if reply != b"+PONG" or time.monotonic() > deadline:
            return reply
        time.sleep(0.05)


@pytest.mark.parametrize("name", ["busy-reply-threshold", "lua-time-limit"])
def test_busy_then_script_kill(raw_conn, connect, threshold, name):
    threshold(name)
    runner_conn, other, killer = raw_conn(), raw_conn(), raw_conn()
    runner = Runner(runner_conn, "EVAL", LOOP, "0")
    start = time.monotonic()
    runner.start()
    assert wait_busy(other) == BUSY
    assert time.monotonic() - start >= 0.15, "BUSY only after the 200 ms threshold"
    # Other commands are refused the same way; the runner is still stuck.
    assert other.call("GET", "k") == BUSY
    assert other.call("SET", "k", "v") == BUSY
    assert other.call("EVAL", "return 1", "0") == BUSY
    assert runner.is_alive()
    assert killer.call("SCRIPT", "KILL") == b"+OK"
    runner.join(5)
    assert not runner.is_alive(), "the killed script's caller must get its reply"
    assert runner.reply == killed(LOOP)
    # Everyone is served normally again, including the connection that ran the script.
    assert other.call("PING") == b"+PONG"
    assert other.call("SET", "k", "v") == b"+OK"
    assert runner_conn.call("GET", "k") == b"$1"
    assert killer.call("SCRIPT", "KILL") == b"-NOTBUSY No scripts in execution right now."
    r = connect()
    assert r.eval("return 'alive'", 0) == b"alive"
    assert r.get("k") == b"v"


def test_evalsha_script_is_killable_too(raw_conn, connect, threshold):
    threshold()
    r = connect()
    digest = r.script_load(LOOP)
    runner_conn, other = raw_conn(), raw_conn()
    runner = Runner(runner_conn, "EVALSHA", digest, "0")
    runner.start()
    assert wait_busy(other) == BUSY
    assert other.call("SCRIPT", "KILL") == b"+OK"
    runner.join(5)
    assert runner.reply == killed(LOOP)
    assert other.call("PING") == b"+PONG"


def test_script_that_wrote_is_unkillable():
    # A server of its own: the only way out is SHUTDOWN NOSAVE, which stops it.
    srv = start_mokad()
    conns = []
    try:
        admin, runner_conn, other = (RawConn(srv.port) for _ in range(3))
        conns += [admin, runner_conn, other]
        assert admin.call("CONFIG", "SET", "busy-reply-threshold", "200") == b"+OK"
        runner = Runner(runner_conn, "EVAL", WRITE_THEN_LOOP, "0")
        runner.start()
        assert wait_busy(other) == BUSY
        assert other.call("SCRIPT", "KILL") == (
            b"-UNKILLABLE Sorry the script already executed write commands against the dataset."
            b" You can either wait the script termination or kill the server in a hard way using"
            b" the SHUTDOWN NOSAVE command.")
        assert other.call("GET", "written") == BUSY
        assert runner.is_alive()
        other.send("SHUTDOWN", "NOSAVE")
        srv.proc.wait(10)
        assert srv.proc.returncode is not None, "SHUTDOWN NOSAVE must stop the server"
        runner.join(5)
        assert not runner.is_alive(), "the script's connection is closed by the shutdown"
        assert isinstance(runner.error, EOFError)
    finally:
        for c in conns:
            c.close()
        srv.stop()
