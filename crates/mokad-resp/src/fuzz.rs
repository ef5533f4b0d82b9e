//! A deterministic fuzzer for the request parser, run as a unit test: mutated valid requests
//! and random bytes, fed in random read sizes. The parser must never panic, never return more
//! bytes than it was given, and never preallocate from a declared length.

use bytes::BytesMut;

use crate::request::{RequestParser, ARGS_PREALLOC};

/// xorshift64*: reproducible without a dependency.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545F4914F6CDD1D)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

const SEEDS: &[&[u8]] = &[
    b"*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$5\r\nvalue\r\n",
    b"*1\r\n$4\r\nPING\r\n",
    b"SET a \"hello \\x41 world\"\r\n",
    b"GET 'it\\'s'\r\n",
    b"*2147483647\r\n",
    b"*1\r\n$536870912\r\n",
    b"*0\r\n*-1\r\n\r\n\n",
    b"*2\r\n$3\r\nGET\r\n$1\r\nx\r\n*1\r\n$4\r\nPING\r\n",
];

const INTERESTING: &[&[u8]] = &[b"\r\n", b"*", b"$", b"-1", b"0", b"99999999999999999999", b"\"", b"'", b"\\x", b"\0"];

fn mutate(rng: &mut Rng, input: &mut Vec<u8>) {
    for _ in 0..1 + rng.below(4) {
        match rng.below(5) {
            0 if !input.is_empty() => {
                let i = rng.below(input.len());
                input[i] = rng.next() as u8;
            }
            1 if !input.is_empty() => {
                let i = rng.below(input.len());
                input.remove(i);
            }
            2 => {
                let i = rng.below(input.len() + 1);
                let piece = INTERESTING[rng.below(INTERESTING.len())];
                input.splice(i..i, piece.iter().copied());
            }
            3 => {
                let other = SEEDS[rng.below(SEEDS.len())];
                input.extend_from_slice(other);
            }
            _ => {
                let n = rng.below(8);
                input.extend((0..n).map(|_| rng.next() as u8));
            }
        }
    }
}

fn feed(rng: &mut Rng, input: &[u8]) {
    let mut parser = RequestParser::default();
    let mut buf = BytesMut::new();
    let mut given = 0usize;
    let mut returned = 0usize;
    let mut pos = 0;
    while pos < input.len() {
        let take = (1 + rng.below(32)).min(input.len() - pos);
        buf.extend_from_slice(&input[pos..pos + take]);
        given += take;
        pos += take;
        loop {
            match parser.parse(&mut buf) {
                Ok(Some(args)) => {
                    assert!(!args.is_empty());
                    returned += args.iter().map(|a| a.len()).sum::<usize>();
                    assert!(returned <= given, "returned more bytes than were given");
                }
                Ok(None) => break,
                Err(_) => return,
            }
        }
        assert!(parser.partial_capacity() <= ARGS_PREALLOC.max(parser.partial_len()));
    }
}

#[test]
fn should_survive_mutated_and_random_input() {
    let mut rng = Rng(0x9E3779B97F4A7C15);
    for round in 0..60_000 {
        let mut input = SEEDS[round % SEEDS.len()].to_vec();
        mutate(&mut rng, &mut input);
        feed(&mut rng, &input);
        let noise: Vec<u8> = (0..rng.below(64)).map(|_| rng.next() as u8).collect();
        feed(&mut rng, &noise);
    }
}
