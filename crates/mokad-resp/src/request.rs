//! Request parsing: RESP arrays of bulk strings and inline commands, with Redis's limits.

use bytes::{Buf, Bytes, BytesMut};

use crate::inline::split_args;
use crate::number::parse_i64;

/// Longest inline command line, or array/bulk length line, Redis accepts (`PROTO_INLINE_MAX_SIZE`).
pub const INLINE_MAX_SIZE: usize = 64 * 1024;

/// Largest element count of a request array (`INT_MAX` in Redis).
const MULTIBULK_MAX: i64 = i32::MAX as i64;

/// Arguments preallocated for a request array, whatever count it declares.
pub(crate) const ARGS_PREALLOC: usize = 1024;

/// One request: the command name and its arguments, each binary-safe.
///
/// The arguments are slices of the connection's read buffer: copy any that outlive the request.
pub type Request = Vec<Bytes>;

/// Limits a parser enforces; their defaults are Redis 7's.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Largest bulk string accepted (`proto-max-bulk-len`, 512 MiB by default).
    pub max_bulk_len: u64,
}

impl Default for Limits {
    fn default() -> Self {
        Limits { max_bulk_len: 512 * 1024 * 1024 }
    }
}

/// A malformed request. The server replies `-ERR Protocol error: <text>` and closes the
/// connection, as Redis does.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("Protocol error: {0}")]
pub struct ProtocolError(pub String);

impl ProtocolError {
    fn new(text: &str) -> Self {
        ProtocolError(text.to_owned())
    }
}

/// Where a partly received request array stands between reads.
#[derive(Debug)]
struct PartialArray {
    remaining: usize,
    args: Vec<Bytes>,
    /// Length of the bulk string whose header has been read but whose payload has not arrived.
    pending_bulk: Option<usize>,
}

/// Incremental request parser for one connection.
///
/// Call [`RequestParser::parse`] repeatedly on the read buffer: it consumes complete requests
/// and returns them one at a time, `Ok(None)` when more bytes are needed. An incomplete array
/// keeps the elements it has already taken, so a large request arriving in many reads is parsed
/// once, not from the start on every read. Declared lengths are validated but never used to
/// allocate.
#[derive(Debug, Default)]
pub struct RequestParser {
    limits: Limits,
    partial: Option<PartialArray>,
}

impl RequestParser {
    /// A parser enforcing `limits`.
    pub fn new(limits: Limits) -> Self {
        RequestParser { limits, partial: None }
    }

    /// Changes the limits; they apply from the next length header on.
    pub fn set_limits(&mut self, limits: Limits) {
        self.limits = limits;
    }

    /// Capacity reserved for the arguments of the request in progress (for the fuzz test).
    #[cfg(test)]
    pub(crate) fn partial_capacity(&self) -> usize {
        self.partial.as_ref().map_or(0, |p| p.args.capacity())
    }

    /// Arguments of the request in progress received so far (for the fuzz test).
    #[cfg(test)]
    pub(crate) fn partial_len(&self) -> usize {
        self.partial.as_ref().map_or(0, |p| p.args.len())
    }

    /// Takes the next complete request from the front of `buf`.
    ///
    /// Empty inline lines and arrays declaring zero or fewer elements are skipped, as Redis
    /// does. Returns `Ok(None)` when `buf` holds no complete request yet.
    pub fn parse(&mut self, buf: &mut BytesMut) -> Result<Option<Request>, ProtocolError> {
        loop {
            if self.partial.is_some() {
                return self.continue_array(buf);
            }
            if buf.is_empty() {
                return Ok(None);
            }
            if buf[0] == b'*' {
                let Some(count) = self.array_header(buf)? else {
                    return Ok(None);
                };
                if count <= 0 {
                    continue;
                }
                let count = count as usize;
                self.partial = Some(PartialArray {
                    remaining: count,
                    args: Vec::with_capacity(count.min(ARGS_PREALLOC)),
                    pending_bulk: None,
                });
            } else {
                match parse_inline(buf)? {
                    None => return Ok(None),
                    Some(args) if args.is_empty() => continue,
                    Some(args) => return Ok(Some(args)),
                }
            }
        }
    }

    /// Reads `*<count>\r\n`; `Ok(None)` when the line is not complete yet.
    fn array_header(&self, buf: &mut BytesMut) -> Result<Option<i64>, ProtocolError> {
        let Some(line_end) = find_header_end(buf, "too big mbulk count string")? else {
            return Ok(None);
        };
        let count = match parse_i64(&buf[1..line_end]) {
            Some(n) if n <= MULTIBULK_MAX => n,
            _ => return Err(ProtocolError::new("invalid multibulk length")),
        };
        buf.advance(line_end + 2);
        Ok(Some(count))
    }

