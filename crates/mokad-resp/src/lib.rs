//! RESP framing for mokad.
//!
//! This crate knows bytes, not commands. [`RequestParser`] turns a client's byte stream into
//! requests (a list of arguments, the command name first), accepting both RESP arrays of bulk
//! strings and inline commands typed into telnet. [`Reply`] is a reply value and
//! [`Reply::encode`] writes it as RESP2 or RESP3.
//!
//! Requests are parsed by hand rather than with `redis-protocol`'s decoder: the parser must
//! enforce Redis's limits with Redis's error texts, resume an incomplete frame where it stopped
//! (`redis-protocol` re-parses from the first byte on every read, which is quadratic on large
//! pipelines), and accept inline commands, which `redis-protocol` does not. Those needs leave
//! nothing for a second decoder to do. `redis-protocol` is used in this crate's tests as the
//! independent reference: replies we encode must decode with it, and requests it encodes must
//! parse with us.

#[cfg(test)]
mod fuzz;
mod inline;
mod number;
mod reply;
mod request;

pub use inline::split_args;
pub use number::parse_i64;
pub use reply::{format_g17, Protocol, Reply};
pub use request::{Limits, ProtocolError, Request, RequestParser, INLINE_MAX_SIZE};
