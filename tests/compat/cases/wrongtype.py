"""WRONGTYPE across types: every type's commands against a key of every other type (string,
hash, list, set, sorted set), the commands that work on any type (SET, MGET, DEL, TYPE,
RENAME, ...), destination keys of the wrong type (LMOVE, SMOVE, *STORE), and WRONGTYPE
inside MULTI/EXEC and inside a script.

The family has no area of its own: each case needs the areas of the types it touches.
"""
from ._model import C, Case, Read

# How to create a key of each type, and the area that type belongs to (None: strings).
MAKE = {
    "string": (["SET", "k", "v"], None),
    "hash": (["HSET", "k", "f", "v"], "hashes"),
    "list": (["RPUSH", "k", "a", "b"], "lists"),
    "set": (["SADD", "k", "a", "b"], "sets"),
    "zset": (["ZADD", "k", "1", "a", "2", "b"], "zsets"),
}

# Commands of each type, run against key "k" holding another type: each must fail with
# WRONGTYPE (or, for MGET/SETNX-like commands, not care), and leave the key untouched.
COMMANDS = {
    "string": [["GET", "k"], ["INCR", "k"], ["DECRBY", "k", "2"], ["INCRBYFLOAT", "k", "1.5"], ["APPEND", "k", "x"],
               ["STRLEN", "k"], ["GETRANGE", "k", "0", "-1"], ["SETRANGE", "k", "0", "x"], ["GETDEL", "k"],
               ["GETEX", "k", "EX", "100"], ["GETSET", "k", "v"], ["MGET", "k", "nokey"], ["SETNX", "k", "v"],
               ["MSETNX", "k", "v", "other", "v"], ["SET", "k", "v", "NX", "GET"]],
    "hash": [["HGET", "k", "f"], ["HSET", "k", "f", "v"], ["HSETNX", "k", "f", "v"], ["HMGET", "k", "f"],
             ["HGETALL", "k"], ["HKEYS", "k"], ["HVALS", "k"], ["HLEN", "k"], ["HDEL", "k", "f"], ["HEXISTS", "k", "f"],
             ["HSTRLEN", "k", "f"], ["HINCRBY", "k", "f", "1"], ["HINCRBYFLOAT", "k", "f", "1"], ["HRANDFIELD", "k"],
             ["HSCAN", "k", "0"]],
    "list": [["LPUSH", "k", "x"], ["RPUSH", "k", "x"], ["LPUSHX", "k", "x"], ["LPOP", "k"], ["RPOP", "k", "2"],
             ["LLEN", "k"], ["LRANGE", "k", "0", "-1"], ["LINDEX", "k", "0"], ["LSET", "k", "0", "x"],
             ["LREM", "k", "0", "a"], ["LTRIM", "k", "0", "1"], ["LINSERT", "k", "BEFORE", "a", "x"], ["LPOS", "k", "a"],
             ["RPOPLPUSH", "k", "dst"], ["LMOVE", "k", "dst", "LEFT", "LEFT"], ["LMPOP", "1", "k", "LEFT"],
             ["BLPOP", "k", "0.1"], ["BRPOP", "nokey", "k", "0.1"], ["BLMOVE", "k", "dst", "LEFT", "LEFT", "0.1"]],
    "set": [["SADD", "k", "x"], ["SREM", "k", "a"], ["SMEMBERS", "k"], ["SCARD", "k"], ["SISMEMBER", "k", "a"],
            ["SMISMEMBER", "k", "a"], ["SPOP", "k"], ["SRANDMEMBER", "k"], ["SMOVE", "k", "dst", "a"],
            ["SINTER", "k"], ["SUNION", "nokey", "k"], ["SDIFF", "k"], ["SINTERSTORE", "dst", "k"],
            ["SINTERCARD", "1", "k"], ["SSCAN", "k", "0"]],
    "zset": [["ZADD", "k", "1", "x"], ["ZINCRBY", "k", "1", "a"], ["ZSCORE", "k", "a"], ["ZMSCORE", "k", "a"],
             ["ZCARD", "k"], ["ZCOUNT", "k", "0", "1"], ["ZRANGE", "k", "0", "-1"], ["ZRANGEBYSCORE", "k", "0", "1"],
             ["ZRANK", "k", "a"], ["ZREM", "k", "a"], ["ZREMRANGEBYRANK", "k", "0", "1"], ["ZPOPMIN", "k"],
             ["ZRANDMEMBER", "k"], ["ZSCAN", "k", "0"], ["ZMPOP", "1", "k", "MIN"], ["BZPOPMIN", "k", "0.1"],
             ["ZRANGESTORE", "dst", "k", "0", "-1"], ["ZINTERCARD", "1", "k"]],
}


def _needs(*types):
    return tuple(sorted({MAKE[t][1] for t in types} - {None}))


