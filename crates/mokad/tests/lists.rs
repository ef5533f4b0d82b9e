//! List commands against the real mokad binary: every command's replies and errors byte for
//! byte as redis-server 7.0.15 gives them (the tables were recorded from it; run with
//! `MOKAD_IT_TARGET=redis` to check them again), in RESP2 and RESP3, and the `redis` crate
//! reading list replies.

mod common;

use std::num::NonZeroUsize;

use common::{cmd, Raw, Server};
use redis::{Commands, Direction, LposOptions};

/// Runs each (command line, exact reply) row in order on one connection.
fn table(conn: &mut Raw, rows: &[(&str, &str)]) {
    for (line, expected) in rows {
        let args: Vec<&str> = line.split(' ').collect();
        assert_eq!(conn.call_str(&args), *expected, "command: {line}");
    }
}

/// A fresh server's raw RESP2 connection.
fn fresh() -> (Server, Raw) {
    let server = Server::start();
    let raw = server.raw();
    (server, raw)
}

/// LPUSH, RPUSH, LPUSHX, RPUSHX and LLEN, with WRONGTYPE and arity errors.
#[test]
fn pushes_create_lists_and_reply_their_length() {
    let (_server, mut conn) = fresh();
    table(
        &mut conn,
        &[
        ("set s str", "+OK\r\n"),
        ("rpush l a b c", ":3\r\n"),
        ("lpush l x y", ":5\r\n"),
        ("lrange l 0 -1", "*5\r\n$1\r\ny\r\n$1\r\nx\r\n$1\r\na\r\n$1\r\nb\r\n$1\r\nc\r\n"),
        ("lpushx nokey a", ":0\r\n"),
        ("rpushx nokey a", ":0\r\n"),
        ("exists nokey", ":0\r\n"),
        ("lpushx l 1 2", ":7\r\n"),
        ("rpushx l 3 4", ":9\r\n"),
        ("lrange l 0 -1", "*9\r\n$1\r\n2\r\n$1\r\n1\r\n$1\r\ny\r\n$1\r\nx\r\n$1\r\na\r\n$1\r\nb\r\n$1\r\nc\r\n$1\r\n3\r\n$1\r\n4\r\n"),
        ("lpushx s a", "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n"),
        ("lpush s a", "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n"),
        ("rpush s a", "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n"),
        ("lpush l", "-ERR wrong number of arguments for 'lpush' command\r\n"),
        ("llen l", ":9\r\n"),
        ("llen nokey", ":0\r\n"),
        ("llen s", "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n"),
        ("type l", "+list\r\n"),
        ],
    );
}

/// Without a count: an element or the null bulk; with one: an array, or the null array when
/// there is no list (even for COUNT 0, which answers `[]` on an existing list).
#[test]
fn lpop_and_rpop_reply_an_element_or_an_array_with_a_count() {
    let (_server, mut conn) = fresh();
    table(
        &mut conn,
        &[
        ("set s str", "+OK\r\n"),
        ("rpush l a b c d e f", ":6\r\n"),
        ("lpop l", "$1\r\na\r\n"),
        ("rpop l", "$1\r\nf\r\n"),
        ("lpop l 0", "*0\r\n"),
        ("lpop l 2", "*2\r\n$1\r\nb\r\n$1\r\nc\r\n"),
        ("rpop l 1", "*1\r\n$1\r\ne\r\n"),
        ("lpop l -1", "-ERR value is out of range, must be positive\r\n"),
        ("lpop l x", "-ERR value is out of range, must be positive\r\n"),
        ("lpop l 1 2", "-ERR wrong number of arguments for 'lpop' command\r\n"),
        ("rpop l 1 2", "-ERR wrong number of arguments for 'rpop' command\r\n"),
        ("lpop nokey", "$-1\r\n"),
        ("rpop nokey", "$-1\r\n"),
        ("lpop nokey 0", "*-1\r\n"),
        ("lpop nokey 5", "*-1\r\n"),
        ("lpop s", "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n"),
        ("lpop s 0", "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n"),
        ("lpop s -1", "-ERR value is out of range, must be positive\r\n"),
        ("rpop l 5", "*1\r\n$1\r\nd\r\n"),
        ("exists l", ":0\r\n"),
        ("lpop l 0", "*-1\r\n"),
        ],
    );
}

