"""Minimal RESP2/RESP3 client pieces for the differential suite: a buffered socket reader
that returns the exact raw bytes of one reply (plus a parsed tree for normalizers), and a
connection wrapper. No third-party packages on purpose: the suite compares bytes."""
from __future__ import annotations

import socket
import time
from dataclasses import dataclass, field

# Types whose payload is one line: simple string, error, integer, null, double, boolean, big number.
LINE_TYPES = b"+-:_,#("
# Types whose payload is a length-prefixed blob: bulk string, bulk error, verbatim string.
BLOB_TYPES = b"$!="
# Aggregates: array, set, push (n children), map, attribute (2n children).
AGG_TYPES = b"*~>"
MAP_TYPES = b"%|"


class ProtocolError(Exception):
    """The server sent bytes that are not a valid RESP reply."""


@dataclass
class Reply:
    kind: str                      # first byte as a one-character string, e.g. "*", "$", "%"
    raw: bytes                     # exact bytes of the whole reply (attribute prefix included)
    header: bytes                  # first line without CRLF, e.g. b"*3", b"$5", b"+OK"
    data: bytes | None = None      # payload of line/blob types; None for nulls and aggregates
    children: list["Reply"] | None = None   # aggregates (maps flattened: k1, v1, k2, v2, ...)
    attrs: "Reply | None" = field(default=None, repr=False)

    @property
    def is_null(self) -> bool:
        return self.kind == "_" or self.header in (b"$-1", b"*-1")

    @property
    def is_error(self) -> bool:
        return self.kind in "-!"

    def text(self) -> str:
        return (self.data or b"").decode("utf-8", "replace")

    def as_int(self) -> int | None:
        if self.kind == ":":
            return int(self.data)
        return None


class Reader:
    """Buffered reader over a socket. Tracks every byte taken from the socket in `self.log`
    (reset per command by the caller) so partial replies can still be reported."""

    def __init__(self, sock: socket.socket):
        self.sock = sock
        self.buf = bytearray()
        self.eof = False

    def _fill(self) -> None:
        if self.eof:
            raise EOFError("connection closed by server")
        try:
            chunk = self.sock.recv(65536)
        except ConnectionResetError as e:
            self.eof = True
            raise EOFError("connection reset by server") from e
        if not chunk:
            self.eof = True
            raise EOFError("connection closed by server")
        self.buf += chunk

    def _line(self, pos: int) -> tuple[bytes, int]:
        while True:
            i = self.buf.find(b"\r\n", pos)
            if i >= 0:
                return bytes(self.buf[pos:i]), i + 2
            self._fill()

    def _need(self, end: int) -> None:
        while len(self.buf) < end:
            self._fill()

    def read_reply(self) -> Reply:
        """Parse one complete reply; consume it from the buffer only when complete."""
        reply, end = self._parse(0)
        del self.buf[:end]
        return reply

    def _parse(self, pos: int) -> tuple[Reply, int]:
        self._need(pos + 1)
        t = self.buf[pos:pos + 1]
        line, nxt = self._line(pos)
        kind = t.decode("latin-1")
        if t in (b"|",):
            attrs, after = self._aggregate(pos, line, nxt, pairs=True)
            inner, end = self._parse(after)
            inner.attrs = attrs
            inner.raw = bytes(self.buf[pos:end])
            return inner, end
        if t and t in LINE_TYPES:
            data = None if t == b"_" else line[1:]
            return Reply(kind, bytes(self.buf[pos:nxt]), line, data=data), nxt
        if t and t in BLOB_TYPES:
            n = self._length(line)
            if n < 0:
                if t != b"$" or n != -1:
                    raise ProtocolError(f"bad blob length {line!r}")
                return Reply(kind, bytes(self.buf[pos:nxt]), line), nxt
            end = nxt + n + 2
            self._need(end)
            if self.buf[end - 2:end] != b"\r\n":
                raise ProtocolError(f"blob of {n} bytes not followed by CRLF")
            return Reply(kind, bytes(self.buf[pos:end]), line, data=bytes(self.buf[nxt:end - 2])), end
        if t and t in AGG_TYPES + MAP_TYPES:
            return self._aggregate(pos, line, nxt, pairs=t in MAP_TYPES)
        raise ProtocolError(f"unknown reply type byte {bytes(t)!r} in line {line[:80]!r}")

    def _length(self, line: bytes) -> int:
        try:
            return int(line[1:])
        except ValueError:
            raise ProtocolError(f"bad length in {line[:80]!r}") from None

    def _aggregate(self, pos: int, line: bytes, nxt: int, pairs: bool) -> tuple[Reply, int]:
        n = self._length(line)
        kind = line[:1].decode("latin-1")
        if n < 0:
            if line != b"*-1":
                raise ProtocolError(f"bad aggregate length {line!r}")
            return Reply(kind, bytes(self.buf[pos:nxt]), line), nxt
        children = []
        p = nxt
        for _ in range(n * 2 if pairs else n):
            child, p = self._parse(p)
            children.append(child)
        return Reply(kind, bytes(self.buf[pos:p]), line, children=children), p

    def take_all(self) -> bytes:
        data = bytes(self.buf)
        self.buf.clear()
        return data


def encode_command(args) -> bytes:
    parts = [b"*%d\r\n" % len(args)]
    for a in args:
        if isinstance(a, str):
            a = a.encode()
        elif isinstance(a, int):
            a = str(a).encode()
        parts.append(b"$%d\r\n%s\r\n" % (len(a), a))
    return b"".join(parts)


class Conn:
    def __init__(self, port: int, timeout: float = 5.0):
        self.sock = socket.create_connection(("127.0.0.1", port), timeout=timeout)
        self.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self.timeout = timeout
        self.reader = Reader(self.sock)
        self.closed = False

    def send(self, data: bytes) -> None:
        self.sock.sendall(data)

    def call(self, *args) -> Reply:
        self.send(encode_command(args))
        return self.reader.read_reply()

    def read_reply(self) -> Reply:
        return self.reader.read_reply()

    def wait_close(self, wait: float) -> tuple[bool, bytes]:
        """Return (closed, extra_bytes): whether the server closes the connection within
        `wait` seconds, and any bytes that arrived meanwhile (normally none)."""
        extra = self.reader.take_all()
        if self.reader.eof:
            return True, extra
        deadline = time.monotonic() + wait
        try:
            while True:
                left = deadline - time.monotonic()
                if left <= 0:
                    return False, extra
                self.sock.settimeout(left)
                try:
                    chunk = self.sock.recv(65536)
                except socket.timeout:
                    return False, extra
                except ConnectionResetError:
                    self.reader.eof = True
                    return True, extra
                if not chunk:
                    self.reader.eof = True
                    return True, extra
                extra += chunk
                deadline = time.monotonic() + wait
        finally:
            self.sock.settimeout(self.timeout)

    def close(self) -> None:
        try:
            self.sock.close()
        except OSError:
            pass
