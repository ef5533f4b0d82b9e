"""Sorted set commands: ZADD (NX/XX/GT/LT/CH/INCR), ZINCRBY, ZSCORE/ZMSCORE, ZCARD, ZCOUNT,
ZLEXCOUNT, ZRANGE (BYSCORE/BYLEX/REV/LIMIT/WITHSCORES) and the older ZRANGEBY*/ZREV*,
ZRANK/ZREVRANK, ZREM/ZREMRANGEBY*, ZPOPMIN/ZPOPMAX, ZMPOP, ZRANGESTORE, ZUNION/ZINTER/ZDIFF
(+STORE, WEIGHTS, AGGREGATE), ZINTERCARD, ZRANDMEMBER, ZSCAN, and the blocking BZPOPMIN/
BZPOPMAX/BZMPOP (woken from another connection, as in lists.py).

Scores are where RESP2 and RESP3 differ most (bulk strings vs doubles, nested pairs in RESP3),
and 7.0 formats them with %.17g (0.1 is "0.10000000000000001"): every case runs in both.
"""
from ._model import C, Case, Read, ScanKeyAll, members_of

AREA = "zsets"

BLOCK = 0.1   # seconds for a blocking command to reach the server and block
FIFO = 0.25   # longer where the order of arrival between blocked clients is the point
ZABC = ["ZADD", "z", "1", "a", "2", "b", "3", "c"]
BIG = ["ZADD", "big"] + [x for i in range(300) for x in (str(i % 17), f"m{i:03d}")]   # > 128 entries

