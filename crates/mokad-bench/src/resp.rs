//! A minimal blocking RESP2 client: commands are appended to a write buffer (pipelining is
//! just pushing several before `flush`), replies are read one at a time. `read_kind` skips a
//! reply's payload without allocating, which is what the load loops need.

use std::collections::HashMap;
use std::io::{self, Read, Write};
use std::net::TcpStream;
use std::time::Duration;

/// A reply without its payload.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Kind {
    Nil,
    Bulk,
    Simple,
    Error(String),
    Int(i64),
    Array,
}

/// A whole reply.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Reply {
    Nil,
    Bulk(Vec<u8>),
    Simple(String),
    Error(String),
    Int(i64),
    Array(Vec<Reply>),
}

pub struct Conn {
    stream: TcpStream,
    rbuf: Vec<u8>,
    rpos: usize,
    rlen: usize,
    wbuf: Vec<u8>,
}

fn bad(msg: &str) -> io::Error {
    io::Error::new(io::ErrorKind::InvalidData, msg.to_string())
}

fn parse_int(bytes: &[u8]) -> io::Result<i64> {
    std::str::from_utf8(bytes).ok().and_then(|s| s.parse().ok()).ok_or_else(|| bad("bad integer in reply"))
}

impl Conn {
    /// Connects with TCP_NODELAY and a read/write timeout, so that no loop can hang forever.
    pub fn connect(addr: &str, timeout: Duration) -> io::Result<Conn> {
        let stream = TcpStream::connect(addr)?;
        stream.set_nodelay(true)?;
        stream.set_read_timeout(Some(timeout))?;
        stream.set_write_timeout(Some(timeout))?;
        Ok(Conn { stream, rbuf: vec![0; 64 * 1024], rpos: 0, rlen: 0, wbuf: Vec::with_capacity(64 * 1024) })
    }

    /// Appends one command to the write buffer.
    pub fn push(&mut self, args: &[&[u8]]) {
        let w = &mut self.wbuf;
        let _ = write!(w, "*{}\r\n", args.len());
        for a in args {
            let _ = write!(w, "${}\r\n", a.len());
            w.extend_from_slice(a);
            w.extend_from_slice(b"\r\n");
        }
    }

    /// Sends everything pushed so far.
    pub fn flush(&mut self) -> io::Result<()> {
        if !self.wbuf.is_empty() {
            self.stream.write_all(&self.wbuf)?;
            self.wbuf.clear();
        }
        Ok(())
    }

    fn fill(&mut self) -> io::Result<()> {
        if self.rpos > 0 {
            self.rbuf.copy_within(self.rpos..self.rlen, 0);
            self.rlen -= self.rpos;
            self.rpos = 0;
        }
        if self.rlen == self.rbuf.len() {
            let n = self.rbuf.len() * 2;
            self.rbuf.resize(n, 0);
        }
        let n = self.stream.read(&mut self.rbuf[self.rlen..])?;
        if n == 0 {
            return Err(io::Error::new(io::ErrorKind::UnexpectedEof, "server closed the connection"));
        }
        self.rlen += n;
        Ok(())
    }

    /// Reads one line; returns its type byte and the byte range of the rest (without CRLF).
    fn line(&mut self) -> io::Result<(u8, usize, usize)> {
        let mut from = self.rpos;
        loop {
            if let Some(i) = self.rbuf[from..self.rlen].iter().position(|&b| b == b'\n') {
                let nl = from + i;
                if nl == self.rpos || self.rbuf[nl - 1] != b'\r' {
                    return Err(bad("reply line without CRLF"));
                }
                let t = self.rbuf[self.rpos];
                let (a, b) = (self.rpos + 1, nl - 1);
                self.rpos = nl + 1;
                return Ok((t, a, b));
            }
            let scanned = self.rlen - self.rpos;
            self.fill()?;
            from = self.rpos + scanned;
        }
    }

