"""The OBJECT command: ENCODING of every type as Redis 7.0 reports it (int/embstr/raw,
listpack/hashtable, quicklist, intset/hashtable, listpack/skiplist) including the one-way
conversions at the size limits, REFCOUNT, IDLETIME, FREQ (an error under the LRU policy the
suite runs with), HELP, and errors.

mokad need not store data the way Redis does, but clients and tools read these names
(e.g. to pick a migration strategy), so they are compared byte-exactly.
"""
from ._model import C, Case, int_range

AREA = "object"

# Redis 7.0.15's compiled-in limits (no redis.conf): hash-max-listpack-entries 512,
# zset-max-listpack-entries 128, set-max-intset-entries 512, *-max-listpack-value 64.
LONG = "x" * 65

CASES = [
    Case("encoding_strings", [["SET", "i", "12345"], ["OBJECT", "ENCODING", "i"], ["SET", "n", "-9223372036854775808"],
                              ["OBJECT", "ENCODING", "n"], ["SET", "big", "9223372036854775808"], ["OBJECT", "ENCODING", "big"],
                              ["SET", "e", "short"], ["OBJECT", "ENCODING", "e"], ["SET", "r", "y" * 45],
                              ["OBJECT", "ENCODING", "r"], ["SET", "r44", "y" * 44], ["OBJECT", "ENCODING", "r44"],
                              ["SET", "a", "abc"], ["APPEND", "a", "d"], ["OBJECT", "ENCODING", "a"],
                              ["SET", "lead0", "012"], ["OBJECT", "ENCODING", "lead0"], ["INCR", "c"], ["OBJECT", "ENCODING", "c"],
                              ["INCRBYFLOAT", "f", "1.5"], ["OBJECT", "ENCODING", "f"], ["SET", "sp", " 1"],
                              ["OBJECT", "ENCODING", "sp"]],
         differs="string encodings come from the content: mokad keeps no history of APPEND/SETRANGE (raw in Redis)"),
    Case("encoding_missing_key_and_errors", [["OBJECT", "ENCODING", "nokey"], ["OBJECT", "REFCOUNT", "nokey"],
                                             ["OBJECT", "IDLETIME", "nokey"], ["OBJECT", "FREQ", "nokey"],
                                             ["OBJECT"], ["OBJECT", "ENCODING"], ["OBJECT", "ENCODING", "a", "b"],
                                             ["OBJECT", "BOGUS", "k"], ["object", "encoding", "nokey"]]),
    Case("refcount_idletime_freq", [["SET", "k", "some value"], ["OBJECT", "REFCOUNT", "k"],
                                    C("OBJECT", "IDLETIME", "k", cmp=int_range(0, 2)), ["OBJECT", "FREQ", "k"]],
         differs="mokad tracks no per-key idle time or LFU counter; OBJECT IDLETIME/FREQ answer an error instead of a number"),
    Case("help", [C("OBJECT", "HELP", cmp="type"), ["OBJECT", "HELP", "x"]],
         note="the help text lists the subcommands; compared by type only"),

    Case("encoding_hash", [["HSET", "h", "f", "v"], ["OBJECT", "ENCODING", "h"],
                           ["HSET", "long", "f", LONG], ["OBJECT", "ENCODING", "long"],
                           ["HSET", "longf", LONG, "v"], ["OBJECT", "ENCODING", "longf"],
                           ["HSET", "many"] + [x for i in range(513) for x in (f"f{i}", "v")], ["OBJECT", "ENCODING", "many"],
                           ["HSET", "edge"] + [x for i in range(512) for x in (f"f{i}", "v")], ["OBJECT", "ENCODING", "edge"],
                           ["HDEL", "many"] + [f"f{i}" for i in range(100)], ["OBJECT", "ENCODING", "many"]],
         needs=("hashes",)),
    Case("encoding_list", [["RPUSH", "l", "a"], ["OBJECT", "ENCODING", "l"], ["RPUSH", "big"] + [str(i) for i in range(1000)],
                           ["OBJECT", "ENCODING", "big"], ["RPUSH", "long", "y" * 10000], ["OBJECT", "ENCODING", "long"]],
         needs=("lists",)),
    Case("encoding_set", [["SADD", "ints", "1", "2", "-3"], ["OBJECT", "ENCODING", "ints"], ["SADD", "ints", "x"],
                          ["OBJECT", "ENCODING", "ints"], ["SREM", "ints", "x"], ["OBJECT", "ENCODING", "ints"],
                          ["SADD", "strs", "a"], ["OBJECT", "ENCODING", "strs"],
                          ["SADD", "many"] + [str(i) for i in range(513)], ["OBJECT", "ENCODING", "many"],
                          ["SADD", "edge"] + [str(i) for i in range(512)], ["OBJECT", "ENCODING", "edge"],
                          ["SADD", "big", "9223372036854775808"], ["OBJECT", "ENCODING", "big"],
                          ["SINTERSTORE", "d", "edge"], ["OBJECT", "ENCODING", "d"]],
         needs=("sets",)),
    Case("encoding_zset", [["ZADD", "z", "1", "a"], ["OBJECT", "ENCODING", "z"], ["ZADD", "long", "1", LONG],
                           ["OBJECT", "ENCODING", "long"], ["ZADD", "many"] + [x for i in range(129) for x in (str(i), f"m{i}")],
                           ["OBJECT", "ENCODING", "many"], ["ZADD", "edge"] + [x for i in range(128) for x in (str(i), f"m{i}")],
                           ["OBJECT", "ENCODING", "edge"], ["ZREMRANGEBYRANK", "many", "0", "120"], ["OBJECT", "ENCODING", "many"],
                           ["ZUNIONSTORE", "d", "1", "z"], ["OBJECT", "ENCODING", "d"]],
         needs=("zsets",)),
    Case("refcount_collections", [["HSET", "h", "f", "v"], ["RPUSH", "l", "a"], ["SADD", "s", "a"], ["ZADD", "z", "1", "a"],
                                  ["OBJECT", "REFCOUNT", "h"], ["OBJECT", "REFCOUNT", "l"], ["OBJECT", "REFCOUNT", "s"],
                                  ["OBJECT", "REFCOUNT", "z"]],
         needs=("hashes", "lists", "sets", "zsets")),
]
