"""Case format and comparison modes for the differential suite.

A Case is a name plus a list of commands. A command is either a plain list/tuple of args
(sent as a RESP array of bulk strings, compared byte-exactly) or a `C(...)`, `R(...)` or
`ScanAll(...)` carrying per-command options:

  cmp      how the two replies are compared (default "exact"):
             "exact"     raw reply bytes identical
             "type"      only the first byte (RESP type) of each reply
             "ignore"    reply read but not compared
             "unordered" aggregate compared as header + sorted multiset of raw elements
             "pairs"     aggregate compared as header + sorted multiset of (key, value) pairs
             callable    f(Reply) -> value, values compared (see the normalizers below)
  conn     connection id within the case (default 0); each id is a separate fresh
           connection to each server, opened on first use (HELLO 3 first in RESP3 runs)
  replies  number of replies the command produces (default 1; 0 e.g. under CLIENT REPLY OFF)
  check_close  also compare whether the server closes the connection afterwards
  protos   run the command only in these protocol runs (default both: (2, 3))
  pause    seconds to wait after sending the command, before reading its replies and before
           the next command (e.g. so that a BLPOP sent with replies=0 is blocked before
           another connection pushes)

R(b"...") sends raw bytes (inline commands, malformed requests). It reads `replies`
complete replies (default 1) or until the connection closes, then waits briefly and
compares all received bytes plus whether the server closed the connection.

Read(conn=...) sends nothing and reads (and compares) the next reply of a connection: the
answer of a blocking command sent earlier with replies=0.
"""
from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Callable, Sequence, Union

from ._resp import Reply

Cmp = Union[str, Callable[[Reply], object]]
CMP_MODES = ("exact", "type", "ignore", "unordered", "pairs")


def _b(a) -> bytes:
    if isinstance(a, bytes):
        return a
    if isinstance(a, (int, float)):
        return str(a).encode()
    return str(a).encode()


@dataclass
class Cmd:
    args: tuple | None = None
    raw: bytes | None = None
    cmp: Cmp = "exact"
    conn: int = 0
    replies: int = 1
    check_close: bool = False
    protos: tuple = (2, 3)
    scan: bool = False
    # Full-iteration scans: the command (SCAN, or HSCAN/SSCAN/ZSCAN with their key in
    # args[0]) and whether the elements are field/value (member/score) pairs.
    scan_cmd: bytes = b"SCAN"
    scan_pairs: bool = False
    pause: float = 0.0
    read_only: bool = False

    def __post_init__(self):
        if isinstance(self.cmp, str) and self.cmp not in CMP_MODES:
            raise ValueError(f"unknown cmp mode {self.cmp!r}")

    def describe(self) -> str:
        if self.raw is not None:
            r = self.raw if len(self.raw) <= 120 else self.raw[:100] + b"...(%d bytes)" % len(self.raw)
            if self.read_only:
                return "(read the pending reply)"
            return f"RAW {r!r}"
        words = []
        for a in self.args:
            s = a.decode("utf-8", "backslashreplace")
            if len(s) > 80:
                s = s[:60] + f"...({len(a)} bytes)"
            if not s or any(c in s for c in " \"'\r\n\t\\") or not s.isprintable():
                s = repr(s)
            words.append(s)
        if self.scan:
            words.insert(0, self.scan_cmd.decode())
            if self.scan_cmd == b"SCAN":
                words.insert(1, "<cursor>")
            else:
                words.insert(2, "<cursor>")
        text = ("FULL-ITERATION " if self.scan else "") + " ".join(words)
        return text


def C(*args, cmp: Cmp = "exact", conn: int = 0, replies: int = 1,
      check_close: bool = False, protos: Sequence[int] = (2, 3), pause: float = 0.0) -> Cmd:
    """A command sent as a RESP array of bulk strings."""
    return Cmd(args=tuple(_b(a) for a in args), cmp=cmp, conn=conn, replies=replies,
               check_close=check_close, protos=tuple(protos), pause=pause)


def Read(conn: int = 0, cmp: Cmp = "exact", replies: int = 1,
         protos: Sequence[int] = (2, 3)) -> Cmd:
    """Send nothing; read the next `replies` replies of connection `conn` and compare them
    (the answer of a blocking command sent earlier with replies=0)."""
    return Cmd(raw=b"", cmp=cmp, conn=conn, replies=replies, protos=tuple(protos), read_only=True)


