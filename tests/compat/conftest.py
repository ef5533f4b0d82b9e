"""Fixtures for the differential compatibility suite: one real redis-server (the reference)
and one mokad (or a second redis-server with MOKAD_TARGET=redis), started once per session.
Every case runs on fresh connections after FLUSHALL and compares the two servers' replies
command by command; see cases/_model.py for the case format."""
from __future__ import annotations

import os
import socket
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "python"))
sys.path.insert(0, str(HERE))

from servers import start_mokad, start_redis  # noqa: E402
# Feature areas: cases of areas mokad does not implement yet are skipped against it.
from areas import pytest_collection_modifyitems, pytest_configure  # noqa: E402,F401
from cases._model import Case, Cmd, Normalizer  # noqa: E402
from cases._resp import Conn, ProtocolError, Reply, encode_command  # noqa: E402

READ_TIMEOUT = float(os.environ.get("COMPAT_TIMEOUT", "5"))
# Close check (raw commands, check_close=True): wait this long for the reference to close
# the connection (Redis closes at once after a protocol error), then give the target
# TARGET_CLOSE_WAIT if the reference closed, or the same short wait if it stayed open.
OPEN_WAIT = 0.1
TARGET_CLOSE_WAIT = 2.0
SCAN_MAX_CALLS = 10_000


def pytest_addoption(parser):
    parser.addoption("--compat-transcript", action="store_true",
                     help="print each case's reference (redis) transcript; use with -s")


@dataclass
class Outcome:
    raw: bytes = b""
    replies: list = field(default_factory=list)
    closed: bool | None = None       # None: not checked
    error: str | None = None         # timeout / EOF before the expected replies / protocol
    scan: object = None

    def show(self) -> str:
        parts = [repr(self.raw) if len(self.raw) <= 3000 else repr(self.raw[:3000]) + f"...({len(self.raw)} bytes)"]
        if self.scan is not None:
            parts.append(f"scan={self.scan!r}")
        if self.error:
            parts.append(f"[{self.error}]")
        if self.closed is not None:
            parts.append("[connection closed]" if self.closed else "[connection open]")
        return " ".join(parts)


def comparable(out: Outcome, cmd: Cmd, expected: int):
    if out.error or len(out.replies) != expected:
        return ("incomplete", out.raw, out.error, out.closed)
    if cmd.scan:
        return out.scan
    mode = cmd.cmp
    if mode == "exact":
        vals = out.raw
    elif mode == "type":
        vals = tuple(r.kind for r in out.replies)
    elif mode == "ignore":
        vals = None
    elif mode in ("unordered", "pairs"):
        vals = tuple(_unordered(r, mode == "pairs") for r in out.replies)
    else:
        vals = tuple(mode(r) for r in out.replies)
    return (vals, out.closed)


def _unordered(r: Reply, pairs: bool):
    if r.children is None:
        return r.raw
    ch = [c.raw for c in r.children]
    if pairs:
        ch = [(ch[i], ch[i + 1]) for i in range(0, len(ch) - 1, 2)]
    return (r.header, tuple(sorted(ch)))


class Side:
    """One server under comparison plus its connections for the current case."""

    def __init__(self, label: str, start):
        self.label = label
        self.start = start
        self.server = start()
        self.admin: Conn | None = None
        self.conns: dict[int, Conn] = {}
        self.restarts = 0

    def ensure_alive(self) -> str | None:
        if self.server.proc.poll() is not None:
            code = self.server.proc.returncode
            self.server.stop()
            self.server = self.start()
            self.admin = None
            self.restarts += 1
            return f"{self.label} had exited (status {code}); restarted it for this case"
        return None

    def flushall(self) -> None:
        for attempt in (1, 2):
            try:
                if self.admin is None:
                    self.admin = Conn(self.server.port, READ_TIMEOUT)
                r = self.admin.call("FLUSHALL")
                if r.raw != b"+OK\r\n":
                    raise RuntimeError(f"{self.label}: FLUSHALL replied {r.raw!r}")
                return
            except (OSError, EOFError, ProtocolError):
                if self.admin:
                    self.admin.close()
                self.admin = None
                if attempt == 2:
                    raise

    def close_conns(self) -> None:
        for c in self.conns.values():
            c.close()
        self.conns.clear()

    def stop(self) -> None:
        self.close_conns()
        if self.admin:
            self.admin.close()
        self.server.stop()


