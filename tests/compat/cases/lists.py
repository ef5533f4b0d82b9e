"""List commands: LPUSH/RPUSH(X), LPOP/RPOP (with count), LLEN, LINDEX, LSET, LRANGE, LTRIM,
LREM, LINSERT, LPOS, RPOPLPUSH, LMOVE, LMPOP, and the blocking BLPOP/BRPOP/BRPOPLPUSH/
BLMOVE/BLMPOP.

Blocking cases send the blocking command with replies=0 and pause=BLOCK (so it is blocked
on both servers before anything else happens), push from another connection, then Read()
the blocked connection's answer.
"""
from ._model import C, Case, Read

AREA = "lists"

BLOCK = 0.1   # seconds for a blocking command to reach the server and block
FIFO = 0.25   # longer where the order of arrival between blocked clients is the point

CASES = [
    # LPUSH / RPUSH / LPUSHX / RPUSHX / LRANGE
    Case("push_range", [["LPUSH", "l", "a"], ["LPUSH", "l", "b", "c"], ["RPUSH", "l", "d", "e"],
                        ["LRANGE", "l", "0", "-1"], ["LLEN", "l"], ["LRANGE", "nokey", "0", "-1"],
                        ["LPUSH", "l"], ["RPUSH"]]),
    Case("pushx", [["LPUSHX", "l", "a"], ["RPUSHX", "l", "a"], ["EXISTS", "l"], ["RPUSH", "l", "x"],
                   ["LPUSHX", "l", "a", "b"], ["RPUSHX", "l", "c", "d"], ["LRANGE", "l", "0", "-1"],
                   ["LPUSHX", "l"]]),
    Case("lrange_indexes", [["RPUSH", "l", "0", "1", "2", "3", "4", "5"], ["LRANGE", "l", "1", "3"],
                            ["LRANGE", "l", "-2", "-1"], ["LRANGE", "l", "-100", "2"], ["LRANGE", "l", "4", "100"],
                            ["LRANGE", "l", "3", "1"], ["LRANGE", "l", "6", "10"], ["LRANGE", "l", "-1", "-2"],
                            ["LRANGE", "l", "0", "x"], ["LRANGE", "l", "a", "1"], ["LRANGE", "l", "0"],
                            ["LRANGE", "l", "0", "9223372036854775807"],
                            ["LRANGE", "l", "-9223372036854775808", "0"]]),
    Case("push_binary_and_empty", [["RPUSH", "l", "", b"\x00\r\n", "x" * 70_000], ["LLEN", "l"],
                                   ["LINDEX", "l", "0"], ["LINDEX", "l", "1"], ["LRANGE", "l", "0", "1"]]),

    # LPOP / RPOP with and without count
    Case("pop", [["RPUSH", "l", "a", "b", "c", "d", "e"], ["LPOP", "l"], ["RPOP", "l"], ["LPOP", "l", "2"],
                 ["RPOP", "l", "5"], ["EXISTS", "l"], ["LPOP", "l"], ["RPOP", "l"]]),
    Case("pop_count_edge", [["LPOP", "nokey", "2"], ["RPOP", "nokey", "0"], ["RPUSH", "l", "a", "b"],
                            ["LPOP", "l", "0"], ["RPOP", "l", "0"], ["LPOP", "l", "-1"], ["LPOP", "l", "x"],
                            ["LPOP", "l", "1", "2"], ["LRANGE", "l", "0", "-1"], ["LPOP"]]),

    # LLEN / LINDEX / LSET
    Case("lindex", [["RPUSH", "l", "a", "b", "c"], ["LINDEX", "l", "0"], ["LINDEX", "l", "-1"],
                    ["LINDEX", "l", "3"], ["LINDEX", "l", "-4"], ["LINDEX", "l", "x"], ["LINDEX", "nokey", "0"],
                    ["LLEN", "nokey"], ["LINDEX", "l"]]),
    Case("lset", [["RPUSH", "l", "a", "b", "c"], ["LSET", "l", "1", "B"], ["LSET", "l", "-1", "C"],
                  ["LRANGE", "l", "0", "-1"], ["LSET", "l", "3", "x"], ["LSET", "l", "-4", "x"],
                  ["LSET", "nokey", "0", "x"], ["LSET", "l", "x", "y"], ["LSET", "l", "0"]]),

    # LTRIM / LREM / LINSERT / LPOS
    Case("ltrim", [["RPUSH", "l", "a", "b", "c", "d", "e"], ["LTRIM", "l", "1", "-2"], ["LRANGE", "l", "0", "-1"],
                   ["LTRIM", "l", "-100", "100"], ["LRANGE", "l", "0", "-1"], ["LTRIM", "l", "2", "1"],
                   ["EXISTS", "l"], ["LTRIM", "nokey", "0", "1"], ["LTRIM", "l", "x", "1"]]),
    Case("lrem", [["RPUSH", "l", "a", "b", "a", "c", "a", "b"], ["LREM", "l", "1", "a"],
                  ["LRANGE", "l", "0", "-1"], ["LREM", "l", "-1", "b"], ["LRANGE", "l", "0", "-1"],
                  ["LREM", "l", "0", "a"], ["LRANGE", "l", "0", "-1"], ["LREM", "l", "0", "zz"],
                  ["LREM", "l", "0", "b"], ["LREM", "l", "0", "c"], ["EXISTS", "l"], ["LREM", "nokey", "0", "a"],
                  ["LREM", "l", "x", "a"]]),
    Case("linsert", [["RPUSH", "l", "a", "c"], ["LINSERT", "l", "BEFORE", "c", "b"], ["LINSERT", "l", "after", "c", "d"],
                     ["LINSERT", "l", "AFTER", "zz", "x"], ["LRANGE", "l", "0", "-1"], ["LINSERT", "nokey", "BEFORE", "a", "b"],
                     ["LINSERT", "l", "MIDDLE", "a", "b"], ["LINSERT", "l", "BEFORE", "a"], ["EXISTS", "nokey"]]),
    Case("lpos", [["RPUSH", "l", "a", "b", "c", "1", "2", "3", "c", "c"], ["LPOS", "l", "c"], ["LPOS", "l", "zz"],
                  ["LPOS", "l", "c", "RANK", "2"], ["LPOS", "l", "c", "RANK", "-1"], ["LPOS", "l", "c", "COUNT", "0"],
                  ["LPOS", "l", "c", "COUNT", "2"], ["LPOS", "l", "c", "RANK", "-1", "COUNT", "2"],
                  ["LPOS", "l", "c", "COUNT", "0", "MAXLEN", "7"], ["LPOS", "l", "zz", "COUNT", "2"],
                  ["LPOS", "l", "c", "RANK", "0"], ["LPOS", "l", "c", "COUNT", "-1"], ["LPOS", "l", "c", "MAXLEN", "-1"],
                  ["LPOS", "l", "c", "RANK", "-9223372036854775808"], ["LPOS", "l", "c", "BOGUS", "1"],
                  ["LPOS", "nokey", "c"], ["LPOS", "nokey", "c", "COUNT", "1"], ["LPOS", "l"]]),

    # RPOPLPUSH / LMOVE / LMPOP
    Case("rpoplpush", [["RPUSH", "src", "a", "b", "c"], ["RPOPLPUSH", "src", "dst"], ["RPOPLPUSH", "src", "dst"],
                       ["LRANGE", "src", "0", "-1"], ["LRANGE", "dst", "0", "-1"], ["RPOPLPUSH", "nokey", "dst"],
                       ["RPOPLPUSH", "src", "src"], ["LRANGE", "src", "0", "-1"], ["RPOPLPUSH", "src", "dst"],
                       ["EXISTS", "src"]]),
    Case("lmove", [["RPUSH", "src", "a", "b", "c"], ["LMOVE", "src", "dst", "LEFT", "RIGHT"],
                   ["LMOVE", "src", "dst", "right", "left"], ["LRANGE", "dst", "0", "-1"],
                   ["LMOVE", "src", "src", "LEFT", "RIGHT"], ["LRANGE", "src", "0", "-1"],
                   ["LMOVE", "src", "dst", "UP", "LEFT"], ["LMOVE", "nokey", "dst", "LEFT", "LEFT"],
                   ["LMOVE", "src", "dst", "LEFT"]]),
    Case("lmpop", [["RPUSH", "b", "1", "2", "3"], ["LMPOP", "2", "a", "b", "LEFT"], ["LMPOP", "2", "a", "b", "RIGHT", "COUNT", "5"],
                   ["EXISTS", "b"], ["LMPOP", "2", "a", "b", "LEFT"], ["LMPOP", "0", "a", "LEFT"], ["LMPOP", "2", "a", "LEFT"],
                   ["LMPOP", "1", "a", "MIDDLE"], ["LMPOP", "1", "a", "LEFT", "COUNT", "0"], ["LMPOP", "1", "a", "LEFT", "COUNT"],
                   ["LMPOP", "x", "a", "LEFT"], ["LMPOP", "1", "a", "LEFT", "BOGUS"]]),

    # Emptied lists disappear.
    Case("emptied_list_disappears", [["RPUSH", "l", "a"], ["LPOP", "l"], ["EXISTS", "l"], ["TYPE", "l"],
                                     ["RPUSH", "m", "a", "b"], ["LREM", "m", "0", "a"], ["RPOP", "m", "1"],
                                     ["EXISTS", "m"], ["RPUSH", "n", "x"], ["LMOVE", "n", "o", "LEFT", "LEFT"],
                                     ["EXISTS", "n"], ["KEYS", "*"]]),
    Case("large_list", [["RPUSH", "l"] + [str(i) for i in range(1000)], ["LLEN", "l"], ["LINDEX", "l", "500"],
                        ["LRANGE", "l", "990", "-1"], ["LTRIM", "l", "100", "199"], ["LLEN", "l"], ["LPOS", "l", "150"]]),

    # Blocking pops that find data at once, or time out.
    Case("blpop_immediate", [["RPUSH", "l", "a", "b"], ["BLPOP", "l", "0"], ["BRPOP", "l", "1"], ["BLPOP", "l", "0.05"],
                             ["EXISTS", "l"]]),
    Case("blpop_key_priority", [["RPUSH", "k2", "x"], ["RPUSH", "k3", "y"], ["BLPOP", "k1", "k2", "k3", "0"],
                                ["BRPOP", "k1", "k2", "k3", "0"], ["BRPOP", "k1", "k2", "k3", "0.01"]]),
    Case("blpop_timeout", [["BLPOP", "q", "0.1"], ["BRPOP", "q", "q2", "0.1"], ["BLMOVE", "q", "d", "LEFT", "LEFT", "0.1"],
                           ["BRPOPLPUSH", "q", "d", "0.1"], ["BLMPOP", "0.1", "1", "q", "LEFT"], ["EXISTS", "d"]]),
    Case("blpop_timeout_errors", [["BLPOP", "q", "x"], ["BLPOP", "q", "-1"], ["BLPOP", "q", "inf"],
                                  ["BLPOP", "q", "1e100"], ["BRPOP", "q", ""], ["BLMOVE", "q", "d", "LEFT", "LEFT", "-0.5"],
                                  ["BLMPOP", "-1", "1", "q", "LEFT"], ["BLPOP", "q"], ["BLMPOP", "0", "0", "q", "LEFT"],
                                  ["BLMOVE", "q", "d", "LEFT", "UP", "0"]]),
    Case("blpop_in_multi_does_not_block", [["MULTI"], ["BLPOP", "q", "0"], ["BRPOP", "q", "10"],
                                           ["BLMOVE", "q", "d", "LEFT", "LEFT", "0"], ["EXEC"]]),

    # Blocking pops woken by another connection.
    Case("blpop_woken_by_lpush", [C("BLPOP", "q", "0", replies=0, pause=BLOCK), C("LPUSH", "q", "a", conn=1),
                                  Read(), ["EXISTS", "q"]]),
    Case("brpop_woken_by_rpush_many", [C("BRPOP", "q", "5", replies=0, pause=BLOCK), C("RPUSH", "q", "a", "b", "c", conn=1),
                                       Read(), C("LRANGE", "q", "0", "-1", conn=1)]),
    Case("blpop_lpush_many_gets_last_pushed", [C("BLPOP", "q", "0", replies=0, pause=BLOCK),
                                               C("LPUSH", "q", "a", "b", "c", conn=1), Read(),
                                               ["LRANGE", "q", "0", "-1"]]),
    Case("blpop_woken_on_second_key", [C("BLPOP", "k1", "k2", "0", replies=0, pause=BLOCK),
                                       C("RPUSH", "k2", "v", conn=1), Read(), ["EXISTS", "k2"]]),
    Case("blpop_fifo_between_clients", [C("BLPOP", "q", "0", replies=0, pause=FIFO),
                                        C("BLPOP", "q", "0", conn=1, replies=0, pause=FIFO),
                                        C("BLPOP", "q", "0", conn=2, replies=0, pause=FIFO),
                                        C("RPUSH", "q", "a", "b", conn=3), Read(conn=0), Read(conn=1),
                                        C("RPUSH", "q", "c", "d", conn=3), Read(conn=2),
                                        C("LRANGE", "q", "0", "-1", conn=3)]),
    Case("blpop_woken_after_exec", [C("BLPOP", "q", "0", replies=0, pause=BLOCK), C("MULTI", conn=1),
                                    C("RPUSH", "q", "a", conn=1), C("RPUSH", "q", "b", conn=1), C("LPUSH", "q", "c", conn=1),
                                    C("EXEC", conn=1), Read(), C("LRANGE", "q", "0", "-1", conn=1)]),
    Case("blpop_served_by_first_ready_key_not_argument_order",
         [C("BRPOP", "k1", "k2", "k3", "0", replies=0, pause=BLOCK), C("MULTI", conn=1), C("RPUSH", "k3", "c", conn=1),
          C("RPUSH", "k2", "b", conn=1), C("EXEC", conn=1), Read(), C("LRANGE", "k2", "0", "-1", conn=1)]),
    Case("blpop_not_woken_by_push_then_del_in_multi", [C("BLPOP", "q", "0", replies=0, pause=BLOCK), C("MULTI", conn=1),
                                                       C("RPUSH", "q", "a", conn=1), C("DEL", "q", conn=1),
                                                       C("EXEC", conn=1), C("RPUSH", "q", "later", conn=1, pause=BLOCK),
                                                       Read(), C("EXISTS", "q", conn=1)]),
    Case("blpop_wakes_despite_set_overwriting", [C("BLPOP", "q", "0", replies=0, pause=BLOCK),
                                                 C("SET", "q", "string", conn=1, pause=BLOCK), C("DEL", "q", conn=1),
                                                 C("RPUSH", "q", "x", conn=1), Read(), C("EXISTS", "q", conn=1)]),
    Case("blpop_timeout_while_others_push_elsewhere", [C("BLPOP", "q", "0.3", replies=0, pause=BLOCK),
                                                       C("RPUSH", "other", "x", conn=1), Read(),
                                                       C("LLEN", "other", conn=1)]),
    Case("blmove_woken", [C("BLMOVE", "src", "dst", "RIGHT", "LEFT", "0", replies=0, pause=BLOCK),
                          C("RPUSH", "src", "a", "b", conn=1), Read(), ["LRANGE", "src", "0", "-1"],
                          ["LRANGE", "dst", "0", "-1"]]),
    Case("brpoplpush_woken", [C("BRPOPLPUSH", "src", "dst", "0", replies=0, pause=BLOCK),
                              C("LPUSH", "src", "a", conn=1), Read(), ["LRANGE", "dst", "0", "-1"], ["EXISTS", "src"]]),
    Case("blmove_chain_wakes_second_waiter", [C("BLMOVE", "a", "b", "LEFT", "LEFT", "0", replies=0, pause=BLOCK),
                                              C("BLPOP", "b", "0", conn=1, replies=0, pause=BLOCK),
                                              C("RPUSH", "a", "x", conn=2), Read(), Read(conn=1),
                                              C("EXISTS", "a", "b", conn=2)]),
    Case("blmpop_woken", [C("BLMPOP", "0", "2", "a", "b", "RIGHT", "COUNT", "2", replies=0, pause=BLOCK),
                          C("RPUSH", "b", "1", "2", "3", conn=1), Read(), ["LRANGE", "b", "0", "-1"]]),
    Case("blocked_client_reply_then_next_command", [C("BLPOP", "q", "0", replies=0, pause=BLOCK),
                                                    C("RPUSH", "q", "a", conn=1), Read(), ["PING"],
                                                    ["BLPOP", "q", "0.05"]]),
]