/// LRANGE clamps, LINDEX answers nil, LSET fails with `ERR index out of range` or
/// `ERR no such key`; LINDEX and LSET look the key up before parsing the index, LRANGE after.
#[test]
fn lrange_lindex_and_lset_resolve_negative_and_out_of_range_indexes() {
    let (_server, mut conn) = fresh();
    table(
        &mut conn,
        &[
        ("set s str", "+OK\r\n"),
        ("rpush l a b c d e", ":5\r\n"),
        ("lrange l 0 -1", "*5\r\n$1\r\na\r\n$1\r\nb\r\n$1\r\nc\r\n$1\r\nd\r\n$1\r\ne\r\n"),
        ("lrange l -2 -1", "*2\r\n$1\r\nd\r\n$1\r\ne\r\n"),
        ("lrange l 1 0", "*0\r\n"),
        ("lrange l -100 100", "*5\r\n$1\r\na\r\n$1\r\nb\r\n$1\r\nc\r\n$1\r\nd\r\n$1\r\ne\r\n"),
        ("lrange l 2 -100", "*0\r\n"),
        ("lrange l 5 10", "*0\r\n"),
        ("lrange l 0 x", "-ERR value is not an integer or out of range\r\n"),
        ("lrange nokey 0 -1", "*0\r\n"),
        ("lrange nokey a b", "-ERR value is not an integer or out of range\r\n"),
        ("lrange s 0 1", "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n"),
        ("lindex l 0", "$1\r\na\r\n"),
        ("lindex l -1", "$1\r\ne\r\n"),
        ("lindex l 4", "$1\r\ne\r\n"),
        ("lindex l 5", "$-1\r\n"),
        ("lindex l -6", "$-1\r\n"),
        ("lindex l x", "-ERR value is not an integer or out of range\r\n"),
        ("lindex nokey x", "$-1\r\n"),
        ("lindex s 0", "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n"),
        ("lindex s x", "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n"),
        ("lset l 0 first", "+OK\r\n"),
        ("lset l -1 last", "+OK\r\n"),
        ("lset l 5 x", "-ERR index out of range\r\n"),
        ("lset l -6 x", "-ERR index out of range\r\n"),
        ("lset l x y", "-ERR value is not an integer or out of range\r\n"),
        ("lset nokey 0 a", "-ERR no such key\r\n"),
        ("lset nokey x a", "-ERR no such key\r\n"),
        ("lset s 0 a", "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n"),
        ("lrange l 0 -1", "*5\r\n$5\r\nfirst\r\n$1\r\nb\r\n$1\r\nc\r\n$1\r\nd\r\n$4\r\nlast\r\n"),
        ],
    );
}

