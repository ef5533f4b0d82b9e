//! Reply values and their RESP2/RESP3 encoding.

use std::borrow::Cow;

use bytes::{BufMut, Bytes, BytesMut};

/// The protocol a connection speaks: RESP2 until `HELLO 3`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Protocol {
    /// RESP2: every aggregate is an array, nulls are `$-1` or `*-1`.
    #[default]
    Resp2,
    /// RESP3: maps, sets, doubles, booleans, nulls and pushes have their own types.
    Resp3,
}

/// A reply value, encoded as Redis encodes it in either protocol.
#[derive(Debug, Clone, PartialEq)]
pub enum Reply {
    /// A status reply (`+OK`); line breaks in it are replaced by spaces.
    Simple(Cow<'static, str>),
    /// An error reply, prefix included (`ERR ...`, `WRONGTYPE ...`); line breaks become spaces.
    Error(Cow<'static, str>),
    /// An integer reply.
    Integer(i64),
    /// A binary-safe bulk string.
    Bulk(Bytes),
    /// The null bulk string (`$-1` in RESP2).
    Null,
    /// The null array (`*-1` in RESP2), as EXEC answers an aborted transaction.
    NullArray,
    /// An array.
    Array(Vec<Reply>),
    /// A map: a flat array of keys and values in RESP2.
    Map(Vec<(Reply, Reply)>),
    /// A set: an array in RESP2.
    Set(Vec<Reply>),
    /// A double: a bulk string in RESP2.
    Double(f64),
    /// A boolean: the integer 1 or 0 in RESP2.
    Boolean(bool),
    /// Verbatim text with its three-letter format (`txt`): a plain bulk string in RESP2.
    Verbatim(&'static str, Bytes),
    /// An out-of-band push message: an array in RESP2.
    Push(Vec<Reply>),
    /// Several replies written back to back with no header of their own: a command that
    /// answers with more than one frame (`SUBSCRIBE a b`), or the messages a PUBLISH delivers
    /// to its own connection before its count. Inside an aggregate the frames land in place,
    /// as Redis writes them (an EXEC reply then holds more frames than its header counts).
    Sequence(Vec<Reply>),
}

impl Reply {
    /// `+OK`.
    pub const OK: Reply = Reply::Simple(Cow::Borrowed("OK"));

    /// A status reply from static text.
    pub const fn simple(text: &'static str) -> Reply {
        Reply::Simple(Cow::Borrowed(text))
    }

    /// A status reply from text built at run time.
    pub fn simple_owned(text: String) -> Reply {
        Reply::Simple(Cow::Owned(text))
    }

    /// An error reply from static text (prefix included).
    pub const fn error(text: &'static str) -> Reply {
        Reply::Error(Cow::Borrowed(text))
    }

    /// A bulk string copied from a byte slice.
    pub fn bulk(data: impl AsRef<[u8]>) -> Reply {
        Reply::Bulk(Bytes::copy_from_slice(data.as_ref()))
    }

    /// Whether this is an error reply.
    pub fn is_error(&self) -> bool {
        matches!(self, Reply::Error(_))
    }

    /// Appends the encoding of this reply to `out`.
    pub fn encode(&self, protocol: Protocol, out: &mut BytesMut) {
        let resp3 = protocol == Protocol::Resp3;
        match self {
            Reply::Simple(text) => line(out, b'+', text.as_bytes()),
            Reply::Error(text) => line(out, b'-', text.as_bytes()),
            Reply::Integer(n) => header(out, b':', *n),
            Reply::Bulk(data) => bulk(out, data),
            Reply::Null if resp3 => out.put_slice(b"_\r\n"),
            Reply::Null => out.put_slice(b"$-1\r\n"),
            Reply::NullArray if resp3 => out.put_slice(b"_\r\n"),
            Reply::NullArray => out.put_slice(b"*-1\r\n"),
            Reply::Array(items) => aggregate(out, b'*', items, protocol),
            Reply::Set(items) => aggregate(out, if resp3 { b'~' } else { b'*' }, items, protocol),
            Reply::Push(items) => aggregate(out, if resp3 { b'>' } else { b'*' }, items, protocol),
            Reply::Map(pairs) => {
                if resp3 {
                    header(out, b'%', pairs.len() as i64);
                } else {
                    header(out, b'*', 2 * pairs.len() as i64);
                }
                for (key, value) in pairs {
                    key.encode(protocol, out);
                    value.encode(protocol, out);
                }
            }
            Reply::Double(value) => {
                let text = format_resp_double(*value);
                if resp3 {
                    line(out, b',', text.as_bytes());
                } else {
                    bulk(out, text.as_bytes());
                }
            }
            Reply::Boolean(value) if resp3 => out.put_slice(if *value { b"#t\r\n" } else { b"#f\r\n" }),
            Reply::Boolean(value) => header(out, b':', i64::from(*value)),
            Reply::Verbatim(format, text) if resp3 => {
                header(out, b'=', (text.len() + 4) as i64);
                out.put_slice(format.as_bytes());
                out.put_u8(b':');
                out.put_slice(text);
                out.put_slice(b"\r\n");
            }
            Reply::Verbatim(_, text) => bulk(out, text),
            Reply::Sequence(items) => {
                for item in items {
                    item.encode(protocol, out);
                }
            }
        }
    }

    /// Appends only the push frames in this reply, wherever they are nested: what a client
    /// receives when CLIENT REPLY OFF or SKIP suppresses the reply, since Redis sends pushes
    /// (pub/sub confirmations and messages) regardless.
    pub fn encode_pushes(&self, protocol: Protocol, out: &mut BytesMut) {
        match self {
            Reply::Push(_) => self.encode(protocol, out),
            Reply::Array(items) | Reply::Set(items) | Reply::Sequence(items) => {
                for item in items {
                    item.encode_pushes(protocol, out);
                }
            }
            _ => {}
        }
    }
}

impl From<i64> for Reply {
    fn from(n: i64) -> Self {
        Reply::Integer(n)
    }
}

impl From<Bytes> for Reply {
    fn from(data: Bytes) -> Self {
        Reply::Bulk(data)
    }
}

impl From<Option<Bytes>> for Reply {
    fn from(data: Option<Bytes>) -> Self {
        data.map_or(Reply::Null, Reply::Bulk)
    }
}

/// Doubles as Redis 7.0 writes them in replies: C's `%.17g`, with `inf` and `-inf`.
fn format_resp_double(value: f64) -> String {
    if value.is_nan() {
        "nan".into()
    } else if value.is_infinite() {
        if value > 0.0 { "inf".into() } else { "-inf".into() }
    } else {
        format_g17(value)
    }
}

/// C's `printf("%.17g", value)` for a finite `value`.
pub fn format_g17(value: f64) -> String {
    const PRECISION: i32 = 17;
    if value == 0.0 {
        return if value.is_sign_negative() { "-0".into() } else { "0".into() };
    }
    // 17 significant digits in scientific form tell the exponent after rounding.
    let sci = format!("{:.*e}", (PRECISION - 1) as usize, value);
    let (mantissa, exponent) = sci.split_once('e').expect("scientific format has an exponent");
    let exponent: i32 = exponent.parse().expect("exponent is an integer");
    if exponent < -4 || exponent >= PRECISION {
        let mantissa = trim_fraction(mantissa);
        let sign = if exponent < 0 { '-' } else { '+' };
        format!("{mantissa}e{sign}{:02}", exponent.abs())
    } else {
        let decimals = (PRECISION - 1 - exponent).max(0) as usize;
        trim_fraction(&format!("{value:.decimals$}")).to_string()
    }
}

/// Drops trailing zeros of a fraction, and the point when nothing follows it.
fn trim_fraction(text: &str) -> &str {
    if text.contains('.') {
        text.trim_end_matches('0').trim_end_matches('.')
    } else {
        text
    }
}

fn header(out: &mut BytesMut, kind: u8, n: i64) {
    let mut digits = itoa::Buffer::new();
    let digits = digits.format(n);
    out.reserve(digits.len() + 3);
    out.put_u8(kind);
    out.put_slice(digits.as_bytes());
    out.put_slice(b"\r\n");
}

fn bulk(out: &mut BytesMut, data: &[u8]) {
    header(out, b'$', data.len() as i64);
    out.reserve(data.len() + 2);
    out.put_slice(data);
    out.put_slice(b"\r\n");
}

/// A one-line reply; CR and LF inside it would end the line early, so they become spaces.
fn line(out: &mut BytesMut, kind: u8, text: &[u8]) {
    out.reserve(text.len() + 3);
    out.put_u8(kind);
    if memchr::memchr2(b'\r', b'\n', text).is_none() {
        out.put_slice(text);
    } else {
        out.extend(text.iter().map(|&c| if c == b'\r' || c == b'\n' { b' ' } else { c }));
    }
    out.put_slice(b"\r\n");
}

fn aggregate(out: &mut BytesMut, kind: u8, items: &[Reply], protocol: Protocol) {
    header(out, kind, items.len() as i64);
    for item in items {
        item.encode(protocol, out);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn enc(reply: &Reply, protocol: Protocol) -> String {
        let mut out = BytesMut::new();
        reply.encode(protocol, &mut out);
        String::from_utf8(out.to_vec()).unwrap()
    }

    fn both(reply: Reply) -> (String, String) {
        (enc(&reply, Protocol::Resp2), enc(&reply, Protocol::Resp3))
    }

    #[test]
    fn should_encode_scalars() {
        assert_eq!(both(Reply::OK), ("+OK\r\n".into(), "+OK\r\n".into()));
        assert_eq!(both(Reply::Integer(-42)).0, ":-42\r\n");
        assert_eq!(both(Reply::bulk("hi")).0, "$2\r\nhi\r\n");
        assert_eq!(both(Reply::bulk("")).0, "$0\r\n\r\n");
    }

    #[test]
    fn should_encode_nulls_per_protocol() {
        assert_eq!(both(Reply::Null), ("$-1\r\n".into(), "_\r\n".into()));
        assert_eq!(both(Reply::NullArray), ("*-1\r\n".into(), "_\r\n".into()));
    }

    #[test]
    fn should_downgrade_resp3_types_in_resp2() {
        let map = Reply::Map(vec![(Reply::bulk("a"), Reply::Integer(1))]);
        assert_eq!(both(map), ("*2\r\n$1\r\na\r\n:1\r\n".into(), "%1\r\n$1\r\na\r\n:1\r\n".into()));
        assert_eq!(both(Reply::Set(vec![])), ("*0\r\n".into(), "~0\r\n".into()));
        assert_eq!(both(Reply::Double(1.5)), ("$3\r\n1.5\r\n".into(), ",1.5\r\n".into()));
        assert_eq!(both(Reply::Double(1.1)), ("$18\r\n1.1000000000000001\r\n".into(), ",1.1000000000000001\r\n".into()));
        assert_eq!(both(Reply::Boolean(true)), (":1\r\n".into(), "#t\r\n".into()));
        assert_eq!(both(Reply::Verbatim("txt", Bytes::from("hi"))), ("$2\r\nhi\r\n".into(), "=6\r\ntxt:hi\r\n".into()));
        assert_eq!(both(Reply::Push(vec![Reply::Integer(1)])), ("*1\r\n:1\r\n".into(), ">1\r\n:1\r\n".into()));
    }

    #[test]
    fn should_format_doubles_as_printf_g17() {
        let cases = [
            (1.0, "1"),
            (-2.5, "-2.5"),
            (0.1, "0.10000000000000001"),
            (1e20, "1e+20"),
            (1e16, "10000000000000000"),
            (1e17, "1e+17"),
            (0.0001, "0.0001"),
            (0.00001, "1.0000000000000001e-05"),
            (123456789.125, "123456789.125"),
            (-0.0, "-0"),
            (f64::MAX, "1.7976931348623157e+308"),
        ];
        for (value, text) in cases {
            assert_eq!(format_g17(value), text, "{value}");
        }
    }

    #[test]
    fn should_write_a_sequence_as_consecutive_frames_even_inside_an_array() {
        let push = |n| Reply::Push(vec![Reply::bulk("subscribe"), Reply::bulk("c"), Reply::Integer(n)]);
        let seq = Reply::Sequence(vec![push(1), push(2)]);
        let frame = "*3\r\n$9\r\nsubscribe\r\n$1\r\nc\r\n";
        assert_eq!(enc(&seq, Protocol::Resp2), format!("{frame}:1\r\n{frame}:2\r\n"));
        let in_exec = Reply::Array(vec![seq, Reply::OK]);
        assert_eq!(enc(&in_exec, Protocol::Resp2), format!("*2\r\n{frame}:1\r\n{frame}:2\r\n+OK\r\n"));
    }

    #[test]
    fn should_encode_only_the_pushes_of_a_suppressed_reply() {
        let push = Reply::Push(vec![Reply::bulk("message"), Reply::bulk("c"), Reply::bulk("m")]);
        let reply = Reply::Array(vec![Reply::Sequence(vec![push.clone(), Reply::Integer(1)]), Reply::OK]);
        let mut out = BytesMut::new();
        reply.encode_pushes(Protocol::Resp3, &mut out);
        assert_eq!(out, enc(&push, Protocol::Resp3).as_bytes());
        let mut out = BytesMut::new();
        Reply::Integer(1).encode_pushes(Protocol::Resp3, &mut out);
        assert!(out.is_empty());
    }

    #[test]
    fn should_replace_line_breaks_in_one_line_replies() {
        let reply = Reply::Error("ERR bad\r\n+OK".to_string().into());
        assert_eq!(enc(&reply, Protocol::Resp2), "-ERR bad  +OK\r\n");
    }

    #[test]
    fn should_produce_frames_redis_protocol_decodes() {
        use redis_protocol::resp3::{decode::complete::decode, types::OwnedFrame};
        let reply = Reply::Array(vec![
            Reply::Map(vec![(Reply::simple("k"), Reply::Set(vec![Reply::Double(2.5), Reply::Boolean(false)]))]),
            Reply::Null,
            Reply::Bulk(Bytes::from_static(b"\x00\r\n")),
            Reply::Verbatim("txt", Bytes::from("v")),
            Reply::Error("ERR x".into()),
        ]);
        let mut out = BytesMut::new();
        reply.encode(Protocol::Resp3, &mut out);
        let (frame, used) = decode(&out).unwrap().unwrap();
        assert_eq!(used, out.len());
        let OwnedFrame::Array { data, .. } = frame else { panic!("not an array: {frame:?}") };
        assert_eq!(data.len(), 5);
        assert!(matches!(&data[0], OwnedFrame::Map { data, .. } if data.len() == 1));
        assert!(matches!(&data[1], OwnedFrame::Null));
        assert!(matches!(&data[2], OwnedFrame::BlobString { data, .. } if data == b"\x00\r\n"));

        let mut out2 = BytesMut::new();
        reply.encode(Protocol::Resp2, &mut out2);
        let (frame2, used2) = redis_protocol::resp2::decode::decode(&out2).unwrap().unwrap();
        assert_eq!(used2, out2.len());
        assert!(matches!(frame2, redis_protocol::resp2::types::OwnedFrame::Array(ref items) if items.len() == 5));
    }
}