    fn continue_array(&mut self, buf: &mut BytesMut) -> Result<Option<Request>, ProtocolError> {
        let max_bulk_len = self.limits.max_bulk_len;
        let partial = self.partial.as_mut().expect("continue_array without a partial array");
        while partial.remaining > 0 {
            let len = match partial.pending_bulk {
                Some(len) => len,
                None => {
                    if buf.is_empty() {
                        return Ok(None);
                    }
                    let Some(line_end) = find_header_end(buf, "too big bulk count string")? else {
                        return Ok(None);
                    };
                    if buf[0] != b'$' {
                        return Err(ProtocolError(format!("expected '$', got '{}'", buf[0] as char)));
                    }
                    let len = match parse_i64(&buf[1..line_end]) {
                        Some(n) if n >= 0 && (n as u64) <= max_bulk_len => n as usize,
                        _ => return Err(ProtocolError::new("invalid bulk length")),
                    };
                    buf.advance(line_end + 2);
                    partial.pending_bulk = Some(len);
                    len
                }
            };
            // Like Redis, the two bytes after the payload are skipped without being checked.
            if buf.len() < len + 2 {
                return Ok(None);
            }
            let arg = buf.split_to(len).freeze();
            buf.advance(2);
            partial.args.push(arg);
            partial.pending_bulk = None;
            partial.remaining -= 1;
        }
        let done = self.partial.take().expect("array in progress");
        Ok(Some(done.args))
    }
}

/// Finds the `\r` ending a length line that starts at `buf[0]`, requiring the byte after it to
/// have arrived too. Like Redis, a line still unterminated past [`INLINE_MAX_SIZE`] is an error.
fn find_header_end(buf: &BytesMut, too_big: &str) -> Result<Option<usize>, ProtocolError> {
    match memchr::memchr(b'\r', buf) {
        None if buf.len() > INLINE_MAX_SIZE => Err(ProtocolError::new(too_big)),
        None => Ok(None),
        Some(i) if i + 1 >= buf.len() => Ok(None),
        Some(i) => Ok(Some(i)),
    }
}