/// LINSERT, LREM from either end, LTRIM; a list they empty is deleted.
#[test]
fn linsert_lrem_and_ltrim_edit_lists_and_delete_emptied_ones() {
    let (_server, mut conn) = fresh();
    table(
        &mut conn,
        &[
        ("set s str", "+OK\r\n"),
        ("rpush l a b c", ":3\r\n"),
        ("linsert l before a X", ":4\r\n"),
        ("linsert l AFTER c Y", ":5\r\n"),
        ("linsert l after b Z", ":6\r\n"),
        ("linsert l before nope Z", ":-1\r\n"),
        ("linsert l middle a b", "-ERR syntax error\r\n"),
        ("linsert nokey before a b", ":0\r\n"),
        ("exists nokey", ":0\r\n"),
        ("linsert s before a b", "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n"),
        ("linsert s middle a b", "-ERR syntax error\r\n"),
        ("lrange l 0 -1", "*6\r\n$1\r\nX\r\n$1\r\na\r\n$1\r\nb\r\n$1\r\nZ\r\n$1\r\nc\r\n$1\r\nY\r\n"),
        ("rpush r a b a c a d a", ":7\r\n"),
        ("lrem r 2 a", ":2\r\n"),
        ("lrange r 0 -1", "*5\r\n$1\r\nb\r\n$1\r\nc\r\n$1\r\na\r\n$1\r\nd\r\n$1\r\na\r\n"),
        ("lrem r -1 a", ":1\r\n"),
        ("lrange r 0 -1", "*4\r\n$1\r\nb\r\n$1\r\nc\r\n$1\r\na\r\n$1\r\nd\r\n"),
        ("lrem r 0 a", ":1\r\n"),
        ("lrange r 0 -1", "*3\r\n$1\r\nb\r\n$1\r\nc\r\n$1\r\nd\r\n"),
        ("lrem r 0 zz", ":0\r\n"),
        ("lrem r x a", "-ERR value is not an integer or out of range\r\n"),
        ("lrem nokey 0 a", ":0\r\n"),
        ("lrem s 0 a", "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n"),
        ("lrem r -9223372036854775808 b", ":1\r\n"),
        ("lrem r 0 c", ":1\r\n"),
        ("lrem r 0 d", ":1\r\n"),
        ("exists r", ":0\r\n"),
        ("rpush t 1 2 3 4 5 6", ":6\r\n"),
        ("ltrim t 1 -2", "+OK\r\n"),
        ("lrange t 0 -1", "*4\r\n$1\r\n2\r\n$1\r\n3\r\n$1\r\n4\r\n$1\r\n5\r\n"),
        ("ltrim t -100 100", "+OK\r\n"),
        ("lrange t 0 -1", "*4\r\n$1\r\n2\r\n$1\r\n3\r\n$1\r\n4\r\n$1\r\n5\r\n"),
        ("ltrim t 1 x", "-ERR value is not an integer or out of range\r\n"),
        ("ltrim s 0 1", "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n"),
        ("ltrim nokey 0 1", "+OK\r\n"),
        ("ltrim t 5 1", "+OK\r\n"),
        ("exists t", ":0\r\n"),
        ],
    );
}

/// LPOS with RANK (negative from the tail), COUNT (0 for all) and MAXLEN, their errors, and
/// Redis 7.0's handling of RANK -9223372036854775808 (every match qualifies).
#[test]
fn lpos_finds_matches_with_rank_count_and_maxlen() {
    let (_server, mut conn) = fresh();
    table(
        &mut conn,
        &[
        ("set s str", "+OK\r\n"),
        ("rpush p a b c a b c a", ":7\r\n"),
        ("lpos p a", ":0\r\n"),
        ("lpos p c", ":2\r\n"),
        ("lpos p a rank 2", ":3\r\n"),
        ("lpos p a rank -1", ":6\r\n"),
        ("lpos p a rank -2", ":3\r\n"),
        ("lpos p a count 0", "*3\r\n:0\r\n:3\r\n:6\r\n"),
        ("lpos p a count 2", "*2\r\n:0\r\n:3\r\n"),
        ("lpos p a rank -1 count 2", "*2\r\n:6\r\n:3\r\n"),
        ("lpos p a rank 2 count 0", "*2\r\n:3\r\n:6\r\n"),
        ("lpos p a maxlen 3 count 0", "*1\r\n:0\r\n"),
        ("lpos p a rank 2 maxlen 3", "$-1\r\n"),
        ("lpos p a rank -1 maxlen 2 count 0", "*1\r\n:6\r\n"),
        ("lpos p a RANK 1 COUNT 1 COUNT 3", "*3\r\n:0\r\n:3\r\n:6\r\n"),
        ("lpos p zz", "$-1\r\n"),
        ("lpos p zz count 0", "*0\r\n"),
        ("lpos p a rank 0", "-ERR RANK can't be zero: use 1 to start from the first match, 2 from the second ... or use negative to start from the end of the list\r\n"),
        ("lpos p a rank x", "-ERR value is not an integer or out of range\r\n"),
        ("lpos p a count -1", "-ERR COUNT can't be negative\r\n"),
        ("lpos p a count x", "-ERR COUNT can't be negative\r\n"),
        ("lpos p a maxlen -1", "-ERR MAXLEN can't be negative\r\n"),
        ("lpos p a maxlen x", "-ERR MAXLEN can't be negative\r\n"),
        ("lpos p a foo 1", "-ERR syntax error\r\n"),
        ("lpos p a rank", "-ERR syntax error\r\n"),
        ("lpos nokey a", "$-1\r\n"),
        ("lpos nokey a count 1", "*0\r\n"),
        ("lpos nokey a rank 0", "-ERR RANK can't be zero: use 1 to start from the first match, 2 from the second ... or use negative to start from the end of the list\r\n"),
        ("lpos s a", "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n"),
        ("lpos s a rank 0", "-ERR RANK can't be zero: use 1 to start from the first match, 2 from the second ... or use negative to start from the end of the list\r\n"),
        ("lpos p a rank -9223372036854775808", ":6\r\n"),
        ("lpos p a rank -9223372036854775808 count 1", "*3\r\n:6\r\n:3\r\n:0\r\n"),
        ("lpos p a rank 9223372036854775807", "$-1\r\n"),
        ("lpos p a rank 9223372036854775807 count 0", "*0\r\n"),
        ],
    );
}