def execute(conn: Conn, cmd: Cmd) -> Outcome:
    out = Outcome()
    reader = conn.reader
    send_error = None
    try:
        if cmd.scan:
            return _scan_all(conn, cmd)
        try:
            if not cmd.read_only:
                conn.send(cmd.raw if cmd.raw is not None else encode_command(cmd.args))
        except (BrokenPipeError, ConnectionResetError) as e:
            # The server closed while we were still writing (e.g. after a protocol error):
            # whatever it answered before closing may still be readable.
            send_error = f"write failed: {e.__class__.__name__}"
        if cmd.pause:
            time.sleep(cmd.pause)
        for _ in range(cmd.replies):
            r = reader.read_reply()
            out.replies.append(r)
            out.raw += r.raw
    except EOFError as e:
        out.raw += reader.take_all()
        out.error = str(e)
        out.closed = True
    except socket.timeout:
        out.raw += reader.take_all()
        out.error = f"timeout after {READ_TIMEOUT}s waiting for a reply"
    except (BrokenPipeError, ConnectionResetError) as e:
        out.raw += reader.take_all()
        out.error = f"connection error: {e.__class__.__name__}"
        out.closed = True
    except ProtocolError as e:
        out.raw += reader.take_all()
        out.error = f"unparseable reply: {e}"
    if send_error and out.error:
        out.error = f"{send_error}; {out.error}"
    return out


def _scan_all(conn: Conn, cmd: Cmd) -> Outcome:
    """SCAN (keys) or HSCAN/SSCAN/ZSCAN (elements, or field/value and member/score pairs)
    from cursor 0 until the cursor comes back to 0. The result is the sorted set of
    everything returned: the scan guarantee is "at least once", so duplicates (e.g. while
    a hash table is being rehashed) are not a difference."""
    out = Outcome()
    cursor = b"0"
    keys: set = set()
    shape = None
    for _ in range(SCAN_MAX_CALLS):
        if cmd.scan_cmd == b"SCAN":
            r = conn.call(b"SCAN", cursor, *cmd.args)
        else:
            r = conn.call(cmd.scan_cmd, cmd.args[0], cursor, *cmd.args[1:])
        ch = r.children
        this_shape = (r.header, ch[0].kind if ch else None, ch[1].kind if ch and len(ch) > 1 else None)
        if r.header != b"*2" or ch[0].kind != "$" or ch[1].children is None:
            out.replies.append(r)
            out.raw += r.raw
            out.scan = ("unexpected SCAN reply", r.raw)
            return out
        shape = shape or this_shape
        items = [c.data for c in ch[1].children]
        if cmd.scan_pairs:
            items = [tuple(items[i:i + 2]) for i in range(0, len(items), 2)]
        keys.update(items)
        cursor = ch[0].data
        if cursor == b"0":
            break
    else:
        out.error = f"{cmd.scan_cmd.decode()} did not finish within {SCAN_MAX_CALLS} calls"
    out.replies.append(r)
    out.raw = b"<full %s iteration>" % cmd.scan_cmd
    out.scan = (shape, sorted(keys))
    return out


