"""EVAL, EVALSHA, EVAL_RO, SCRIPT: conversions between replies and Lua values (both protocol
runs), error texts (they name the script's sha1 and line), the script cache, and the Lua
libraries. The script cache lives across cases, so cases that look at it start with SCRIPT
FLUSH. BUSY and SCRIPT KILL need concurrent connections: crates/mokad/tests/scripting.rs."""
from ._model import C, Case, int_range

INCR = ("local exists = redis.call('EXISTS', KEYS[1])\nif (exists == 1) then\n"
        "    return redis.call('INCRBY', KEYS[1], ARGV[1])\nelse return false end")
RELEASE = ("\n        local token = redis.call('get', KEYS[1])\n        if not token or token ~= ARGV[1] then\n"
           "            return 0\n        end\n        redis.call('del', KEYS[1])\n        return 1\n    ")
EXTEND = ("\n        local token = redis.call('get', KEYS[1])\n        if not token or token ~= ARGV[1] then\n"
          "            return 0\n        end\n        local expiration = redis.call('pttl', KEYS[1])\n"
          "        if not expiration then\n            expiration = 0\n        end\n"
          "        if expiration < 0 then\n            return 0\n        end\n\n"
          "        local newttl = ARGV[2]\n        if ARGV[3] == \"0\" then\n"
          "            newttl = ARGV[2] + expiration\n        end\n"
          "        redis.call('pexpire', KEYS[1], newttl)\n        return 1\n    ")


def ev(body, *args, **kw):
    """EVAL body with no keys, then `args`."""
    return C("EVAL", body, "0", *args, **kw)