/// LMOVE in every direction (also onto the same list), RPOPLPUSH, nil without a source, and
/// WRONGTYPE for either key checked before anything moves.
#[test]
fn lmove_and_rpoplpush_move_one_element_between_lists() {
    let (_server, mut conn) = fresh();
    table(
        &mut conn,
        &[
        ("set s str", "+OK\r\n"),
        ("rpush m a b c", ":3\r\n"),
        ("lmove m m2 left right", "$1\r\na\r\n"),
        ("lmove m m2 RIGHT LEFT", "$1\r\nc\r\n"),
        ("lrange m 0 -1", "*1\r\n$1\r\nb\r\n"),
        ("lrange m2 0 -1", "*2\r\n$1\r\nc\r\n$1\r\na\r\n"),
        ("lmove m m2 up left", "-ERR syntax error\r\n"),
        ("lmove m m2 left down", "-ERR syntax error\r\n"),
        ("lmove nokey m2 left left", "$-1\r\n"),
        ("lmove nokey s left left", "$-1\r\n"),
        ("lmove s m left left", "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n"),
        ("lmove m s left left", "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n"),
        ("rpush m x y", ":3\r\n"),
        ("lmove m m left right", "$1\r\nb\r\n"),
        ("lrange m 0 -1", "*3\r\n$1\r\nx\r\n$1\r\ny\r\n$1\r\nb\r\n"),
        ("lmove m m right left", "$1\r\nb\r\n"),
        ("lrange m 0 -1", "*3\r\n$1\r\nb\r\n$1\r\nx\r\n$1\r\ny\r\n"),
        ("lpop m 3", "*3\r\n$1\r\nb\r\n$1\r\nx\r\n$1\r\ny\r\n"),
        ("lmove m2 m left left", "$1\r\nc\r\n"),
        ("exists m2", ":1\r\n"),
        ("rpoplpush m m3", "$1\r\nc\r\n"),
        ("rpoplpush nokey m", "$-1\r\n"),
        ("rpoplpush m s", "$-1\r\n"),
        ("rpoplpush s m", "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n"),
        ("lrange m 0 -1", "*0\r\n"),
        ("lrange m3 0 -1", "*1\r\n$1\r\nc\r\n"),
        ],
    );
}