    fn skip(&mut self, mut n: usize) -> io::Result<()> {
        loop {
            let avail = self.rlen - self.rpos;
            if avail >= n {
                self.rpos += n;
                return Ok(());
            }
            n -= avail;
            self.rpos = self.rlen;
            self.fill()?;
        }
    }

    /// Reads one reply, skipping its payload.
    pub fn read_kind(&mut self) -> io::Result<Kind> {
        let (t, a, b) = self.line()?;
        match t {
            b'+' => Ok(Kind::Simple),
            b'-' => Ok(Kind::Error(String::from_utf8_lossy(&self.rbuf[a..b]).into_owned())),
            b':' => Ok(Kind::Int(parse_int(&self.rbuf[a..b])?)),
            b'_' => Ok(Kind::Nil),
            b'$' => {
                let n = parse_int(&self.rbuf[a..b])?;
                if n < 0 {
                    return Ok(Kind::Nil);
                }
                self.skip(n as usize + 2)?;
                Ok(Kind::Bulk)
            }
            b'*' => {
                let n = parse_int(&self.rbuf[a..b])?;
                if n < 0 {
                    return Ok(Kind::Nil);
                }
                for _ in 0..n {
                    self.read_kind()?;
                }
                Ok(Kind::Array)
            }
            _ => Err(bad("unknown reply type")),
        }
    }

    /// Reads one whole reply.
    pub fn read_reply(&mut self) -> io::Result<Reply> {
        let (t, a, b) = self.line()?;
        match t {
            b'+' => Ok(Reply::Simple(String::from_utf8_lossy(&self.rbuf[a..b]).into_owned())),
            b'-' => Ok(Reply::Error(String::from_utf8_lossy(&self.rbuf[a..b]).into_owned())),
            b':' => Ok(Reply::Int(parse_int(&self.rbuf[a..b])?)),
            b'_' => Ok(Reply::Nil),
            b'$' => {
                let n = parse_int(&self.rbuf[a..b])?;
                if n < 0 {
                    return Ok(Reply::Nil);
                }
                let n = n as usize;
                while self.rlen - self.rpos < n + 2 {
                    self.fill()?;
                }
                let data = self.rbuf[self.rpos..self.rpos + n].to_vec();
                self.rpos += n + 2;
                Ok(Reply::Bulk(data))
            }
            b'*' => {
                let n = parse_int(&self.rbuf[a..b])?;
                if n < 0 {
                    return Ok(Reply::Nil);
                }
                let mut items = Vec::with_capacity(n as usize);
                for _ in 0..n {
                    items.push(self.read_reply()?);
                }
                Ok(Reply::Array(items))
            }
            _ => Err(bad("unknown reply type")),
        }
    }

    /// Sends one command and waits for its reply.
    pub fn call(&mut self, args: &[&[u8]]) -> io::Result<Reply> {
        self.push(args);
        self.flush()?;
        self.read_reply()
    }

    /// INFO as a map of `field -> value`.
    pub fn info(&mut self, section: &str) -> io::Result<HashMap<String, String>> {
        match self.call(&[b"INFO", section.as_bytes()])? {
            Reply::Bulk(text) => Ok(String::from_utf8_lossy(&text)
                .lines()
                .filter_map(|l| l.split_once(':'))
                .map(|(k, v)| (k.to_string(), v.trim().to_string()))
                .collect()),
            other => Err(bad(&format!("INFO replied {other:?}"))),
        }
    }

    /// One INFO field as a number (0 if absent).
    pub fn info_u64(&mut self, section: &str, field: &str) -> io::Result<u64> {
        Ok(self.info(section)?.get(field).and_then(|v| v.parse().ok()).unwrap_or(0))
    }

    pub fn dbsize(&mut self) -> io::Result<u64> {
        match self.call(&[b"DBSIZE"])? {
            Reply::Int(n) => Ok(n as u64),
            other => Err(bad(&format!("DBSIZE replied {other:?}"))),
        }
    }
}