def R(raw: bytes, replies: int = 1, cmp: Cmp = "exact", conn: int = 0,
      check_close: bool = True, protos: Sequence[int] = (2, 3)) -> Cmd:
    """Raw bytes written as-is (inline commands, protocol errors)."""
    return Cmd(raw=raw, cmp=cmp, conn=conn, replies=replies, check_close=check_close,
               protos=tuple(protos))


def ScanAll(*opts, conn: int = 0, protos: Sequence[int] = (2, 3)) -> Cmd:
    """Iterate `SCAN <cursor> <opts...>` from 0 until the cursor returns to 0 on each
    server; compare the reply shape and the sorted set of all keys returned."""
    return Cmd(args=tuple(_b(a) for a in opts), conn=conn, scan=True, protos=tuple(protos))


def ScanKeyAll(cmd: str, key, *opts, conn: int = 0, protos: Sequence[int] = (2, 3)) -> Cmd:
    """Iterate `HSCAN|SSCAN|ZSCAN key <cursor> <opts...>` from 0 until the cursor returns to
    0 on each server; compare the reply shape and the sorted set of elements returned (of
    field/value or member/score pairs for HSCAN and ZSCAN)."""
    cmd = cmd.upper()
    if cmd not in ("HSCAN", "SSCAN", "ZSCAN"):
        raise ValueError(f"ScanKeyAll: not a key scan command: {cmd}")
    return Cmd(args=(_b(key),) + tuple(_b(a) for a in opts), conn=conn, scan=True,
               scan_cmd=cmd.encode(), scan_pairs=cmd != "SSCAN",
               protos=tuple(protos))


@dataclass
class Case:
    name: str
    cmds: list
    protos: tuple = (2, 3)
    family: str = ""
    note: str = ""
    # A known, deliberate difference between mokad and the Redis 7.0.15 reference, with the
    # reason. Such a case runs as a strict xfail: it is reported in every run, and it fails
    # if mokad starts to match Redis (then drop the mark). `differs_protos` narrows it.
    differs: str = ""
    differs_protos: tuple = (2, 3)
    # Commands sent (uncompared, replies ignored) on a fresh connection to each server after
    # the case, even when it failed: undo server-wide state such as CONFIG SET.
    teardown: list = field(default_factory=list)
    # Feature areas (tests/python/areas.py) the case needs besides its family's own area,
    # e.g. ("hashes", "lists") for a WRONGTYPE case mixing the two types. cases/__init__.py
    # fills `areas` with the family's area plus these.
    needs: tuple = ()
    areas: tuple = ()
    cmd_objs: list = field(init=False, repr=False)

    def __post_init__(self):
        objs = []
        for c in self.cmds:
            if isinstance(c, Cmd):
                objs.append(c)
            elif isinstance(c, (list, tuple)):
                objs.append(C(*c))
            elif isinstance(c, bytes):
                objs.append(R(c))
            else:
                raise TypeError(f"case {self.name}: bad command {c!r}")
        self.cmd_objs = objs

    @property
    def id(self) -> str:
        return f"{self.family}/{self.name}" if self.family else self.name


# ---------------------------------------------------------------------------------------
# Normalizers: callables Reply -> comparable value. Keep them few and explicit.

class Normalizer:
    def __init__(self, fn, label):
        self.fn = fn
        self.label = label

    def __call__(self, reply: Reply):
        return self.fn(reply)

    def __repr__(self):
        return self.label


def int_range(lo: int, hi: int) -> Normalizer:
    """Integer reply with lo <= value <= hi (anything else is compared raw)."""
    def fn(r: Reply):
        v = r.as_int()
        if v is not None and lo <= v <= hi:
            return f"integer in [{lo}, {hi}]"
        return ("not an integer in range", r.raw)
    return Normalizer(fn, f"int_range({lo}, {hi})")


def int_near_now(offset: float, tol: float, ms: bool = False) -> Normalizer:
    """Integer reply within `tol` seconds of (now + offset), as unix seconds or ms."""
    def fn(r: Reply):
        v = r.as_int()
        scale = 1000 if ms else 1
        target = (time.time() + offset) * scale
        if v is not None and abs(v - target) <= tol * scale:
            return f"integer ~ now{offset:+}s"
        return ("not near now", r.raw)
    return Normalizer(fn, f"int_near_now({offset}, tol={tol}, ms={ms})")