/// LMPOP: numkeys, direction and COUNT parsed in Redis's order, with its error texts.
#[test]
fn lmpop_pops_from_the_first_non_empty_list() {
    let (_server, mut conn) = fresh();
    table(
        &mut conn,
        &[
        ("set s str", "+OK\r\n"),
        ("rpush m a b c d", ":4\r\n"),
        ("lmpop 1 m left", "*2\r\n$1\r\nm\r\n*1\r\n$1\r\na\r\n"),
        ("lmpop 2 nokey m right count 2", "*2\r\n$1\r\nm\r\n*2\r\n$1\r\nd\r\n$1\r\nc\r\n"),
        ("lmpop 2 nokey nokey2 left", "*-1\r\n"),
        ("lmpop 1 s left", "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n"),
        ("lmpop 2 nokey s left", "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n"),
        ("lmpop 2 m s left", "*2\r\n$1\r\nm\r\n*1\r\n$1\r\nb\r\n"),
        ("lmpop 0 m left", "-ERR numkeys should be greater than 0\r\n"),
        ("lmpop -1 m left", "-ERR numkeys should be greater than 0\r\n"),
        ("lmpop x m left", "-ERR numkeys should be greater than 0\r\n"),
        ("lmpop 3 m left", "-ERR syntax error\r\n"),
        ("lmpop 2 m left right", "*-1\r\n"),
        ("lrange m 0 -1", "*0\r\n"),
        ("rpush m b c", ":2\r\n"),
        ("lmpop 1 m middle", "-ERR syntax error\r\n"),
        ("lmpop 1 m left count 0", "-ERR count should be greater than 0\r\n"),
        ("lmpop 1 m left count -1", "-ERR count should be greater than 0\r\n"),
        ("lmpop 1 m left count x", "-ERR count should be greater than 0\r\n"),
        ("lmpop 1 m left count 1 count 1", "-ERR syntax error\r\n"),
        ("lmpop 1 m left foo", "-ERR syntax error\r\n"),
        ("lmpop 1 m left count", "-ERR syntax error\r\n"),
        ("lmpop 1 m LEFT COUNT 10", "*2\r\n$1\r\nm\r\n*2\r\n$1\r\nb\r\n$1\r\nc\r\n"),
        ("exists m", ":0\r\n"),
        ("lmpop 9223372036854775807 m left", "-ERR syntax error\r\n"),
        ("lmpop 2147483647 m left", "-ERR syntax error\r\n"),
        ("lmpop 2 m", "-ERR wrong number of arguments for 'lmpop' command\r\n"),
        ],
    );
}

/// The blocking forms when they need not wait, and their argument errors (the timeout is read
/// first, except after BLMOVE's directions and BLMPOP's numkeys, direction and COUNT).
#[test]
fn blocking_pops_answer_at_once_when_an_element_is_there_and_check_arguments() {
    let (_server, mut conn) = fresh();
    table(
        &mut conn,
        &[
        ("set s str", "+OK\r\n"),
        ("rpush l a b c d e f", ":6\r\n"),
        ("blpop l 0", "*2\r\n$1\r\nl\r\n$1\r\na\r\n"),
        ("brpop l 0.01", "*2\r\n$1\r\nl\r\n$1\r\nf\r\n"),
        ("blpop nokey l 0", "*2\r\n$1\r\nl\r\n$1\r\nb\r\n"),
        ("brpop nokey 0.01", "*-1\r\n"),
        ("blpop nokey x", "-ERR timeout is not a float or out of range\r\n"),
        ("blpop nokey -1", "-ERR timeout is negative\r\n"),
        ("blpop nokey inf", "-ERR timeout is negative\r\n"),
        ("blpop nokey 1e400", "-ERR timeout is negative\r\n"),
        ("blpop nokey nan", "-ERR timeout is not a float or out of range\r\n"),
        ("blpop nokey 1e5000", "-ERR timeout is not a float or out of range\r\n"),
        ("blpop s 0", "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n"),
        ("blpop s x", "-ERR timeout is not a float or out of range\r\n"),
        ("blpop nokey s 0", "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n"),
        ("blpop l s 0", "*2\r\n$1\r\nl\r\n$1\r\nc\r\n"),
        ("blmove l m2 left left 0", "$1\r\nd\r\n"),
        ("blmove l m2 up left 0", "-ERR syntax error\r\n"),
        ("blmove l m2 left left x", "-ERR timeout is not a float or out of range\r\n"),
        ("blmove l m2 up left x", "-ERR syntax error\r\n"),
        ("blmove nokey m2 left left 0.01", "*-1\r\n"),
        ("blmove l s left left 0", "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n"),
        ("blmove nokey s left left 0.01", "*-1\r\n"),
        ("brpoplpush l m2 0", "$1\r\ne\r\n"),
        ("brpoplpush nokey m2 0.01", "*-1\r\n"),
        ("brpoplpush l m2 x", "-ERR timeout is not a float or out of range\r\n"),
        ("lrange m2 0 -1", "*2\r\n$1\r\ne\r\n$1\r\nd\r\n"),
        ("rpush l a b c", ":3\r\n"),
        ("blmpop 0 1 l left", "*2\r\n$1\r\nl\r\n*1\r\n$1\r\na\r\n"),
        ("blmpop 0 1 l right count 5", "*2\r\n$1\r\nl\r\n*2\r\n$1\r\nc\r\n$1\r\nb\r\n"),
        ("exists l", ":0\r\n"),
        ("blmpop 0.01 1 nokey left", "*-1\r\n"),
        ("blmpop x 1 l left", "-ERR timeout is not a float or out of range\r\n"),
        ("blmpop -1 1 l left", "-ERR timeout is negative\r\n"),
        ("blmpop x 0 l left", "-ERR numkeys should be greater than 0\r\n"),
        ("blmpop 0 0 l left", "-ERR numkeys should be greater than 0\r\n"),
        ("blmpop 0 2 l left", "-ERR syntax error\r\n"),
        ("blmpop 0 1 s left", "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n"),
        ("bzpopmin nokey 0.01", "*-1\r\n"),
        ("bzpopmax nokey 0.01", "*-1\r\n"),
        ("bzpopmin s 0", "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n"),
        ("bzpopmax s 0", "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n"),
        ("bzpopmin nokey x", "-ERR timeout is not a float or out of range\r\n"),
        ("bzpopmin nokey -1", "-ERR timeout is negative\r\n"),
        ("blmpop x 2 l left", "-ERR syntax error\r\n"),
        ("blmpop x 1 l middle", "-ERR syntax error\r\n"),
        ("blmpop x 1 l left count 0", "-ERR count should be greater than 0\r\n"),
        ],
    );
}

