//! A cursor over a command's arguments, with Redis's parsing rules for each kind.

use bytes::Bytes;
use mokad_resp::{parse_i64, Reply};

use crate::errors;

/// Reads a command's arguments in order, after its name.
pub struct Args<'a> {
    args: &'a [Bytes],
    pos: usize,
}

impl<'a> Args<'a> {
    /// A cursor over `args`, which start with the command name; reading starts after it.
    pub fn new(args: &'a [Bytes]) -> Self {
        Args { args, pos: 1 }
    }

    /// Arguments not read yet.
    pub fn remaining(&self) -> usize {
        self.args.len() - self.pos
    }

    /// The next argument, if any.
    pub fn next(&mut self) -> Option<&'a Bytes> {
        let arg = self.args.get(self.pos)?;
        self.pos += 1;
        Some(arg)
    }

    /// The next argument; the dispatcher's arity check guarantees the ones a command requires,
    /// so a missing one is a syntax error.
    pub fn bytes(&mut self) -> Result<&'a Bytes, Reply> {
        self.next().ok_or(errors::SYNTAX)
    }

    /// The next argument as a signed integer (`ERR value is not an integer or out of range`).
    pub fn int(&mut self) -> Result<i64, Reply> {
        parse_int(self.bytes()?)
    }

    /// Every argument not read yet.
    pub fn rest(&mut self) -> &'a [Bytes] {
        let rest = &self.args[self.pos..];
        self.pos = self.args.len();
        rest
    }
}

/// Parses an integer argument with Redis's rules.
pub fn parse_int(arg: &[u8]) -> Result<i64, Reply> {
    parse_i64(arg).ok_or(errors::NOT_INTEGER)
}

/// Whether `arg` equals `word`, ignoring ASCII case.
pub fn is(arg: &[u8], word: &str) -> bool {
    arg.eq_ignore_ascii_case(word.as_bytes())
}