def _flat_pairs(r: Reply):
    if r.children is None:
        return None
    ch = r.children
    if len(ch) % 2:
        return None
    return [(ch[i], ch[i + 1]) for i in range(0, len(ch), 2)]


def hello_map(ignore=(b"server", b"version", b"id")) -> Normalizer:
    """HELLO reply: same type, same keys in the same order, same values except the
    ignored ones (server name, version, client id)."""
    def fn(r: Reply):
        pairs = _flat_pairs(r)
        if pairs is None:
            return ("not a map", r.raw)
        return (r.kind, [(k.raw, "<ignored>" if k.data in ignore else v.raw) for k, v in pairs])
    return Normalizer(fn, "hello_map")


def each_element(norm: Normalizer) -> Normalizer:
    """Aggregate whose elements are each compared through `norm` (e.g. EXEC of a HELLO)."""
    def fn(r: Reply):
        if r.children is None:
            return ("not an aggregate", r.raw)
        return (r.header, [norm(c) for c in r.children])
    return Normalizer(fn, f"each_element({norm!r})")


def time_reply() -> Normalizer:
    """TIME: two bulk strings, seconds close to now and microseconds in range."""
    def fn(r: Reply):
        ch = r.children or []
        try:
            ok = (r.header == b"*2" and all(c.kind == "$" for c in ch)
                  and abs(int(ch[0].data) - time.time()) < 5 and 0 <= int(ch[1].data) < 1_000_000)
        except (TypeError, ValueError):
            ok = False
        return "TIME [sec, usec]" if ok else ("bad TIME reply", r.raw)
    return Normalizer(fn, "time_reply")


def bulk_contains(*needles: bytes) -> Normalizer:
    """Bulk/verbatim string reply (same type byte) whose payload contains every needle."""
    def fn(r: Reply):
        if r.data is not None and all(n in r.data for n in needles):
            return (r.kind, "contains " + ", ".join(map(repr, needles)))
        return ("missing", r.kind, r.raw[:200])
    return Normalizer(fn, f"bulk_contains{needles!r}")


def first_line_type_count() -> Normalizer:
    """Aggregate header only (type and element count), e.g. COMMAND DOCS for one command."""
    def fn(r: Reply):
        return r.header
    return Normalizer(fn, "header")


def members_of(pool, count: int | None = None, distinct: bool = True) -> Normalizer:
    """A random pick from `pool` (SPOP, SRANDMEMBER, HRANDFIELD, ZRANDMEMBER): with
    count=None one bulk string that is in the pool; otherwise an aggregate (same header on
    both servers) of `count` elements, all in the pool, pairwise distinct if `distinct`."""
    pool_b = {_b(p) for p in pool}

    def fn(r: Reply):
        if count is None:
            if r.kind == "$" and r.data in pool_b:
                return "one member of the pool"
            return ("not a member of the pool", r.raw)
        ch = r.children
        if ch is None or len(ch) != count or any(c.data not in pool_b for c in ch):
            return ("not %d members of the pool" % count, r.raw)
        if distinct and len({c.data for c in ch}) != count:
            return ("members repeat", r.raw)
        return (r.header, "%d members of the pool" % count)
    return Normalizer(fn, f"members_of({sorted(pool_b)!r}, count={count}, distinct={distinct})")


def pubsub_confirmation() -> Normalizer:
    """A (p)unsubscribe confirmation whose channel is not compared: UNSUBSCRIBE without
    arguments confirms the channels in hash-table order, which differs between two
    servers. The kind, the count and the remaining-subscriptions number still are."""
    def fn(r: Reply):
        ch = r.children
        if ch is None or len(ch) != 3:
            return ("not a confirmation", r.raw)
        return (r.header, ch[0].raw, "<channel>", ch[2].raw)
    return Normalizer(fn, "pubsub_confirmation")


def elements_type() -> Normalizer:
    """Aggregate type plus the type of each element (not values), e.g. CLIENT INFO-like lists."""
    def fn(r: Reply):
        return (r.kind, [c.kind for c in (r.children or [])])
    return Normalizer(fn, "elements_type")