/// Inside MULTI nothing blocks: a timeout's null array, but the null bulk for BLMOVE and
/// BRPOPLPUSH, as Redis 7.0 answers.
#[test]
fn blocking_pops_inside_multi_answer_at_once_as_a_timeout() {
    let (_server, mut conn) = fresh();
    table(
        &mut conn,
        &[
        ("rpush l a", ":1\r\n"),
        ("multi", "+OK\r\n"),
        ("blpop nokey 0", "+QUEUED\r\n"),
        ("brpop nokey 0", "+QUEUED\r\n"),
        ("blmove nokey d left left 0", "+QUEUED\r\n"),
        ("brpoplpush nokey d 0", "+QUEUED\r\n"),
        ("blmpop 0 1 nokey left", "+QUEUED\r\n"),
        ("bzpopmin nokey 0", "+QUEUED\r\n"),
        ("bzpopmax nokey 0", "+QUEUED\r\n"),
        ("blpop l 0", "+QUEUED\r\n"),
        ("exec", "*8\r\n*-1\r\n*-1\r\n$-1\r\n$-1\r\n*-1\r\n*-1\r\n*-1\r\n*2\r\n$1\r\nl\r\n$1\r\na\r\n"),
        ],
    );
}

/// RESP3 nulls (`_`) where RESP2 has `$-1` or `*-1`; arrays stay arrays.
#[test]
fn list_replies_use_resp3_nulls_after_hello_3() {
    let (_server, mut conn) = fresh();
    let hello = conn.call(&["HELLO", "3"]);
    assert!(hello.starts_with(b"%"), "HELLO 3 replied {:?}", String::from_utf8_lossy(&hello));
    table(
        &mut conn,
        &[
        ("lpop nokey", "_\r\n"),
        ("lpop nokey 2", "_\r\n"),
        ("lrange nokey 0 1", "*0\r\n"),
        ("lpos nokey a", "_\r\n"),
        ("lpos nokey a count 0", "*0\r\n"),
        ("lmpop 1 nokey left", "_\r\n"),
        ("rpush h a b", ":2\r\n"),
        ("lmpop 1 h left count 5", "*2\r\n$1\r\nh\r\n*2\r\n$1\r\na\r\n$1\r\nb\r\n"),
        ("blpop nokey 0.01", "_\r\n"),
        ("bzpopmin nokey 0.01", "_\r\n"),
        ("lindex nokey 0", "_\r\n"),
        ("lpop h 0", "_\r\n"),
        ("rpush h2 a b c d", ":4\r\n"),
        ("lpop h2 0", "*0\r\n"),
        ("lpop h2 2", "*2\r\n$1\r\na\r\n$1\r\nb\r\n"),
        ("rpop h2 1", "*1\r\n$1\r\nd\r\n"),
        ("blpop nokey h2 0", "*2\r\n$2\r\nh2\r\n$1\r\nc\r\n"),
        ("rpush h2 x", ":1\r\n"),
        ("brpoplpush h2 h3 0", "$1\r\nx\r\n"),
        ("blmove nokey d left left 0.01", "_\r\n"),
        ("multi", "+OK\r\n"),
        ("blpop nokey 0", "+QUEUED\r\n"),
        ("blmove nokey d left left 0", "+QUEUED\r\n"),
        ("brpoplpush nokey d 0", "+QUEUED\r\n"),
        ("blmpop 0 1 nokey left", "+QUEUED\r\n"),
        ("exec", "*4\r\n_\r\n_\r\n_\r\n_\r\n"),
        ("lpos h3 zz", "_\r\n"),
        ("lpos h3 x count 0", "*1\r\n:0\r\n"),
        ],
    );
}