class Runner:
    def __init__(self, transcript: bool = False):
        self.show_transcript = transcript
        # The reference runs with mokad's default eviction policy (Redis's is noeviction), so
        # that CONFIG cases compare behaviour, not the choice of default.
        same_policy = ("--maxmemory-policy", "allkeys-lru")
        self.ref = Side("redis", lambda: start_redis(*same_policy))
        try:
            # With MOKAD_TARGET=redis the target is a second redis-server: same settings.
            target = (lambda: start_mokad(*same_policy)) if os.environ.get("MOKAD_TARGET") == "redis" else start_mokad
            self.target = Side("mokad", target)
        except Exception:
            self.ref.stop()
            raise

    def stop(self) -> None:
        self.ref.stop()
        self.target.stop()

    def _conn(self, side: Side, cid: int, proto: int) -> tuple[Conn | None, Outcome | None, bool]:
        """Connection `cid` on one side, opened on first use or after the server closed it.
        Returns (conn, HELLO 3 outcome if one was sent, whether it replaced a closed one)."""
        c = side.conns.get(cid)
        if c is not None and not c.reader.eof:
            return c, None, False
        reopened = c is not None
        if c is not None:
            c.close()
        try:
            c = Conn(side.server.port, READ_TIMEOUT)
        except OSError as e:
            side.conns.pop(cid, None)
            return None, Outcome(error=f"cannot connect: {e}"), reopened
        side.conns[cid] = c
        if proto == 3:
            return c, execute(c, Cmd(args=(b"HELLO", b"3"), cmp="type")), reopened
        return c, None, reopened

    @staticmethod
    def _teardown(side: Side, cmds) -> None:
        try:
            c = Conn(side.server.port, READ_TIMEOUT)
        except OSError:
            return
        try:
            for args in cmds:
                c.call(*args)
        except (OSError, EOFError, ProtocolError):
            pass
        finally:
            c.close()

    @staticmethod
    def _check_close(conns, outs, used_later: bool) -> None:
        """Record whether each server closed the connection after this command. When the
        same connection is used again later in the case and the reference did not answer
        with an error, skip the wait: the next command notices a close anyway."""
        ref_out = outs[0]
        if used_later and not any(r.is_error for r in ref_out.replies):
            return
        wait = TARGET_CLOSE_WAIT if ref_out.closed else OPEN_WAIT
        for conn, out in zip(conns, outs):
            if out.error:
                continue
            closed, extra = conn.wait_close(wait)
            out.raw += extra
            out.closed = closed
            if extra:
                out.error = "unexpected extra bytes"
            if out is ref_out and closed:
                wait = TARGET_CLOSE_WAIT

    def run(self, case: Case, proto: int) -> None:
        notes = [n for n in (self.ref.ensure_alive(), self.target.ensure_alive()) if n]
        sides = (self.ref, self.target)
        for s in sides:
            s.close_conns()
            try:
                s.flushall()
            except (OSError, EOFError, ProtocolError, RuntimeError) as e:
                pytest.fail(f"case {case.id} [RESP{proto}]: {s.label}: FLUSHALL before the case failed:"
                            f" {e!r}" + "".join(f"\n  ({n})" for n in notes), pytrace=False)
        log: list[tuple[str, Outcome, Outcome]] = []
        try:
            for i, cmd in enumerate(case.cmd_objs):
                if proto not in cmd.protos:
                    continue
                # Open connection `cmd.conn` on both sides if needed (HELLO 3 first in RESP3).
                conns, hellos, reopened = [], [], False
                for s in sides:
                    c, hello, again = self._conn(s, cmd.conn, proto)
                    conns.append(c)
                    hellos.append(hello)
                    reopened = reopened or again
                if None in conns or hellos[0] is not None or hellos[1] is not None:
                    hcmd = Cmd(args=(b"HELLO", b"3"), cmp="type", conn=cmd.conn)
                    ho = [h or Outcome() for h in hellos]
                    desc = f"(conn {cmd.conn}) HELLO 3  [connection setup, compared by type only]"
                    log.append((desc, ho[0], ho[1]))
                    if comparable(ho[0], hcmd, 1) != comparable(ho[1], hcmd, 1) or None in conns:
                        self._fail(case, proto, desc, "type", ho[0], ho[1], log, notes)
                outs = [execute(c, cmd) for c in conns]
                if cmd.check_close:
                    later = any(c.conn == cmd.conn and proto in c.protos for c in case.cmd_objs[i + 1:])
                    self._check_close(conns, outs, later)
                desc = ((f"(conn {cmd.conn}) " if cmd.conn else "")
                        + ("(new connection: the previous one was closed) " if reopened else "")
                        + cmd.describe())
                log.append((desc, outs[0], outs[1]))
                a, b = comparable(outs[0], cmd, cmd.replies), comparable(outs[1], cmd, cmd.replies)
                if a != b:
                    mode = "full scan iteration: reply shape + set of elements" if cmd.scan else cmd.cmp
                    self._fail(case, proto, f"#{i + 1} {desc}", mode, outs[0], outs[1], log, notes, a, b)
        finally:
            for s in sides:
                s.close_conns()
                if case.teardown:
                    self._teardown(s, case.teardown)
            if self.show_transcript:
                print(f"\n=== {case.id} [RESP{proto}]")
                for desc, r, _ in log:
                    print(f"  > {desc}\n  < {r.show()}")

    def _fail(self, case, proto, desc, mode, ref, tgt, log, notes, a=None, b=None):
        lines = [f"case {case.id} [RESP{proto}]: replies differ",
                 f"  command: {desc}",
                 f"  compare: {mode!r}",
                 f"  redis:   {ref.show()}",
                 f"  mokad:   {tgt.show()}"]
        if mode == "exact" and ref.raw != tgt.raw:
            n = next((i for i, (x, y) in enumerate(zip(ref.raw, tgt.raw)) if x != y),
                     min(len(ref.raw), len(tgt.raw)))
            lo = max(0, n - 40)
            lines.append(f"  first difference at byte {n}: redis {ref.raw[lo:n + 40]!r}"
                         f" vs mokad {tgt.raw[lo:n + 40]!r}")
        if isinstance(mode, Normalizer) or mode in ("unordered", "pairs", "type"):
            lines += [f"  redis normalized: {a!r}", f"  mokad normalized: {b!r}"]
        if case.note:
            lines.append(f"  note: {case.note}")
        lines += [f"  ({n})" for n in notes]
        if len(log) > 1:
            lines.append("  transcript (redis | mokad):")
            for d, r, t in log[:-1]:
                same = r.raw == t.raw and r.closed == t.closed
                lines.append(f"    > {d}")
                lines.append(f"      < {r.show()}" + ("" if same else f"  |  {t.show()}"))
        pytest.fail("\n".join(lines), pytrace=False)


@pytest.fixture(scope="session")
def compat(request):
    runner = Runner(transcript=request.config.getoption("--compat-transcript"))
    yield runner
    runner.stop()