/// Parses one inline command line, ended by `\n` (an optional `\r` before it is dropped).
fn parse_inline(buf: &mut BytesMut) -> Result<Option<Request>, ProtocolError> {
    let Some(newline) = memchr::memchr(b'\n', buf) else {
        if buf.len() > INLINE_MAX_SIZE {
            return Err(ProtocolError::new("too big inline request"));
        }
        return Ok(None);
    };
    let line = buf.split_to(newline + 1);
    let line = line.strip_suffix(b"\n").unwrap_or(&line);
    let line = line.strip_suffix(b"\r").unwrap_or(line);
    let args = split_args(line).ok_or_else(|| ProtocolError::new("unbalanced quotes in request"))?;
    Ok(Some(args.into_iter().map(Bytes::from).collect()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse_all(input: &[u8]) -> (Vec<Vec<String>>, Option<ProtocolError>, usize) {
        let mut parser = RequestParser::default();
        let mut buf = BytesMut::from(input);
        let mut out = Vec::new();
        loop {
            match parser.parse(&mut buf) {
                Ok(Some(req)) => out.push(req.iter().map(|a| String::from_utf8_lossy(a).into_owned()).collect()),
                Ok(None) => return (out, None, buf.len()),
                Err(e) => return (out, Some(e), buf.len()),
            }
        }
    }

    fn err(input: &[u8]) -> String {
        parse_all(input).1.expect("expected a protocol error").to_string()
    }

    #[test]
    fn should_parse_a_pipeline_of_arrays() {
        let (reqs, e, left) = parse_all(b"*1\r\n$4\r\nPING\r\n*3\r\n$3\r\nSET\r\n$1\r\na\r\n$0\r\n\r\n");
        assert_eq!(reqs, vec![vec!["PING"], vec!["SET", "a", ""]]);
        assert!(e.is_none());
        assert_eq!(left, 0);
    }

    #[test]
    fn should_parse_inline_commands_with_quotes() {
        let (reqs, _, _) = parse_all(b"PING\r\nSET a \"hello world\"\nGET a\r\n");
        assert_eq!(reqs, vec![vec!["PING"], vec!["SET", "a", "hello world"], vec!["GET", "a"]]);
    }

    #[test]
    fn should_skip_empty_lines_and_empty_arrays() {
        let (reqs, e, _) = parse_all(b"\r\n\n   \r\n*0\r\n*-10\r\nPING\r\n");
        assert_eq!(reqs, vec![vec!["PING"]]);
        assert!(e.is_none());
    }

    #[test]
    fn should_wait_for_incomplete_input_without_consuming_lines() {
        for partial in [&b"*"[..], b"*2\r", b"*2\r\n$3\r\nGET\r\n$1", b"*2\r\n$3\r\nGET\r\n$1\r\na", b"PING"] {
            let (reqs, e, _) = parse_all(partial);
            assert!(reqs.is_empty() && e.is_none(), "{partial:?}");
        }
    }

    #[test]
    fn should_resume_an_array_split_across_reads() {
        let frame = b"*3\r\n$3\r\nSET\r\n$5\r\nhello\r\n$5\r\nworld\r\n";
        for split in 0..frame.len() {
            let mut parser = RequestParser::default();
            let mut buf = BytesMut::from(&frame[..split]);
            assert_eq!(parser.parse(&mut buf).unwrap(), None, "split at {split}");
            buf.extend_from_slice(&frame[split..]);
            let req = parser.parse(&mut buf).unwrap().expect("complete");
            assert_eq!(req, vec![Bytes::from("SET"), Bytes::from("hello"), Bytes::from("world")]);
            assert!(buf.is_empty());
        }
    }

    #[test]
    fn should_reject_bad_lengths_with_redis_texts() {
        assert_eq!(err(b"*abc\r\n"), "Protocol error: invalid multibulk length");
        assert_eq!(err(b"*+1\r\n"), "Protocol error: invalid multibulk length");
        assert_eq!(err(b"*2147483648\r\n"), "Protocol error: invalid multibulk length");
        assert_eq!(err(b"*\r\n"), "Protocol error: invalid multibulk length");
        assert_eq!(err(b"*1\nPING\r\n"), "Protocol error: invalid multibulk length");
        assert_eq!(err(b"*1\r\n$-1\r\n"), "Protocol error: invalid bulk length");
        assert_eq!(err(b"*1\r\n$03\r\nabc\r\n"), "Protocol error: invalid bulk length");
        assert_eq!(err(b"*1\r\n$536870913\r\n"), "Protocol error: invalid bulk length");
        assert_eq!(err(b"*1\r\n+PING\r\n"), "Protocol error: expected '$', got '+'");
        assert_eq!(err(b"SET a \"b\r\n"), "Protocol error: unbalanced quotes in request");
    }

    #[test]
    fn should_accept_the_largest_bulk_length_without_allocating_it() {
        let (reqs, e, left) = parse_all(b"*1\r\n$536870912\r\n");
        assert!(reqs.is_empty() && e.is_none());
        assert_eq!(left, 0);
        let (_, e, _) = parse_all(b"*2147483647\r\n");
        assert!(e.is_none());
    }

    #[test]
    fn should_honour_a_configured_bulk_limit() {
        let mut parser = RequestParser::new(Limits { max_bulk_len: 3 });
        let mut buf = BytesMut::from(&b"*1\r\n$4\r\nPING\r\n"[..]);
        assert_eq!(parser.parse(&mut buf).unwrap_err().to_string(), "Protocol error: invalid bulk length");
    }

    #[test]
    fn should_reject_unterminated_lines_past_64k() {
        let mut long = vec![b'a'; INLINE_MAX_SIZE + 1];
        assert_eq!(err(&long), "Protocol error: too big inline request");
        long[0] = b'*';
        assert_eq!(err(&long), "Protocol error: too big mbulk count string");
        let mut bulk = b"*1\r\n$".to_vec();
        bulk.extend(vec![b'1'; INLINE_MAX_SIZE + 1]);
        assert_eq!(err(&bulk), "Protocol error: too big bulk count string");
        let (_, e, _) = parse_all(&vec![b'a'; INLINE_MAX_SIZE]);
        assert!(e.is_none(), "exactly 64 KiB without a newline is still waiting");
    }

    #[test]
    fn should_skip_unchecked_terminator_like_redis() {
        // Redis takes "abc", skips "de", and then sees an empty inline line.
        let (reqs, e, _) = parse_all(b"*1\r\n$3\r\nabcde\r\n");
        assert_eq!(reqs, vec![vec!["abc"]]);
        assert!(e.is_none());
    }

    #[test]
    fn should_parse_what_redis_protocol_encodes() {
        use redis_protocol::resp2::{encode::encode, types::{OwnedFrame, Resp2Frame}};
        let args: Vec<Vec<u8>> = vec![b"SET".to_vec(), b"k\r\ney".to_vec(), vec![0, 255, 13, 10], Vec::new()];
        let frame = OwnedFrame::Array(args.iter().cloned().map(OwnedFrame::BulkString).collect());
        let mut out = vec![0u8; frame.encode_len(false)];
        encode(&mut out, &frame, false).unwrap();
        let mut buf = BytesMut::from(&out[..]);
        let req = RequestParser::default().parse(&mut buf).unwrap().unwrap();
        assert_eq!(req.iter().map(|b| b.to_vec()).collect::<Vec<_>>(), args);
    }
}