CASES = [
    # Returned values
    Case("eval_keys_and_args", [["EVAL", "return {KEYS[1], KEYS[2], ARGV[1], ARGV[2]}", "2", "k1", "k2", "a1", "a2"],
                                ["EVAL", "return #KEYS + #ARGV", "1", "k", "a", "b"]]),
    Case("eval_lua_to_reply", [ev("return 'x'"), ev("return ''"), ev("return 3.99"), ev("return -3.99"),
                               ev("return 1e30"), ev("return 0/0"), ev("return true"), ev("return false"),
                               ev("return nil"), ev("return function() end"), ev("return {}"), ev("return {x = 1}"),
                               ev("return {1, 'a', {2.9, true, false}, nil, 5}"),
                               ev("local t = {} for i = 1, 100 do t[i] = i end return t")]),
    Case("eval_status_and_error_tables", [ev("return {ok = 'fine'}"), ev("return {ok = 'a\\r\\nb'}"),
                                          ev("return {err = 'My err'}"), ev("return {err = 'a\\r\\nb'}"),
                                          ev("return {err = 1}"), ev("return {ok = 1}"),
                                          ev("return {err = {}, ok = 'x'}"),
                                          ev("return {1, {ok = 'x'}, {err = 'y'}, {double = 2.5}}")]),
    Case("eval_resp3_tables", [ev("return {double = 3.5}"), ev("return {double = 1/0}"), ev("return {map = {a = 1}}"),
                               ev("return {set = {a = true}}"),
                               ev("return {verbatim_string = {format = 'txt', string = 'hi'}}")]),
    Case("eval_booleans_after_setresp", [ev("redis.setresp(3) return true"), ev("redis.setresp(3) return false"),
                                         ev("redis.setresp(2) return false"), ev("return redis.setresp(2)")]),
    Case("eval_reply_helpers", [ev("return redis.error_reply('My Error')"), ev("return redis.error_reply('oops')"),
                                ev("return redis.error_reply('-FOO bar')"), ev("return redis.error_reply('')"),
                                ev("return redis.error_reply(1)"), ev("return redis.error_reply()"),
                                ev("return redis.status_reply('FINE')"), ev("return redis.status_reply()"),
                                ev("return redis.sha1hex('abc')"), ev("return redis.sha1hex(1)"),
                                ev("return redis.sha1hex({})"), ev("return redis.sha1hex()")]),

    # Command replies as the script sees them
    Case("eval_call_replies", [["SET", "k", "v"], ev("return redis.call('PING')"), ev("return redis.call('GET', 'k')"),
                               ev("return redis.call('GET', 'missing')"),
                               ev("return type(redis.call('GET', 'missing'))"),
                               ev("redis.setresp(3) return type(redis.call('GET', 'missing'))"),
                               ev("redis.setresp(3) return redis.call('GET', 'missing')"),
                               ev("redis.setresp(3) return {1, redis.call('GET', 'missing'), 3}"),
                               ev("return redis.call('MGET', 'k', 'missing')"),
                               ev("return redis.call('EXISTS', 'k') + 1"), ev("return redis.call('ECHO', 'hi')"),
                               ev("return redis.call('TIME')[1] ~= nil")]),
    Case("eval_call_arguments", [ev("redis.call('SET', 'n', 1.5) return redis.call('GET', 'n')"),
                                 ev("redis.call('SET', 'n', 0.1) return redis.call('GET', 'n')"),
                                 ev("redis.call('SET', 'n', 1e20) return redis.call('GET', 'n')"),
                                 ev("redis.call('SET', 'n', 100) return redis.call('GET', 'n')"),
                                 ev("redis.call('SET', 'n', -0.0) return redis.call('GET', 'n')"),
                                 ev("redis.call('SET', 'n', 123456789012345678) return redis.call('GET', 'n')"),
                                 ev("redis.call('SET', 'n', 1e-5) return redis.call('GET', 'n')"),
                                 ev("return redis.call('ECHO', -0.5)")]),
    Case("eval_select_stays_in_script", [
        ev("redis.call('SELECT', 1) redis.call('SET', 'sel', '1') return redis.call('GET', 'sel')"),
        ["GET", "sel"], ev("return redis.call('GET', 'sel')"), ["SELECT", "1"], ["GET", "sel"],
        ev("return redis.call('GET', 'sel')"), ["SELECT", "0"]]),
    Case("eval_inside_multi", [["MULTI"], ["SET", "k", "1"], ["EVAL", "return redis.call('INCR', KEYS[1])", "1", "k"],
                               ev("return redis.pcall('nosuch')"), ["EXEC"]]),

    # Real scripts: django-redis's incr, redis-py's Lock
    Case("eval_django_redis_incr", [["SET", "hits", "10"], ["EVAL", INCR, "1", "hits", "5"],
                                    ["EVAL", INCR, "1", "hits", "-20"], ["EVAL", INCR, "1", "missing", "1"],
                                    ["EXISTS", "missing"], ["SET", "word", "abc"], ["EVAL", INCR, "1", "word", "1"]]),
    Case("eval_redis_py_lock", [["SCRIPT", "FLUSH"], ["SET", "lock", "tok", "NX", "PX", "10000"],
                                ["SCRIPT", "LOAD", EXTEND], ["SCRIPT", "LOAD", RELEASE],
                                ["EVAL", EXTEND, "1", "lock", "tok", "5000", "0"],
                                C("PTTL", "lock", cmp=int_range(14_000, 15_000)),
                                ["EVAL", EXTEND, "1", "lock", "other", "5000", "0"],
                                ["EVAL", RELEASE, "1", "lock", "other"], ["EVAL", RELEASE, "1", "lock", "tok"],
                                ["EXISTS", "lock"], ["EVAL", RELEASE, "1", "lock", "tok"]]),

    # The script cache
    Case("script_load_exists_evalsha", [["SCRIPT", "FLUSH"], ["SCRIPT", "LOAD", "return 'cached'"],
                                        ["SCRIPT", "EXISTS", "952f49ffc8f7b098d8ab5da45d3164ca36ed18b1",
                                         "3fa0e42c54527adfc42c9fe8b53d5243d1412adf", "nope"],
                                        ["EVALSHA", "952f49ffc8f7b098d8ab5da45d3164ca36ed18b1", "0"],
                                        ["EVALSHA", "952F49FFC8F7B098D8AB5DA45D3164CA36ED18B1", "0"],
                                        ["EVAL", "return 'other'", "0"],
                                        ["SCRIPT", "EXISTS", "952f49ffc8f7b098d8ab5da45d3164ca36ed18b1"],
                                        ["SCRIPT", "FLUSH"],
                                        ["EVALSHA", "952f49ffc8f7b098d8ab5da45d3164ca36ed18b1", "0"],
                                        ["SCRIPT", "EXISTS", "952f49ffc8f7b098d8ab5da45d3164ca36ed18b1"]]),
    Case("script_flush_modes", [["SCRIPT", "FLUSH", "ASYNC"], ["SCRIPT", "FLUSH", "sync"], ["SCRIPT", "FLUSH", "bad"],
                                ["SCRIPT", "FLUSH", "SYNC", "x"]]),
    Case("script_errors", [["SCRIPT"], ["SCRIPT", "NOPE"], ["SCRIPT", "EXISTS"], ["SCRIPT", "LOAD"],
                           ["SCRIPT", "LOAD", "return 1 +"], ["SCRIPT", "KILL"], ["SCRIPT", "KILL", "x"],
                           ["SCRIPT", "HELP"], ["script", "help"]]),

    # Argument errors
    Case("eval_numkeys_errors", [["EVAL", "return 1", "-1"],
                                 ["EVAL", "return 1", "2", "a"], ["EVAL", "return 1", "x"],
                                 ["EVAL", "return 1", "99999999999999999999"], ["EVAL"], ["EVAL", "return 1"],
                                 ["EVALSHA", "abc", "0"], ["EVALSHA", "abc", "x"],
                                 ["EVALSHA", "0123456789012345678901234567890123456789", "x"],
                                 ["EVALSHA", "0123456789012345678901234567890123456789", "0"], ["EVALSHA", "x"],
                                 ["EVAL_RO"], ["EVALSHA_RO", "abc", "0"]]),

    # Compile and run-time errors
    Case("eval_compile_errors", [ev("return 1 +"), ev("x ="), ev("end"), ev("return 'unfinished")]),
    Case("eval_runtime_errors", [ev("return x"), ev("x = 1"), ev("error('boom')"), ev("\n\nerror('boom')"),
                                 ev("error('x', 2)"), ev("error('boom', 0)"), ev("error()"), ev("error(12)"),
                                 ev("error({err = 'MY custom'})"), ev("local function f() f() end f()"),
                                 ev("return nil + 1"), ev("local t = nil return t.x"),
                                 ev("local t = setmetatable({}, {__index = function() error({err = 'INNER x'}) end}) "
                                    "return t.a")]),
    Case("eval_call_errors", [["SET", "s", "abc"], ev("return redis.call('incr', 's')"),
                              ev("return redis.pcall('incr', 's')"),
                              ev("return {pcall(redis.call, 'incr', 's')}"),
                              ev("local ok, e = pcall(redis.call, 'nosuch') return e"),
                              ev("return redis.call('nosuch')"), ev("return redis.pcall('nosuch')"),
                              ev("return redis.call('get')"), ev("return redis.call()"), ev("return redis.pcall()"),
                              ev("return type(redis.pcall())"), ev("return redis.call('get', {})"),
                              ev("return redis.call('get', nil)"), ev("return redis.call(1)"),
                              ev("return redis.call('incr', 's', 'x')"), ev("return redis.call('config')"),
                              ev("return redis.call('config', 'nosuch')"),
                              ev("local function f()\n  return redis.call('nosuch')\nend\nreturn f()"),
                              ev("local e = redis.pcall('nosuch') local n = 0 for k in pairs(e) do n = n + 1 end "
                                 "return n")]),
    Case("eval_noscript_commands", [ev("return redis.call('multi')"), ev("return redis.call('exec')"),
                                    ev("return redis.call('eval', 'return 1', '0')"),
                                    ev("return redis.call('script', 'load', 'return 1')"),
                                    ev("return redis.call('client', 'id')"),
                                    ev("return redis.call('config', 'get', 'maxmemory')"),
                                    ev("return redis.call('shutdown')"), ev("return redis.call('auth', 'x')"),
                                    ev("return redis.call('hello')"), ev("return redis.call('quit')"),
                                    ev("return redis.call('watch', 'a')")]),
    Case("eval_api_errors", [ev("redis.log()"), ev("redis.log('a', 'b')"), ev("redis.log(9, 'b')"),
                             ev("return redis.log(redis.LOG_DEBUG, 'from a script', 1)"),
                             ev("redis.setresp(4)"), ev("redis.setresp()"), ev("return redis.set_repl(redis.REPL_ALL)"),
                             ev("return redis.set_repl(99)"), ev("return redis.set_repl()"),
                             ev("return redis.replicate_commands()"), ev("return redis.acl_check_cmd('get', 'x')"),
                             ev("return redis.acl_check_cmd('nosuch')")]),

    # Read-only scripts and shebangs
    Case("eval_ro", [["SET", "k", "v"], C("EVAL_RO", "return redis.call('GET', 'k')", "0"),
                     C("EVAL_RO", "return redis.call('SET', 'k', 'x')", "0"),
                     C("EVAL_RO", "return redis.pcall('SET', 'k', 'x')", "0"),
                     C("EVAL_RO", "#!lua\nreturn 1", "0"), C("EVAL_RO", "#!lua flags=no-writes\nreturn 1", "0"),
                     ["GET", "k"]]),
    Case("eval_shebang", [ev("#!lua\nreturn 1"), ev("#!lua flags=no-writes\nreturn redis.call('set','a','b')"),
                          ev("#!lua flags=no-writes,allow-stale,no-cluster,allow-cross-slot-keys\nreturn 2"),
                          ev("#!lua flags=\nreturn 2"), ev("#!lua  flags=no-writes\nreturn 2"),
                          ev("#!lua \"flags=no-writes\"\nreturn 2"), ev("#!lua\r\nreturn 2"), ev("#!lua\nreturn x"),
                          ev("#!lua flags=bad\nreturn 1"), ev("#!luax\nreturn 1"), ev("#!lua name=foo\nreturn 1"),
                          ev("#!lua"), ev("#! lua\nreturn 1")]),

    # Globals and libraries
    Case("eval_globals_protection", [ev("return x"), ev("x = 1"), ev("redis.call = nil"), ev("string.x = 1"),
                                     ev("return _G.x"), ev("_G.x = 1"), ev("rawset(_G, 'x', 1)"),
                                     ev("KEYS = 1"), ev("KEYS[1] = 'z' return KEYS", "a"),
                                     ev("setmetatable(_G, nil)"), ev("getmetatable('').__index = {}"),
                                     ev("return getmetatable('').__index == string"),
                                     ev("return rawget(_G, 'redis') ~= nil"),
                                     ev("local t = {} t.x = 1 setmetatable(t, {}) return t.x"),
                                     ev("loadstring('x = 1')()"), ev("return loadstring('return 1')()")]),
    Case("eval_removed_globals", [ev("return print"), ev("return type(debug)"), ev("return type(os)"),
                                  ev("return type(io)"), ev("return type(require)"), ev("return type(getfenv)"),
                                  ev("return type(newproxy)"), ev("return type(gcinfo)"), ev("return _VERSION"),
                                  ev("return type(loadstring)"), ev("return type(coroutine.wrap)")]),
    Case("eval_lua_standard_library", [ev("return string.format('%d %s %5.2f', 3, 'x', 1.234)"),
                                       ev("return ('x'):rep(3)"), ev("return table.concat({1, 2, 3}, ',')"),
                                       ev("return {unpack({1, 2, 3})}"), ev("return tonumber('0x10')"),
                                       ev("return tostring(1e15) .. ' ' .. tostring(0.1) .. ' ' .. 2^53"),
                                       ev("return math.floor(-3.5)"), ev("return select('#', 1, nil, 3)"),
                                       ev("return coroutine.wrap(function() coroutine.yield(7) end)()"),
                                       ev("local t = {3, 1, 2} table.sort(t) return t"),
                                       ev("return pairs(nil)"), ev("return next({}, 'x')"),
                                       ev("return string.rep('x', 3, 'y')")]),
    Case("eval_math_random_seeded", [ev("math.randomseed(42) return {math.random(100), math.random(5, 10), "
                                        "tostring(math.random())}"),
                                     ev("return math.random(0)"), ev("return math.random(3, 1)"),
                                     ev("return math.random('x')"), ev("return math.random(1, 2, 3)"),
                                     ev("return math.randomseed()")]),
    Case("eval_cjson", [ev("return cjson.encode({1, 2, {a = 1}})"), ev("return cjson.encode({})"),
                        ev("return cjson.encode('x/y\"\\1\\127')"), ev("return cjson.encode(0.1)"),
                        ev("return cjson.encode(1e300)"), ev("return cjson.encode(123456789012345)"),
                        ev("return cjson.encode({[1] = 1, [3] = 3})"), ev("return cjson.encode({true, false, cjson.null})"),
                        ev("return cjson.encode({[1] = 1, [20] = 3})"), ev("return cjson.encode(function() end)"),
                        ev("return cjson.encode(1/0)"), ev("return cjson.encode({[true] = 1})"),
                        ev("return cjson.encode()"),
                        ev("local t = cjson.decode('{\"a\":[1,2,null,{\"b\":\"c\"}],\"d\":1.5e3}') "
                           "return {t.a[1], t.a[4].b, t.d, type(t.a[3])}"),
                        ev("return cjson.decode('\"\\\\u00e9\\\\ud83d\\\\ude00\"')"),
                        ev("return cjson.decode('[1,')"), ev("return cjson.decode('nul')"),
                        ev("return cjson.decode('{\"a\":1} x')"), ev("return cjson.decode('{\"a\" 1}')"),
                        ev("return cjson.decode('\"abc')"), ev("return cjson.decode('[1, 2')"),
                        ev("return cjson.decode('{1: 2}')"), ev("return cjson.decode('\"\\\\q\"')"),
                        ev("return cjson.decode('0x10')"), ev("return cjson.decode('-')"), ev("return cjson.decode()"),
                        ev("return cjson.decode({})"), ev("return cjson.decode(12)")]),
    Case("eval_bit", [ev("return {bit.band(0xff, 0x0f), bit.bor(1, 2), bit.bxor(3, 1), bit.bnot(0), "
                         "bit.lshift(1, 31), bit.rshift(-1, 28), bit.arshift(-16, 2), bit.tobit(2^32 + 5), "
                         "bit.rol(1, 33), bit.ror(1, 1), bit.bswap(0x12345678)}"),
                      ev("return {bit.tohex(255), bit.tohex(-1, -4), bit.tohex(255, 2), bit.tohex(255, 0)}"),
                      ev("return bit.band()"), ev("return bit.band('x')"), ev("return bit.band(1, '3')")]),

    Case("eval_struct", [ev("return struct.pack('>I2', 258)"), ev("return struct.pack('<i4', -2)"),
                         ev("return struct.pack('>bBhHlLT', -1, 255, -2, 65535, -3, 7, 9)"),
                         ev("return struct.pack('!4 b i4', 1, 2)"), ev("return struct.pack('>d', 1.5)"),
                         ev("return struct.pack('<f', 0.5)"), ev("return struct.pack('c3', 'abcdef')"),
                         ev("return struct.pack('c0', 'abcdef')"), ev("return struct.pack('s', 'abc')"),
                         ev("return struct.pack('>i16', -1)"), ev("return struct.pack('i3', 1)"),
                         ev("return struct.pack('>I4', 2^32 + 5)"), ev("return struct.pack('>I4', 1e20)"),
                         ev("return {struct.unpack('>bBhHlLT', struct.pack('>bBhHlLT', -1, 255, -2, 65535, -3, 7, 9))}"),
                         ev("return {struct.unpack('b c0', '\\3abcd')}"), ev("return {struct.unpack('s s', 'ab\\0cd\\0')}"),
                         ev("return {struct.unpack('b', 'ab', 2)}"), ev("return {struct.unpack('>i3', '\\255\\255\\255')}"),
                         ev("return {struct.unpack('>d', struct.pack('>d', 1.5))}"),
                         ev("return struct.size('>bBhHlLTi!8d')"), ev("return struct.size('c7 x')"),
                         ev("return struct.size('z')")]),
    Case("eval_struct_errors", [ev("return struct.pack('i33', 1)"), ev("return struct.pack('!3i', 1)"),
                                ev("return struct.pack('z', 1)"), ev("return struct.pack('c5', 'ab')"),
                                ev("return struct.pack('i')"), ev("return struct.pack()"),
                                ev("return struct.pack('i99999999999', 1)"), ev("return {struct.unpack('c0', 'abcd')}"),
                                ev("return {struct.unpack('s', 'ab')}"), ev("return {struct.unpack('i4', 'ab')}"),
                                ev("return {struct.unpack('b', 'ab', 0)}"), ev("return struct.size('s')"),
                                ev("return struct.size('c0')"), ev("return struct.unpack()")]),

    # Settings and introspection
    Case("config_busy_reply_threshold", [["CONFIG", "GET", "busy-reply-threshold"], ["CONFIG", "GET", "lua-time-limit"],
                                         ["CONFIG", "SET", "lua-time-limit", "250"],
                                         ["CONFIG", "GET", "busy-reply-threshold"],
                                         ["CONFIG", "SET", "busy-reply-threshold", "abc"],
                                         ["CONFIG", "SET", "busy-reply-threshold", "-1"],
                                         ["CONFIG", "SET", "busy-reply-threshold", "5000"]],
         teardown=[["CONFIG", "SET", "busy-reply-threshold", "5000"]]),
    Case("command_info_eval", [["COMMAND", "INFO", "eval", "evalsha", "eval_ro", "evalsha_ro"]]),
]