#[test]
fn the_redis_crate_reads_list_replies() {
    let server = Server::start();
    let mut c = server.conn();
    assert_eq!(c.rpush::<_, _, i64>("l", &["a", "b", "c"]).unwrap(), 3);
    assert_eq!(c.lpush::<_, _, i64>("l", "z").unwrap(), 4);
    assert_eq!(c.lrange::<_, Vec<String>>("l", 0, -1).unwrap(), ["z", "a", "b", "c"]);
    assert_eq!(c.llen::<_, i64>("l").unwrap(), 4);
    assert_eq!(c.lindex::<_, Option<String>>("l", -1).unwrap().as_deref(), Some("c"));
    assert_eq!(c.lindex::<_, Option<String>>("l", 9).unwrap(), None);
    let _: () = c.lset("l", 0, "y").unwrap();
    assert_eq!(c.linsert_before::<_, _, _, i64>("l", "a", "x").unwrap(), 5);
    assert_eq!(c.lpos::<_, _, Option<i64>>("l", "a", LposOptions::default()).unwrap(), Some(2));
    assert_eq!(c.lpos::<_, _, Vec<i64>>("l", "zz", LposOptions::default().count(0)).unwrap(), Vec::<i64>::new());
    assert_eq!(c.lmove::<_, _, String>("l", "other", Direction::Right, Direction::Left).unwrap(), "c");
    assert_eq!(c.rpoplpush::<_, _, Option<String>>("nothing", "other").unwrap(), None);
    assert_eq!(c.lpop::<_, Vec<String>>("l", NonZeroUsize::new(2)).unwrap(), ["y", "x"]);
    assert_eq!(c.rpop::<_, Option<String>>("l", None).unwrap().as_deref(), Some("b"));
    assert_eq!(c.lpop::<_, Option<Vec<String>>>("nothing", NonZeroUsize::new(2)).unwrap(), None);
    assert_eq!(c.lrem::<_, _, i64>("l", 0, "a").unwrap(), 1);
    assert!(!c.exists::<_, bool>("l").unwrap(), "an emptied list is deleted");
    let _: () = c.rpush("m", &[1, 2, 3, 4]).unwrap();
    let _: () = c.ltrim("m", 1, 2).unwrap();
    assert_eq!(c.lrange::<_, Vec<i64>>("m", 0, -1).unwrap(), [2, 3]);
    assert_eq!(c.lmpop::<_, Option<(String, Vec<String>)>>(2, &["nothing", "m"], Direction::Left, 5).unwrap(), Some(("m".into(), vec!["2".into(), "3".into()])));
    assert_eq!(c.blpop::<_, Option<[String; 2]>>("other", 0.0).unwrap(), Some(["other".into(), "c".into()]));
    assert_eq!(c.brpop::<_, Option<[String; 2]>>("nothing", 0.05).unwrap(), None);
    assert_eq!(cmd(&["TYPE", "other"]).query::<String>(&mut c).unwrap(), "none");
}