def _cross_cases():
    cases = []
    for held, (make, _) in MAKE.items():
        for family, cmds in COMMANDS.items():
            if family == held:
                continue
            cases.append(Case(f"{held}_key_with_{family}_commands",
                              [make] + cmds + [["TYPE", "k"], ["EXISTS", "dst", "other"]],
                              needs=_needs(held, family)))
    return cases


ANY_TYPE = [["TYPE", "k"], ["EXISTS", "k"], ["TTL", "k"], ["EXPIRE", "k", "100"], ["PERSIST", "k"],
            ["RENAME", "k", "k2"], ["RENAMENX", "k2", "k"], ["COPY", "k", "k3"], ["TYPE", "k3"], ["MGET", "k", "k3"],
            ["SET", "k3", "now a string"], ["TYPE", "k3"], ["DEL", "k"], ["EXISTS", "k"]]

CASES = _cross_cases() + [
    Case(f"{t}_key_with_any_type_commands", [MAKE[t][0]] + ANY_TYPE, needs=_needs(t))
    for t in ("hash", "list", "set", "zset")
] + [
    # Destinations of the wrong type: nothing moves.
    Case("lmove_to_wrong_type_destination", [["RPUSH", "src", "a"], ["SET", "dst", "x"],
                                             ["LMOVE", "src", "dst", "LEFT", "LEFT"], ["RPOPLPUSH", "src", "dst"],
                                             ["BLMOVE", "src", "dst", "LEFT", "LEFT", "0"], ["LRANGE", "src", "0", "-1"],
                                             ["GET", "dst"]], needs=("lists",)),
    Case("smove_to_wrong_type_destination", [["SADD", "src", "a"], ["SET", "dst", "x"], ["SMOVE", "src", "dst", "a"],
                                             ["SMOVE", "src", "dst", "nope"], ["SCARD", "src"]], needs=("sets",)),
    Case("store_overwrites_wrong_type_destination", [["SADD", "a", "1"], ["ZADD", "z", "1", "m"], ["RPUSH", "dst", "x"],
                                                     ["SUNIONSTORE", "dst", "a"], ["TYPE", "dst"], ["ZUNIONSTORE", "dst", "1", "z"],
                                                     ["TYPE", "dst"], ["ZRANGESTORE", "dst", "z", "0", "-1"], ["TYPE", "dst"]],
         needs=("lists", "sets", "zsets")),
    Case("zunionstore_accepts_sets_not_lists", [["SADD", "s", "a", "b"], ["ZADD", "z", "5", "a"], ["RPUSH", "l", "x"],
                                                ["ZUNIONSTORE", "d", "2", "s", "z"], ["ZRANGE", "d", "0", "-1", "WITHSCORES"],
                                                ["ZINTER", "2", "s", "z", "WITHSCORES"], ["ZUNIONSTORE", "d", "2", "s", "l"],
                                                ["ZDIFF", "2", "l", "z"], ["ZINTERCARD", "2", "s", "z"]],
         needs=("lists", "sets", "zsets")),
    Case("sinterstore_wrong_type_source_keeps_destination", [["SADD", "d", "keep"], ["HSET", "h", "f", "v"],
                                                             ["SINTERSTORE", "d", "h"], ["SMEMBERS", "d"],
                                                             ["SINTERSTORE", "d", "nokey", "h"]], needs=("hashes", "sets")),
    Case("wrongtype_in_multi", [["RPUSH", "l", "a"], ["MULTI"], ["HSET", "l", "f", "v"], ["LPUSH", "l", "b"], ["GET", "l"],
                                ["LRANGE", "l", "0", "-1"], ["EXEC"]], needs=("hashes", "lists")),
    Case("wrongtype_in_script", [["RPUSH", "l", "a"], ["EVAL", "return redis.call('GET', KEYS[1])", "1", "l"],
                                 ["EVAL", "return redis.pcall('GET', KEYS[1])", "1", "l"],
                                 ["EVAL", "return redis.pcall('GET', KEYS[1])['err']", "1", "l"],
                                 ["EVAL", "return redis.call('HSET', KEYS[1], 'f', 'v')", "1", "l"]],
         needs=("hashes", "lists", "scripting")),
    Case("blocked_pop_ignores_other_type_under_key", [C("BLPOP", "k", "0.3", replies=0, pause=0.1),
                                                      C("SADD", "k", "m", conn=1), C("RPUSH", "other", "x", conn=1),
                                                      C("TYPE", "k", conn=1), C("BLPOP", "k", "0", conn=2), Read(),
                                                      ["PING"]],
         needs=("lists", "sets"),
         note="a blocked BLPOP whose key becomes a set stays blocked (until its timeout), a new BLPOP errors at once"),
]
