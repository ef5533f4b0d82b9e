"""Hash commands: HSET/HSETNX/HMSET, HGET/HMGET, HDEL, HLEN, HSTRLEN, HEXISTS, HKEYS/HVALS/
HGETALL, HINCRBY/HINCRBYFLOAT, HRANDFIELD, HSCAN.

Field order: Redis 7.0 returns the fields of a small (listpack) hash in insertion order and
those of a large (hashtable) one in hash order. Clients treat a hash as unordered, so
HGETALL/HKEYS/HVALS are compared order-insensitively ("pairs"/"unordered") everywhere except
`hgetall_small_keeps_insertion_order`, which pins the listpack order on its own.
"""
from ._model import C, Case, ScanKeyAll, members_of

AREA = "hashes"

BIG = [str(i) for i in range(600)]            # > hash-max-listpack-entries (512 in 7.0.15)
BIG_HSET = ["HSET", "big"] + [x for i in BIG for x in (f"f{i}", f"v{i}")]

CASES = [
    # HSET / HGET / HSETNX / HMSET / HMGET
    Case("hset_hget", [["HSET", "h", "f1", "v1"], ["HGET", "h", "f1"], ["HSET", "h", "f1", "v2"],
                       ["HGET", "h", "f1"], ["HGET", "h", "nofield"], ["HGET", "nokey", "f"],
                       ["HSET", "h", "f2", "a", "f3", "b", "f2", "c"], ["HGET", "h", "f2"], ["HLEN", "h"]]),
    Case("hset_arity", [["HSET", "h"], ["HSET", "h", "f"], ["HSET", "h", "f", "v", "g"], ["EXISTS", "h"],
                        ["HGET", "h"], ["HGET", "h", "f", "g"], ["hset", "h", "f"]]),
    Case("hset_binary_and_empty", [["HSET", "h", "", ""], ["HGET", "h", ""], ["HSTRLEN", "h", ""],
                                   ["HSET", "h", b"\x00\xff", b"\r\n\x00"], ["HGET", "h", b"\x00\xff"],
                                   ["HLEN", "h"]]),
    Case("hsetnx", [["HSETNX", "h", "f", "v1"], ["HSETNX", "h", "f", "v2"], ["HGET", "h", "f"],
                    ["HSETNX", "h", "g", "v3"], ["HLEN", "h"], ["HSETNX", "h", "f"], ["HSETNX", "h", "f", "v", "x"]]),
    Case("hmset", [["HMSET", "h", "a", "1", "b", "2"], ["HMGET", "h", "a", "b", "c"], ["HMSET", "h", "a"],
                   ["HMSET", "h", "a", "1", "b"], ["HMSET", "h"]]),
    Case("hmget", [["HMGET", "nokey", "a", "b"], ["HSET", "h", "a", "1"], ["HMGET", "h", "a"],
                   ["HMGET", "h", "x", "a", "a", "y"], ["HMGET", "h"]]),
    Case("hset_numbers_are_strings", [["HSET", "h", "n", "00012", "m", "1e3", "x", "-0"],
                                      ["HMGET", "h", "n", "m", "x"], ["HSTRLEN", "h", "n"]]),
    Case("hset_large_value", [["HSET", "h", "f", "x" * 100_000], ["HSTRLEN", "h", "f"],
                              ["HGET", "h", "f"]]),

    # HDEL / HLEN / HSTRLEN / HEXISTS
    Case("hdel", [["HSET", "h", "a", "1", "b", "2", "c", "3"], ["HDEL", "h", "a"], ["HDEL", "h", "a"],
                  ["HDEL", "h", "b", "b", "x"], ["HLEN", "h"], ["HDEL", "nokey", "a"], ["HDEL", "h"]]),
    Case("hdel_last_field_deletes_key", [["HSET", "h", "a", "1", "b", "2"], ["HDEL", "h", "a", "b"],
                                         ["EXISTS", "h"], ["TYPE", "h"], ["HLEN", "h"], ["HGETALL", "h"],
                                         ["SET", "h", "string-again"], ["GET", "h"]]),
    Case("hlen_hstrlen_hexists", [["HLEN", "nokey"], ["HSTRLEN", "nokey", "f"], ["HEXISTS", "nokey", "f"],
                                  ["HSET", "h", "f", "hello"], ["HLEN", "h"], ["HSTRLEN", "h", "f"],
                                  ["HSTRLEN", "h", "g"], ["HEXISTS", "h", "f"], ["HEXISTS", "h", "g"],
                                  ["HLEN"], ["HLEN", "h", "x"], ["HEXISTS", "h"], ["HSTRLEN", "h"]]),

    # HGETALL / HKEYS / HVALS
    Case("hgetall_hkeys_hvals", [["HSET", "h", "a", "1", "b", "2", "c", "3"],
                                 C("HGETALL", "h", cmp="pairs"), C("HKEYS", "h", cmp="unordered"),
                                 C("HVALS", "h", cmp="unordered")]),
    Case("hgetall_missing", [["HGETALL", "nokey"], ["HKEYS", "nokey"], ["HVALS", "nokey"],
                             ["HGETALL"], ["HKEYS", "a", "b"], ["HVALS"]]),
    Case("hgetall_small_keeps_insertion_order",
         [["HSET", "h", "zeta", "1", "alpha", "2", "mid", "3"], ["HSET", "h", "beta", "4"], ["HDEL", "h", "alpha"],
          ["HSET", "h", "alpha", "5"], ["HGETALL", "h"], ["HKEYS", "h"], ["HVALS", "h"]],
         note="Redis keeps insertion order for small (listpack) hashes; clients should not rely on it"),
    Case("hgetall_large", [BIG_HSET, ["HLEN", "big"], C("HGETALL", "big", cmp="pairs"),
                           C("HKEYS", "big", cmp="unordered"), C("HVALS", "big", cmp="unordered"),
                           ["HGET", "big", "f599"], ["HDEL", "big", "f0", "f1"], ["HLEN", "big"]]),

    # HINCRBY / HINCRBYFLOAT
    Case("hincrby", [["HINCRBY", "h", "n", "5"], ["HINCRBY", "h", "n", "-7"], ["HGET", "h", "n"],
                     ["HSET", "h", "s", " 1"], ["HINCRBY", "h", "s", "1"], ["HSET", "h", "t", "abc"],
                     ["HINCRBY", "h", "t", "1"], ["HINCRBY", "h", "n", "x"], ["HINCRBY", "h", "n", "1.5"],
                     ["HINCRBY", "h", "n"], ["HINCRBY", "h", "n", "1", "2"]]),
    Case("hincrby_overflow", [["HSET", "h", "n", "9223372036854775806"], ["HINCRBY", "h", "n", "1"],
                              ["HINCRBY", "h", "n", "1"], ["HGET", "h", "n"],
                              ["HSET", "h", "m", "-9223372036854775808"], ["HINCRBY", "h", "m", "-1"],
                              ["HINCRBY", "h", "o", "9223372036854775808"],
                              ["HSET", "h", "big", "99999999999999999999"], ["HINCRBY", "h", "big", "1"]]),
    Case("hincrbyfloat", [["HINCRBYFLOAT", "h", "f", "1.5"], ["HINCRBYFLOAT", "h", "f", "0.1"],
                          ["HINCRBYFLOAT", "h", "f", "-3"], ["HSET", "h", "i", "10"],
                          ["HINCRBYFLOAT", "h", "i", "2.5e2"], ["HINCRBYFLOAT", "h", "i", "1e-5"],
                          ["HSET", "h", "s", "abc"], ["HINCRBYFLOAT", "h", "s", "1"],
                          ["HINCRBYFLOAT", "h", "f", "x"], ["HINCRBYFLOAT", "h", "f", "inf"],
                          ["HINCRBYFLOAT", "h", "f", "nan"], ["HINCRBYFLOAT", "h", "f", "1e308"],
                          ["HINCRBYFLOAT", "h", "f", "1e308"], ["HGET", "h", "f"],
                          ["HINCRBYFLOAT", "h", "g", "3.0"], ["HGET", "h", "g"],
                          ["HINCRBYFLOAT", "h", "z", "-0"], ["HGET", "h", "z"]]),

    # HRANDFIELD: random picks are compared as picks from the hash; counts at least the size
    # return every field, compared unordered.
    Case("hrandfield", [["HRANDFIELD", "nokey"], ["HRANDFIELD", "nokey", "3"], ["HRANDFIELD", "nokey", "-3"],
                        ["HRANDFIELD", "nokey", "3", "WITHVALUES"],
                        ["HSET", "h", "a", "1", "b", "2", "c", "3"],
                        C("HRANDFIELD", "h", cmp=members_of(["a", "b", "c"])),
                        C("HRANDFIELD", "h", "2", cmp=members_of(["a", "b", "c"], 2)),
                        C("HRANDFIELD", "h", "10", cmp="unordered"),
                        C("HRANDFIELD", "h", "-5", cmp=members_of(["a", "b", "c"], 5, distinct=False)),
                        ["HRANDFIELD", "h", "0"], ["HRANDFIELD", "h", "0", "WITHVALUES"],
                        C("HRANDFIELD", "h", "3", "WITHVALUES", cmp="pairs", protos=(2,)),
                        C("HRANDFIELD", "h", "3", "WITHVALUES", cmp="unordered", protos=(3,)),
                        ["HLEN", "h"]]),
    Case("hrandfield_errors", [["HSET", "h", "a", "1"], ["HRANDFIELD", "h", "x"], ["HRANDFIELD", "h", "1", "x"],
                               ["HRANDFIELD", "h", "1", "WITHVALUES", "x"],
                               ["HRANDFIELD", "h", "-9223372036854775808"],
                               ["HRANDFIELD", "h", "-9223372036854775808", "WITHVALUES"],
                               ["HRANDFIELD", "h", "1", "withvalues", "withvalues"], ["HRANDFIELD"]]),

    # HSCAN
    Case("hscan_small", [["HSET", "h", "a", "1", "b", "2", "c", "3"], ScanKeyAll("HSCAN", "h"),
                         ScanKeyAll("HSCAN", "h", "MATCH", "a*"), ScanKeyAll("HSCAN", "h", "COUNT", "1"),
                         ["HSCAN", "nokey", "0"]]),
    Case("hscan_large", [BIG_HSET, ScanKeyAll("HSCAN", "big"), ScanKeyAll("HSCAN", "big", "MATCH", "f1?"),
                         ScanKeyAll("HSCAN", "big", "COUNT", "1000")]),
    Case("hscan_errors", [["HSET", "h", "a", "1"], ["HSCAN", "h", "x"], ["HSCAN", "h", "0", "COUNT", "0"],
                          ["HSCAN", "h", "0", "COUNT", "x"], ["HSCAN", "h", "0", "MATCH"],
                          ["HSCAN", "h", "0", "TYPE", "string"], ["HSCAN", "h", "0", "BOGUS", "1"],
                          ["HSCAN", "h"], ["HSCAN", "h", "-1"]]),

    # Transactions and expiry on hashes.
    Case("hash_in_multi", [["MULTI"], ["HSET", "h", "a", "1"], ["HINCRBY", "h", "a", "2"],
                           ["HGET", "h", "a"], ["HDEL", "h", "a"], ["EXISTS", "h"], ["EXEC"]]),
    Case("hash_watch_invalidated_by_hset", [["HSET", "h", "a", "1"], ["WATCH", "h"],
                                            C("HSET", "h", "b", "2", conn=1), ["MULTI"], ["HLEN", "h"],
                                            ["EXEC"]]),
    Case("hash_watch_not_invalidated_by_noop_hdel", [["HSET", "h", "a", "1"], ["WATCH", "h"],
                                                     C("HDEL", "h", "zzz", conn=1), ["MULTI"], ["HLEN", "h"],
                                                     ["EXEC"]]),
    Case("hash_keeps_ttl_on_hset", [["HSET", "h", "a", "1"], ["EXPIRE", "h", "100"], ["HSET", "h", "b", "2"],
                                    ["HINCRBY", "h", "c", "1"], ["HDEL", "h", "a"], ["TTL", "h"]]),
]
