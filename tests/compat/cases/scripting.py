"""Lua scripting: EVAL/EVALSHA/EVAL_RO/EVALSHA_RO, SCRIPT LOAD/EXISTS/FLUSH, Lua <-> RESP
conversions in both directions (RESP2 and, after redis.setresp(3), RESP3), error replies and
their 7.0 texts ("... script: <sha>, on @user_script:1."), redis.pcall, KEYS/ARGV, the
global-variable protection, and the bundled cjson/bit libraries.

One behaviour per case, so that a deliberate difference can be marked on its own case.
SCRIPT KILL and BUSY need concurrent connections: see tests/clients/test_script_kill.py.
"""
import hashlib

from ._model import C, Case

AREA = "scripting"


def sha(script: str) -> str:
    return hashlib.sha1(script.encode()).hexdigest()


RETURN_1 = sha("return 1")


def E(script: str, *keys_and_args, numkeys: int = 0, **kw):
    """EVAL script numkeys keys_and_args..."""
    return C("EVAL", script, str(numkeys), *keys_and_args, **kw)


CASES = [
    # Lua -> RESP conversions
    Case("return_integer", [E("return 1"), E("return -42"), E("return 0")]),
    Case("return_number_truncated", [E("return 3.99"), E("return -3.7"), E("return 0.5"), E("return {1.5, -2.5}")]),
    Case("return_string", [E("return 'hello'"), E("return ''"), E("return '\\0\\r\\n'"), E("return string.rep('x', 70000)")]),
    Case("return_booleans", [E("return true"), E("return false"), E("return {true, false, 1}")]),
    Case("return_nil", [E("return nil"), E("return"), E("local x = 1")]),
    Case("return_table_stops_at_nil", [E("return {1, 2, {3, 'x', {}}, 'y', nil, 5}"), E("return {}"),
                                       E("return {nil, 1}"), E("return {a=1, b=2}"), E("return {1, a=2, 3}")]),
    Case("return_status_and_error_tables", [E("return {ok='fine'}"), E("return {err='My Error'}"),
                                            E("return {err='WRONGTYPE custom'}"), E("return redis.status_reply('DONE')"),
                                            E("return redis.error_reply('bad thing')"),
                                            E("return redis.error_reply('ERR explicit code')"),
                                            E("return {err=1}"), E("return {ok=1}")]),
    Case("return_error_inside_table", [E("return {1, {err='inner'}, 3}"), E("return {1, {ok='inner'}, 3}")]),

    # RESP -> Lua conversions via redis.call, returned back to the client
    Case("call_reply_types", [["SET", "k", "v"], ["RPUSH", "l", "a", "b"],
                              E("return redis.call('GET', KEYS[1])", "k", numkeys=1),
                              E("return redis.call('GET', 'nokey')"),
                              E("return redis.call('GET', 'nokey') == false"),
                              E("return type(redis.call('GET', 'nokey'))"),
                              E("return redis.call('SET', 'k2', 'v')"), E("return redis.call('PING')"),
                              E("return redis.call('INCR', 'n')"), E("return redis.call('LRANGE', 'l', 0, -1)"),
                              E("return redis.call('EXISTS', 'k', 'k2', 'nokey')"),
                              E("return type(redis.call('SET', 'k3', 'v'))"),
                              E("return redis.call('SET', 'k3', 'v')['ok']")], needs=("lists",)),
    Case("call_arguments_numbers_and_strings", [E("return redis.call('SET', 'k', 3.5)"), ["GET", "k"],
                                                E("return redis.call('SET', 'k', 10)"), E("return redis.call('INCRBY', 'k', 5)"),
                                                E("return redis.call('SET', 'k', 1e20)"), ["GET", "k"],
                                                E("return redis.call('SET', 'k', -0.25)"), ["GET", "k"]]),
    Case("keys_and_argv", [E("return {KEYS[1], KEYS[2], ARGV[1], ARGV[2], #KEYS, #ARGV}", "k1", "k2", "a1", "a2", numkeys=2),
                           E("return {#KEYS, #ARGV}", "a", "b", numkeys=0), E("return ARGV[1]", "", numkeys=0),
                           E("return KEYS[1]", b"\x00\xff", numkeys=1)]),
    Case("numkeys_errors", [["EVAL", "return 1", "-1"], ["EVAL", "return 1", "2", "a"], ["EVAL", "return 1", "x"],
                            ["EVAL", "return 1"], ["EVAL"], ["EVALSHA", "abc"], ["EVAL", "return 1", "1.0", "k"]]),
    Case("script_writes_visible", [E("redis.call('SET', KEYS[1], ARGV[1]); return redis.call('GET', KEYS[1])", "k", "v", numkeys=1),
                                   ["GET", "k"], E("return redis.call('DEL', KEYS[1])", "k", numkeys=1), ["EXISTS", "k"]]),

    # Errors raised inside scripts
    Case("error_runtime", [E("error('boom')"), E("error({err='table error'})"), E("local t = nil; return t.x")]),
    Case("error_compile", [E("return +"), E("retrun 1"), E("return 'unterminated")]),
    Case("error_globals", [E("a = 1"), E("return foo"), E("return _G.x")]),
    Case("error_call_unknown_command", [E("return redis.call('nosuch')"), E("return redis.call()"),
                                        E("return redis.pcall('nosuch')")]),
    Case("error_call_arity", [E("return redis.call('GET')"), E("return redis.pcall('GET')"),
                              E("return redis.call('SET', 'k')")]),
    Case("error_call_bad_argument_type", [E("return redis.call('SET', 'k', {})"), E("return redis.call('SET', 'k', nil)"),
                                          E("return redis.call('SET', 'k', true)")]),
    Case("error_call_command_error", [["SET", "s", "abc"], E("return redis.call('INCR', KEYS[1])", "s", numkeys=1),
                                      E("return redis.pcall('INCR', KEYS[1])", "s", numkeys=1),
                                      E("local r = redis.pcall('INCR', KEYS[1]); return type(r)", "s", numkeys=1),
                                      E("local r = redis.pcall('INCR', KEYS[1]); return r['err']", "s", numkeys=1)]),
    Case("error_not_allowed_commands", [E("return redis.call('MULTI')"), E("return redis.call('EVAL', 'return 1', 0)"),
                                        E("return redis.call('SUBSCRIBE', 'ch')"), E("return redis.call('BLPOP', 'q', 0)")]),
    Case("pcall_then_continue", [E("redis.pcall('INCR', 'notanumber'); redis.pcall('nosuch'); return redis.call('PING')"),
                                 ["SET", "notanumber", "x"],
                                 E("local ok = redis.pcall('INCR', 'notanumber'); redis.call('SET', 'after', '1'); return 'done'"),
                                 ["GET", "after"]]),
    Case("write_after_error_keeps_earlier_writes", [E("redis.call('SET', 'a', '1'); error('stop')"), ["GET", "a"]]),

    # EVALSHA / SCRIPT
    Case("script_load_evalsha", [["SCRIPT", "FLUSH"], ["SCRIPT", "LOAD", "return 'loaded'"], ["EVALSHA", sha("return 'loaded'"), "0"],
                                 ["SCRIPT", "EXISTS", sha("return 'loaded'")], ["EVALSHA", RETURN_1, "0"]]),
    Case("evalsha_of_loaded_script", [["SCRIPT", "FLUSH"], ["SCRIPT", "LOAD", "return {KEYS[1], ARGV[1]}"],
                                      ["EVALSHA", sha("return {KEYS[1], ARGV[1]}"), "1", "k", "a"],
                                      ["EVALSHA", sha("return {KEYS[1], ARGV[1]}").upper(), "1", "k", "a"],
                                      ["EVALSHA_RO", sha("return {KEYS[1], ARGV[1]}"), "1", "k", "a"],
                                      ["EVAL", "return 'via eval'", "0"], ["EVALSHA", sha("return 'via eval'"), "0"],
                                      ["SCRIPT", "EXISTS", sha("return {KEYS[1], ARGV[1]}"), "nope",
                                       sha("return {KEYS[1], ARGV[1]}").upper()]]),
    Case("evalsha_unknown", [["EVALSHA", "ffffffffffffffffffffffffffffffffffffffff", "0"], ["EVALSHA", "short", "0"],
                             ["EVALSHA", "", "0"], ["EVALSHA_RO", "ffffffffffffffffffffffffffffffffffffffff", "0"]]),
    Case("script_flush", [["SCRIPT", "LOAD", "return 1"], ["SCRIPT", "FLUSH"],
                          ["SCRIPT", "EXISTS", RETURN_1],
                          ["SCRIPT", "FLUSH", "ASYNC"], ["SCRIPT", "FLUSH", "SYNC"], ["SCRIPT", "FLUSH", "BOGUS"],
                          ["SCRIPT", "FLUSH", "SYNC", "ASYNC"]]),
    Case("script_subcommand_errors", [["SCRIPT"], ["SCRIPT", "BOGUS"], ["SCRIPT", "LOAD"], ["SCRIPT", "LOAD", "a", "b"],
                                      ["SCRIPT", "EXISTS"], ["SCRIPT", "LOAD", "return +"], ["SCRIPT", "KILL"]]),
    Case("eval_loads_script_for_evalsha", [["SCRIPT", "FLUSH"], ["SCRIPT", "EXISTS", RETURN_1],
                                           ["EVAL", "return 1", "0"],
                                           ["SCRIPT", "EXISTS", RETURN_1],
                                           ["EVALSHA", RETURN_1, "0"]]),
    Case("sha1hex", [E("return redis.sha1hex('')"), E("return redis.sha1hex('return 1')"), E("return redis.sha1hex()")]),

    # Read-only scripts
    Case("eval_ro", [["SET", "k", "v"], ["EVAL_RO", "return redis.call('GET', KEYS[1])", "1", "k"],
                     ["EVAL_RO", "return redis.call('SET', KEYS[1], 'x')", "1", "k"], ["GET", "k"],
                     ["EVAL_RO", "return redis.pcall('DEL', KEYS[1])", "1", "k"]]),
    Case("shebang_flags", [E("#!lua flags=no-writes\nreturn redis.call('SET', 'k', 'v')"),
                           E("#!lua\nreturn redis.call('SET', 'k', 'v')"), E("#!lua flags=bogus\nreturn 1"),
                           E("#!lua name=x\nreturn 1"), E("#!python\nreturn 1"),
                           ["EVAL_RO", "#!lua flags=no-writes\nreturn 'ro ok'", "0"]]),

    # RESP3 conversions (redis.setresp(3)) as seen by RESP2 and RESP3 clients
    Case("setresp3_call_reply_types", [["HSET", "h", "f", "v"], ["ZADD", "z", "1.5", "m"], ["SADD", "s", "only"],
                                       E("redis.setresp(3); return redis.call('HGETALL', 'h')"),
                                       E("redis.setresp(3); return redis.call('ZSCORE', 'z', 'm')"),
                                       E("redis.setresp(3); return redis.call('SMEMBERS', 's')"),
                                       E("redis.setresp(3); return redis.call('GET', 'nokey')"),
                                       E("redis.setresp(3); return type(redis.call('GET', 'nokey'))"),
                                       E("redis.setresp(3); return redis.call('ZSCORE', 'z', 'm')['double']")],
         needs=("hashes", "zsets", "sets")),
    Case("resp3_tables_returned", [E("return {map={a=1}}"), E("return {set={x=true}}"), E("return {double=3.5}"),
                                   E("return {double=0.1}"), E("return {big_number='123456789012345678901234567890'}"),
                                   E("return {verbatim_string={format='txt', string='hi'}}")],
         differs="a RESP3 {big_number=...} returned by a script arrives as a bulk string", differs_protos=(3,)),
    Case("setresp_errors", [E("redis.setresp(4)"), E("redis.setresp()"), E("redis.setresp(2); return 1")]),

    # Libraries bundled with Redis's Lua
    Case("lib_cjson", [E("return cjson.encode({1, 2, {a='b'}})"), E("return cjson.decode('[1,2,3]')[2]"),
                       E("return cjson.decode('{\"k\":\"v\"}').k")]),
    Case("lib_bit_struct_cmsgpack", [E("return bit.band(7, 3)"), E("return bit.tohex(255)"),
                                     E("return struct.pack('>I2', 258)"), E("return cmsgpack.unpack(cmsgpack.pack({1, 'a'}))")],
         differs="no cmsgpack library in mokad's Lua (cjson, bit and struct are there)"),
    Case("lib_string_table_math", [E("return string.format('%d-%s', 5, 'x')"), E("return table.concat({'a', 'b'}, ',')"),
                                   E("return math.floor(7.9)"), E("return tostring(10 / 4)"), E("return string.len('héllo')")]),
    Case("lib_unavailable", [E("return os.time()"), E("return io.write('x')"), E("return loadstring('return 1')()"),
                             E("return type(dofile)")]),

    # Scripts in transactions and with databases
    Case("eval_in_multi", [["MULTI"], E("return redis.call('INCR', 'n')"), E("error('in multi')"), ["INCR", "n"], ["EXEC"]]),
    Case("eval_select_is_local", [["SET", "k", "db0"], E("redis.call('SELECT', 1); redis.call('SET', 'k', 'db1'); return redis.call('GET', 'k')"),
                                  ["GET", "k"], ["SELECT", "1"], ["GET", "k"], ["DEL", "k"]]),
]
