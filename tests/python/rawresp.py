"""A bare RESP connection for tests that need exact reply bytes (error texts) where redis-py
would turn the reply into an exception class."""
from __future__ import annotations

import socket


class RawConn:
    """A bare socket speaking RESP, for exact reply bytes (error texts) where redis-py would
    turn the reply into an exception class."""

    def __init__(self, port: int, timeout: float = 10.0):
        self.sock = socket.create_connection(("127.0.0.1", port), timeout=timeout)
        self.buf = b""

    def send(self, *args) -> None:
        out = [b"*%d\r\n" % len(args)]
        for a in args:
            a = a if isinstance(a, bytes) else str(a).encode()
            out.append(b"$%d\r\n%s\r\n" % (len(a), a))
        self.sock.sendall(b"".join(out))

    def read_line(self) -> bytes:
        """One reply line (enough for the simple, error and integer replies used here)."""
        while b"\r\n" not in self.buf:
            chunk = self.sock.recv(65536)
            if not chunk:
                raise EOFError("connection closed by server")
            self.buf += chunk
        line, self.buf = self.buf.split(b"\r\n", 1)
        return line

    def call(self, *args) -> bytes:
        self.send(*args)
        return self.read_line()

    def close(self) -> None:
        self.sock.close()