CASES = [
    # ZADD and its flags
    Case("zadd_basic", [ZABC, ["ZADD", "z", "5", "a"], ["ZSCORE", "z", "a"], ["ZCARD", "z"],
                        ["ZADD", "z", "1", "a", "1", "a"], ["ZADD", "z"], ["ZADD", "z", "1"],
                        ["ZADD", "z", "1", "a", "2"], ["ZADD", "z", "x", "a"], ["ZADD", "z", "nan", "a"],
                        ["ZCARD", "nokey"], ["ZSCORE", "nokey", "a"], ["ZSCORE", "z", "nope"]]),
    Case("zadd_scores_format", [["ZADD", "z", "0.1", "a", "1e20", "b", "-0", "c", "inf", "d", "-inf", "e",
                                 "3.0", "f", "1.5e-7", "g", "123456789012345678", "h", "+2", "i"],
                                ["ZSCORE", "z", "a"], ["ZSCORE", "z", "b"], ["ZSCORE", "z", "c"], ["ZSCORE", "z", "d"],
                                ["ZSCORE", "z", "e"], ["ZSCORE", "z", "f"], ["ZSCORE", "z", "g"], ["ZSCORE", "z", "h"],
                                ["ZSCORE", "z", "i"], ["ZRANGE", "z", "0", "-1", "WITHSCORES"], ["ZADD", "z", "0x10", "k"],
                                ["ZSCORE", "z", "k"], ["ZADD", "z", "1,5", "l"], ["ZADD", "z", " 4", "l"],
                                ["ZADD", "z", "4 ", "l"], ["ZADD", "z", "1e400", "l"], ["ZADD", "z", "", "l"],
                                ["ZADD", "z", "1e-400", "l"], ["ZSCORE", "z", "l"]]),
    Case("zadd_nx_xx", [ZABC, ["ZADD", "z", "NX", "10", "a", "4", "d"], ["ZADD", "z", "XX", "10", "a", "5", "e"],
                        ["ZRANGE", "z", "0", "-1", "WITHSCORES"], ["ZADD", "z", "NX", "XX", "1", "a"],
                        ["ZADD", "nokey", "XX", "1", "a"], ["EXISTS", "nokey"]]),
    Case("zadd_gt_lt_ch", [ZABC, ["ZADD", "z", "GT", "0", "a", "5", "b"], ["ZADD", "z", "LT", "0", "a", "9", "c"],
                           ["ZRANGE", "z", "0", "-1", "WITHSCORES"], ["ZADD", "z", "CH", "1", "a", "5", "b", "7", "x"],
                           ["ZADD", "z", "GT", "CH", "100", "a", "1", "new"], ["ZADD", "z", "GT", "LT", "1", "a"],
                           ["ZADD", "z", "GT", "NX", "1", "a"], ["ZADD", "z", "LT", "NX", "1", "a"],
                           ["ZRANGE", "z", "0", "-1", "WITHSCORES"]]),
    Case("zadd_incr", [["ZADD", "z", "INCR", "2", "a"], ["ZADD", "z", "INCR", "1.5", "a"],
                       ["ZADD", "z", "INCR", "1", "a", "1", "b"], ["ZADD", "z", "NX", "INCR", "1", "a"],
                       ["ZADD", "z", "XX", "INCR", "1", "nope"], ["ZADD", "z", "GT", "INCR", "-1", "a"],
                       ["ZADD", "z", "LT", "INCR", "-1", "a"], ["ZADD", "z", "INCR", "inf", "a"],
                       ["ZADD", "z", "INCR", "-inf", "a"], ["ZSCORE", "z", "a"]]),
    Case("zincrby", [["ZINCRBY", "z", "2", "a"], ["ZINCRBY", "z", "-0.5", "a"], ["ZINCRBY", "z", "x", "a"],
                     ["ZINCRBY", "z", "inf", "b"], ["ZINCRBY", "z", "-inf", "b"], ["ZSCORE", "z", "b"],
                     ["ZINCRBY", "z", "1"], ["ZINCRBY", "z", "nan", "a"]]),
    Case("zmscore", [ZABC, ["ZMSCORE", "z", "a", "nope", "c"], ["ZMSCORE", "nokey", "a", "b"], ["ZMSCORE", "z"]]),

    # Counting
    Case("zcount", [ZABC, ["ZCOUNT", "z", "-inf", "+inf"], ["ZCOUNT", "z", "(1", "3"], ["ZCOUNT", "z", "(1", "(3"],
                    ["ZCOUNT", "z", "2", "1"], ["ZCOUNT", "z", "x", "1"], ["ZCOUNT", "z", "((1", "2"],
                    ["ZCOUNT", "nokey", "0", "1"]]),
    Case("zlexcount", [["ZADD", "z", "0", "a", "0", "b", "0", "c", "0", "d"], ["ZLEXCOUNT", "z", "-", "+"],
                       ["ZLEXCOUNT", "z", "[b", "(d"], ["ZLEXCOUNT", "z", "(a", "[c"], ["ZLEXCOUNT", "z", "b", "c"],
                       ["ZLEXCOUNT", "z", "+", "-"], ["ZLEXCOUNT", "nokey", "-", "+"]]),

    # ZRANGE family
    Case("zrange_by_index", [ZABC, ["ZRANGE", "z", "0", "-1"], ["ZRANGE", "z", "1", "1", "WITHSCORES"],
                             ["ZRANGE", "z", "-2", "-1", "withscores"], ["ZRANGE", "z", "5", "10"],
                             ["ZRANGE", "z", "0", "-1", "REV"], ["ZRANGE", "z", "0", "0", "REV", "WITHSCORES"],
                             ["ZREVRANGE", "z", "0", "1", "WITHSCORES"], ["ZRANGE", "nokey", "0", "-1"],
                             ["ZRANGE", "z", "0", "-1", "LIMIT", "0", "1"], ["ZRANGE", "z", "x", "1"],
                             ["ZRANGE", "z", "0", "-1", "BOGUS"], ["ZRANGE", "z", "0"]]),
    Case("zrange_by_score", [ZABC, ["ZRANGE", "z", "1", "2", "BYSCORE"], ["ZRANGE", "z", "(1", "+inf", "BYSCORE", "WITHSCORES"],
                             ["ZRANGE", "z", "+inf", "-inf", "BYSCORE", "REV"], ["ZRANGE", "z", "-inf", "+inf", "BYSCORE", "LIMIT", "1", "1"],
                             ["ZRANGE", "z", "-inf", "+inf", "BYSCORE", "LIMIT", "1", "-1"],
                             ["ZRANGEBYSCORE", "z", "-inf", "2", "WITHSCORES"], ["ZRANGEBYSCORE", "z", "0", "5", "LIMIT", "0", "2"],
                             ["ZREVRANGEBYSCORE", "z", "3", "(1"], ["ZREVRANGEBYSCORE", "z", "+inf", "-inf", "WITHSCORES", "LIMIT", "1", "5"],
                             ["ZRANGEBYSCORE", "z", "x", "1"], ["ZRANGEBYSCORE", "z", "0", "1", "LIMIT", "0"]]),
    Case("zrange_by_lex", [["ZADD", "z", "0", "a", "0", "b", "0", "c", "0", "d"], ["ZRANGE", "z", "[b", "+", "BYLEX"],
                           ["ZRANGE", "z", "+", "-", "BYLEX", "REV", "LIMIT", "1", "2"], ["ZRANGEBYLEX", "z", "(a", "[c"],
                           ["ZREVRANGEBYLEX", "z", "[c", "-"], ["ZRANGEBYLEX", "z", "a", "c"],
                           ["ZRANGE", "z", "[a", "[z", "BYLEX", "WITHSCORES"], ["ZRANGE", "z", "0", "1", "BYSCORE", "BYLEX"]]),
    Case("zrange_ties_order_by_member", [["ZADD", "z", "1", "b", "1", "a", "1", "c", "0", "z"], ["ZRANGE", "z", "0", "-1"],
                                         ["ZREVRANGE", "z", "0", "-1"]]),

    # Ranks and removal
    Case("zrank", [ZABC, ["ZRANK", "z", "a"], ["ZRANK", "z", "c"], ["ZREVRANK", "z", "a"], ["ZRANK", "z", "nope"],
                   ["ZRANK", "nokey", "a"], ["ZRANK", "z"]]),
    Case("zrem", [ZABC, ["ZREM", "z", "a", "nope"], ["ZREM", "z", "a"], ["ZCARD", "z"], ["ZREM", "z", "b", "c"],
                  ["EXISTS", "z"], ["ZREM", "nokey", "a"], ["ZREM", "z"]]),
    Case("zremrange", [["ZADD", "z", "1", "a", "2", "b", "3", "c", "4", "d", "5", "e"], ["ZREMRANGEBYRANK", "z", "0", "0"],
                       ["ZREMRANGEBYSCORE", "z", "(4", "+inf"], ["ZRANGE", "z", "0", "-1"],
                       ["ZADD", "l", "0", "a", "0", "b", "0", "c"], ["ZREMRANGEBYLEX", "l", "[a", "(c"], ["ZRANGE", "l", "0", "-1"],
                       ["ZREMRANGEBYRANK", "z", "0", "-1"], ["EXISTS", "z"], ["ZREMRANGEBYSCORE", "nokey", "0", "1"],
                       ["ZREMRANGEBYRANK", "l", "x", "1"], ["ZREMRANGEBYLEX", "l", "a", "b"]]),

    # Pops
    Case("zpopmin_zpopmax", [ZABC, ["ZPOPMIN", "z"], ["ZPOPMAX", "z"], ["ZPOPMIN", "z", "5"], ["EXISTS", "z"],
                             ["ZPOPMIN", "z"], ["ZPOPMAX", "z", "2"], ["ZADD", "z", "1", "a"], ["ZPOPMIN", "z", "0"],
                             ["ZPOPMIN", "z", "-1"], ["ZPOPMIN", "z", "x"], ["ZPOPMAX", "z", "1", "2"]]),
    Case("zmpop", [ZABC, ["ZMPOP", "2", "nokey", "z", "MIN"], ["ZMPOP", "1", "z", "MAX", "COUNT", "10"], ["EXISTS", "z"],
                   ["ZMPOP", "1", "z", "MIN"], ["ZMPOP", "1", "z", "UP"], ["ZMPOP", "0", "z", "MIN"],
                   ["ZMPOP", "1", "z", "MIN", "COUNT", "0"]]),
    Case("bzpop_immediate_and_timeout", [ZABC, ["BZPOPMIN", "z", "0"], ["BZPOPMAX", "nokey", "z", "0"],
                                         ["BZPOPMIN", "nokey", "0.1"], ["BZMPOP", "0.1", "1", "nokey", "MIN"],
                                         ["BZMPOP", "0", "1", "z", "MAX", "COUNT", "5"], ["BZPOPMIN", "z", "x"],
                                         ["BZPOPMIN", "z", "-1"]]),
    Case("bzpopmin_woken", [C("BZPOPMIN", "z", "0", replies=0, pause=BLOCK), C("ZADD", "z", "2", "b", "1", "a", conn=1),
                            Read(), ["ZRANGE", "z", "0", "-1", "WITHSCORES"]]),
    Case("bzpopmax_woken_fifo", [C("BZPOPMAX", "z", "0", replies=0, pause=FIFO),
                                 C("BZPOPMAX", "z", "0", conn=1, replies=0, pause=FIFO),
                                 C("ZADD", "z", "1", "a", "2", "b", "3", "c", conn=2), Read(), Read(conn=1),
                                 C("ZRANGE", "z", "0", "-1", conn=2)]),
    Case("bzmpop_woken", [C("BZMPOP", "0", "2", "y", "z", "MAX", "COUNT", "2", replies=0, pause=BLOCK),
                          C("ZADD", "z", "1", "a", "2", "b", "3", "c", conn=1), Read(), ["ZCARD", "z"]]),
    Case("bzpop_in_multi_does_not_block", [["MULTI"], ["BZPOPMIN", "z", "0"], ["BZMPOP", "0", "1", "z", "MIN"], ["EXEC"]]),

    # Store and algebra
    Case("zrangestore", [ZABC, ["ZRANGESTORE", "d", "z", "0", "1"], ["ZRANGE", "d", "0", "-1", "WITHSCORES"],
                         ["ZRANGESTORE", "d", "z", "(1", "+inf", "BYSCORE", "LIMIT", "0", "1"], ["ZRANGE", "d", "0", "-1"],
                         ["ZRANGESTORE", "d", "z", "5", "10"], ["EXISTS", "d"], ["ZRANGESTORE", "d", "z", "0", "-1", "WITHSCORES"]]),
    Case("zunion_zinter_zdiff", [["ZADD", "a", "1", "x", "2", "y"], ["ZADD", "b", "10", "y", "20", "z"], ["SADD", "s", "x", "z"],
                                 ["ZUNION", "2", "a", "b", "WITHSCORES"], ["ZINTER", "2", "a", "b", "WITHSCORES"],
                                 ["ZDIFF", "2", "a", "b", "WITHSCORES"], ["ZUNION", "2", "a", "b", "WEIGHTS", "2", "0.5", "WITHSCORES"],
                                 ["ZUNION", "2", "a", "b", "AGGREGATE", "MAX", "WITHSCORES"],
                                 ["ZINTER", "2", "a", "b", "AGGREGATE", "MIN", "WITHSCORES"],
                                 ["ZUNION", "2", "a", "s", "WITHSCORES"], ["ZINTER", "2", "a", "nokey"],
                                 ["ZUNION", "0", "a"], ["ZUNION", "3", "a", "b"], ["ZUNION", "2", "a", "b", "WEIGHTS", "1"],
                                 ["ZUNION", "2", "a", "b", "AGGREGATE", "AVG"], ["ZDIFF", "1", "nokey"]]),
    Case("zstore_variants", [["ZADD", "a", "1", "x", "2", "y"], ["ZADD", "b", "10", "y", "20", "z"],
                             ["ZUNIONSTORE", "d", "2", "a", "b"], ["ZRANGE", "d", "0", "-1", "WITHSCORES"],
                             ["ZINTERSTORE", "d", "2", "a", "b", "WEIGHTS", "1", "-1"], ["ZRANGE", "d", "0", "-1", "WITHSCORES"],
                             ["ZDIFFSTORE", "d", "2", "a", "b"], ["ZRANGE", "d", "0", "-1", "WITHSCORES"],
                             ["ZINTERSTORE", "d", "2", "a", "nokey"], ["EXISTS", "d"],
                             ["ZUNIONSTORE", "d", "2", "a", "b", "WEIGHTS", "inf", "-inf"], ["ZRANGE", "d", "0", "-1", "WITHSCORES"]]),
    Case("zintercard", [["ZADD", "a", "1", "x", "2", "y", "3", "z"], ["ZADD", "b", "1", "y", "1", "z"],
                        ["ZINTERCARD", "2", "a", "b"], ["ZINTERCARD", "2", "a", "b", "LIMIT", "1"],
                        ["ZINTERCARD", "1", "nokey"], ["ZINTERCARD", "0", "a"], ["ZINTERCARD", "2", "a", "b", "LIMIT", "-1"]]),

    # ZRANDMEMBER
    Case("zrandmember", [["ZRANDMEMBER", "nokey"], ["ZRANDMEMBER", "nokey", "2"], ZABC,
                         C("ZRANDMEMBER", "z", cmp=members_of("abc")), C("ZRANDMEMBER", "z", "2", cmp=members_of("abc", 2)),
                         C("ZRANDMEMBER", "z", "5", cmp="unordered"),
                         C("ZRANDMEMBER", "z", "-4", cmp=members_of("abc", 4, distinct=False)),
                         C("ZRANDMEMBER", "z", "3", "WITHSCORES", cmp="pairs", protos=(2,)),
                         C("ZRANDMEMBER", "z", "3", "WITHSCORES", cmp="unordered", protos=(3,)),
                         ["ZRANDMEMBER", "z", "0"], ["ZRANDMEMBER", "z", "x"], ["ZRANDMEMBER", "z", "1", "BOGUS"]]),

    # ZSCAN and large (skiplist) sets
    Case("zscan", [ZABC, ScanKeyAll("ZSCAN", "z"), ScanKeyAll("ZSCAN", "z", "MATCH", "b"), ["ZSCAN", "nokey", "0"],
                   BIG, ScanKeyAll("ZSCAN", "big"), ScanKeyAll("ZSCAN", "big", "MATCH", "m1*", "COUNT", "3"),
                   ["ZSCAN", "z", "x"]]),
    Case("large_zset", [BIG, ["ZCARD", "big"], ["ZRANGE", "big", "0", "9", "WITHSCORES"], ["ZRANK", "big", "m150"],
                        ["ZCOUNT", "big", "3", "5"], ["ZRANGEBYSCORE", "big", "16", "+inf"], ["ZREVRANGE", "big", "0", "2"],
                        ["ZREMRANGEBYSCORE", "big", "0", "15"], ["ZCARD", "big"], ["ZPOPMAX", "big", "3"]]),
    Case("zset_in_multi", [["MULTI"], ["ZADD", "z", "1", "a"], ["ZINCRBY", "z", "2", "a"], ["ZRANGE", "z", "0", "-1", "WITHSCORES"],
                           ["ZPOPMIN", "z"], ["EXISTS", "z"], ["EXEC"]]),
]