#[test]
fn the_redis_crate_reads_list_replies_in_resp3() {
    let server = Server::start();
    let mut c = server.conn3();
    let _: () = c.rpush("l", &["a", "b", "c"]).unwrap();
    assert_eq!(c.lpop::<_, Vec<String>>("l", NonZeroUsize::new(2)).unwrap(), ["a", "b"]);
    assert_eq!(c.lpop::<_, Option<String>>("nothing", None).unwrap(), None);
    assert_eq!(c.lmpop::<_, Option<(String, Vec<String>)>>(1, "l", Direction::Right, 1).unwrap(), Some(("l".into(), vec!["c".into()])));
    assert_eq!(c.blpop::<_, Option<[String; 2]>>("l", 0.05).unwrap(), None);
}

#[test]
fn a_large_list_keeps_its_order_through_ranges_trims_and_removals() {
    let server = Server::start();
    let mut c = server.conn();
    let items: Vec<i64> = (0..10_000).collect();
    for chunk in items.chunks(1000) {
        let _: () = c.rpush("big", chunk).unwrap();
    }
    assert_eq!(c.llen::<_, i64>("big").unwrap(), 10_000);
    assert_eq!(c.lrange::<_, Vec<i64>>("big", 0, -1).unwrap(), items);
    assert_eq!(c.lrange::<_, Vec<i64>>("big", -3, -1).unwrap(), [9997, 9998, 9999]);
    assert_eq!(c.lrange::<_, Vec<i64>>("big", 4998, 5001).unwrap(), [4998, 4999, 5000, 5001]);
    assert_eq!(c.lindex::<_, i64>("big", 5000).unwrap(), 5000);
    // Every tenth element becomes "x"; LREM -3 removes the last three of them only.
    for i in (0..10_000).step_by(10) {
        let _: () = c.lset("big", i, "x").unwrap();
    }
    assert_eq!(c.lrem::<_, _, i64>("big", -3, "x").unwrap(), 3);
    assert_eq!(c.lpos::<_, _, Vec<i64>>("big", "x", LposOptions::default().rank(-1).count(1)).unwrap(), [9960]);
    assert_eq!(c.lrem::<_, _, i64>("big", 0, "x").unwrap(), 997);
    assert_eq!(c.llen::<_, i64>("big").unwrap(), 9000);
    let _: () = c.ltrim("big", 100, -101).unwrap();
    let left: Vec<i64> = c.lrange("big", 0, -1).unwrap();
    let expected: Vec<i64> = items.iter().copied().filter(|i| i % 10 != 0).skip(100).take(8800).collect();
    assert_eq!(left, expected);
}

#[test]
fn a_list_write_breaks_a_watch() {
    let server = Server::start();
    let mut watcher = server.raw();
    let mut other = server.raw();
    other.call(&["RPUSH", "q", "a"]);
    assert_eq!(watcher.call_str(&["WATCH", "q"]), "+OK\r\n");
    assert_eq!(other.call_str(&["LPOP", "q"]), "$1\r\na\r\n");
    watcher.call(&["MULTI"]);
    watcher.call(&["RPUSH", "q", "b"]);
    assert_eq!(watcher.call_str(&["EXEC"]), "*-1\r\n");
    // An unchanged list leaves the transaction alone.
    other.call(&["RPUSH", "q2", "a"]);
    watcher.call(&["WATCH", "q2"]);
    assert_eq!(other.call_str(&["LRANGE", "q2", "0", "-1"]), "*1\r\n$1\r\na\r\n");
    watcher.call(&["MULTI"]);
    watcher.call(&["RPUSH", "q2", "b"]);
    assert_eq!(watcher.call_str(&["EXEC"]), "*1\r\n:2\r\n");
}
