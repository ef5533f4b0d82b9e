"""Set commands: SADD, SREM, SCARD, SISMEMBER, SMISMEMBER, SMEMBERS, SPOP, SRANDMEMBER, SMOVE,
SINTER/SUNION/SDIFF (+STORE), SINTERCARD, SSCAN.

Member order is not part of a set's contract (Redis 7.0 returns small integer sets sorted,
other sets in hash order), so every reply that lists members is compared unordered, and
random picks (SPOP, SRANDMEMBER) are compared as picks from the set (`members_of`).
"""
from ._model import C, Case, ScanKeyAll, members_of

AREA = "sets"

U = "unordered"
ABC = ["a", "b", "c"]
BIG = [f"m{i}" for i in range(600)]           # > set-max-intset-entries and any listpack limit

CASES = [
    Case("sadd_smembers", [["SADD", "s", "a", "b", "c"], ["SADD", "s", "a", "d"], ["SADD", "s", "a"],
                           C("SMEMBERS", "s", cmp=U), ["SCARD", "s"], ["SMEMBERS", "nokey"], ["SCARD", "nokey"],
                           ["SADD", "s"], ["SMEMBERS"], ["SCARD", "s", "x"]]),
    Case("sadd_duplicates_in_one_call", [["SADD", "s", "x", "x", "y", "x"], ["SCARD", "s"]]),
    Case("sadd_integers", [["SADD", "s", "3", "1", "2", "-5", "10"], C("SMEMBERS", "s", cmp=U), ["SISMEMBER", "s", "01"],
                           ["SISMEMBER", "s", "1"], ["SADD", "s", "x"], C("SMEMBERS", "s", cmp=U)]),
    Case("sadd_binary", [["SADD", "s", "", b"\x00", b"\xff\r\n"], ["SISMEMBER", "s", ""], ["SISMEMBER", "s", b"\x00"],
                         C("SMEMBERS", "s", cmp=U)]),
    Case("srem", [["SADD", "s", "a", "b", "c"], ["SREM", "s", "a", "x"], ["SREM", "s", "a"], ["SREM", "s", "b", "c"],
                  ["EXISTS", "s"], ["TYPE", "s"], ["SREM", "nokey", "a"], ["SREM", "s"]]),
    Case("sismember_smismember", [["SADD", "s", "a", "b"], ["SISMEMBER", "s", "a"], ["SISMEMBER", "s", "z"],
                                  ["SISMEMBER", "nokey", "a"], ["SMISMEMBER", "s", "a", "z", "b", "a"],
                                  ["SMISMEMBER", "nokey", "a", "b"], ["SMISMEMBER", "s"], ["SISMEMBER", "s"]]),

    # SPOP / SRANDMEMBER
    Case("spop_single", [["SPOP", "nokey"], ["SADD", "s", "a", "b", "c"], C("SPOP", "s", cmp=members_of(ABC)),
                         ["SCARD", "s"], C("SPOP", "s", cmp=members_of(ABC)), C("SPOP", "s", cmp=members_of(ABC)),
                         ["EXISTS", "s"], ["SPOP", "s"]]),
    Case("spop_count", [["SPOP", "nokey", "2"], ["SADD", "s", "a", "b", "c", "d"], ["SPOP", "s", "0"],
                        C("SPOP", "s", "2", cmp=members_of(ABC + ["d"], 2)), ["SCARD", "s"],
                        C("SPOP", "s", "10", cmp=members_of(ABC + ["d"], 2)), ["EXISTS", "s"], ["SPOP", "s", "-1"], ["SPOP", "s", "x"],
                        ["SPOP", "s", "1", "2"]]),
    Case("spop_count_whole_set", [["SADD", "s", "1", "2", "3"], C("SPOP", "s", "3", cmp=U), ["EXISTS", "s"]]),
    Case("srandmember", [["SRANDMEMBER", "nokey"], ["SRANDMEMBER", "nokey", "3"], ["SRANDMEMBER", "nokey", "-3"],
                         ["SADD", "s", "a", "b", "c"], C("SRANDMEMBER", "s", cmp=members_of(ABC)),
                         C("SRANDMEMBER", "s", "2", cmp=members_of(ABC, 2)), C("SRANDMEMBER", "s", "3", cmp=U),
                         C("SRANDMEMBER", "s", "100", cmp=U),
                         C("SRANDMEMBER", "s", "-7", cmp=members_of(ABC, 7, distinct=False)),
                         ["SRANDMEMBER", "s", "0"], ["SCARD", "s"], ["SRANDMEMBER", "s", "x"],
                         ["SRANDMEMBER", "s", "-9223372036854775808"], ["SRANDMEMBER", "s", "1", "2"]]),
    Case("srandmember_large_set", [["SADD", "big"] + BIG, C("SRANDMEMBER", "big", "5", cmp=members_of(BIG, 5)),
                                   C("SRANDMEMBER", "big", "-5", cmp=members_of(BIG, 5, distinct=False)),
                                   C("SPOP", "big", "5", cmp=members_of(BIG, 5)), ["SCARD", "big"]]),

    # SMOVE
    Case("smove", [["SADD", "a", "x", "y"], ["SADD", "b", "z"], ["SMOVE", "a", "b", "x"], ["SMOVE", "a", "b", "nope"],
                   C("SMEMBERS", "b", cmp=U), ["SMOVE", "a", "b", "y"], ["EXISTS", "a"], ["SMOVE", "nokey", "b", "x"],
                   ["SMOVE", "b", "b", "z"], ["SMOVE", "b", "c", "z"], C("SMEMBERS", "c", cmp=U), ["SMOVE", "b", "c"],
                   ["SET", "str", "v"], ["SMOVE", "c", "str", "z"], ["SMOVE", "c", "str", "nope"]]),

    # Set algebra
    Case("sinter_sunion_sdiff", [["SADD", "a", "1", "2", "3", "x"], ["SADD", "b", "2", "3", "4"], ["SADD", "c", "3", "x"],
                                 C("SINTER", "a", "b", cmp=U), C("SINTER", "a", "b", "c", cmp=U),
                                 C("SUNION", "a", "b", "c", cmp=U), C("SDIFF", "a", "b", cmp=U),
                                 C("SDIFF", "a", "b", "c", cmp=U), C("SINTER", "a", cmp=U),
                                 ["SINTER", "a", "nokey"], C("SUNION", "a", "nokey", cmp=U),
                                 C("SDIFF", "a", "nokey", cmp=U), ["SDIFF", "nokey", "a"], ["SINTER"], ["SUNION"], ["SDIFF"]]),
    Case("store_variants", [["SADD", "a", "1", "2", "3"], ["SADD", "b", "2", "3", "4"],
                            ["SINTERSTORE", "d", "a", "b"], C("SMEMBERS", "d", cmp=U),
                            ["SUNIONSTORE", "d", "a", "b"], C("SMEMBERS", "d", cmp=U),
                            ["SDIFFSTORE", "d", "a", "b"], C("SMEMBERS", "d", cmp=U),
                            ["SINTERSTORE", "d", "a", "nokey"], ["EXISTS", "d"],
                            ["SET", "d", "string"], ["SUNIONSTORE", "d", "a"], ["TYPE", "d"],
                            ["EXPIRE", "d", "100"], ["SDIFFSTORE", "d", "a", "b"], ["TTL", "d"],
                            ["SUNIONSTORE", "a", "a", "b"], ["SCARD", "a"], ["SINTERSTORE", "d"]]),
    Case("sintercard", [["SADD", "a", "1", "2", "3", "4"], ["SADD", "b", "2", "3", "4", "5"],
                        ["SINTERCARD", "2", "a", "b"], ["SINTERCARD", "2", "a", "b", "LIMIT", "2"],
                        ["SINTERCARD", "2", "a", "b", "LIMIT", "0"], ["SINTERCARD", "1", "a"],
                        ["SINTERCARD", "2", "a", "nokey"], ["SINTERCARD", "0", "a"], ["SINTERCARD", "3", "a", "b"],
                        ["SINTERCARD", "2", "a", "b", "LIMIT", "-1"], ["SINTERCARD", "2", "a", "b", "LIMIT"],
                        ["SINTERCARD", "x", "a"], ["SINTERCARD", "2", "a", "b", "BOGUS", "1"]]),

    # SSCAN
    Case("sscan_small", [["SADD", "s", "a", "b", "c", "1", "2"], ScanKeyAll("SSCAN", "s"),
                         ScanKeyAll("SSCAN", "s", "MATCH", "[a-b]"), ScanKeyAll("SSCAN", "s", "COUNT", "1"),
                         ["SSCAN", "nokey", "0"]]),
    Case("sscan_intset", [["SADD", "s", "5", "3", "100"], ScanKeyAll("SSCAN", "s"), ScanKeyAll("SSCAN", "s", "MATCH", "1*")]),
    Case("sscan_large", [["SADD", "big"] + BIG, ScanKeyAll("SSCAN", "big"), ScanKeyAll("SSCAN", "big", "MATCH", "m1*"),
                         ScanKeyAll("SSCAN", "big", "COUNT", "7")]),
    Case("sscan_errors", [["SADD", "s", "a"], ["SSCAN", "s", "x"], ["SSCAN", "s", "0", "COUNT", "0"],
                          ["SSCAN", "s", "0", "MATCH"], ["SSCAN", "s", "0", "NOVALUES"], ["SSCAN", "s"]]),

    Case("large_set", [["SADD", "big"] + BIG, ["SCARD", "big"], ["SISMEMBER", "big", "m599"],
                       ["SREM", "big", "m0", "m1", "nope"], ["SCARD", "big"], C("SMEMBERS", "big", cmp=U)]),
    Case("set_in_multi", [["MULTI"], ["SADD", "s", "a", "b"], ["SREM", "s", "a"], ["SCARD", "s"], ["SISMEMBER", "s", "b"],
                          ["EXEC"]]),
    Case("set_watch_invalidated_by_sadd", [["SADD", "s", "a"], ["WATCH", "s"], C("SADD", "s", "b", conn=1),
                                           ["MULTI"], ["SCARD", "s"], ["EXEC"]]),
]
