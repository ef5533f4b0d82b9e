-- Builds the scripting environment the way Redis 7.0 does: the `redis` API, the error
-- handler that turns errors into {err=..., source=..., line=...} tables, Redis's `pcall`,
-- and read-only globals. Runs once per Lua state, before any script.
--
-- Arguments: FAIL (a marker), `native` (functions implemented in Rust) and `hidden` (where
-- each run puts its redis.call and redis.setresp callbacks).
--
-- Redis implements its API in C. Here, functions that may raise are Lua or Rust functions
-- that return FAIL, value[, raw] instead, wrapped by native.trampoline into a C closure that
-- raises `value` (a string gets the caller's position, as luaL_error gives it, unless raw
-- is true). Being C functions, they are never tail-called away, and error positions are the
-- ones Redis reports.
local FAIL, native, hidden = ...

local dbg = debug
local type, tostring, tonumber, select, unpack = type, tostring, tonumber, select, unpack
local error = error
local real_rawget, real_rawset, real_next = rawget, rawset, next
local real_setmetatable, real_getmetatable = setmetatable, getmetatable
local real_pcall, real_xpcall, real_loadstring, real_load = pcall, xpcall, loadstring, load
local floor, ceil = math.floor, math.ceil

local READONLY = 'Attempt to modify a readonly table'
local SELF = dbg.getinfo(1, 'S').source

-- The globals scripts see (`_G` is a read-only view of it, see the end).
local env = getfenv(0)

-- C closures made here stand for Redis's C functions.
local internal = real_setmetatable({}, {__mode = 'k'})

local function c_function(f)
  local g = native.trampoline(f)
  internal[g] = true
  return g
end

-- Redis's __redis__err__handler: the error becomes a table with the place it was raised
-- (the caller when it was raised by a C function). Frames of this chunk and its C
-- closures are skipped: they are inside Redis's C functions; so are the tail calls this
-- chunk makes.
local function err_handler(err)
  local first, second
  local level = 2
  while not second do
    local i = dbg.getinfo(level, 'nSlf')
    if not i then break end
    if i.source ~= SELF and not internal[i.func] and i.what ~= 'tail' then
      if first then second = i else first = i end
    end
    level = level + 1
  end
  local i = first
  if i and i.what == 'C' then i = second end
  if type(err) ~= 'table' then
    err = {err = 'ERR ' .. tostring(err)}
  end
  if i then
    err['source'] = i.source
    err['line'] = i.currentline
  end
  return err
end

local function typename(n, ...)
  if select('#', ...) < n then return 'no value' end
  return type((select(n, ...)))
end

local function bad_argument(n, fname, message)
  return FAIL, "bad argument #" .. n .. " to '" .. fname .. "' (" .. message .. ")"
end

local function expect_table(fname, ...)
  if type((...)) ~= 'table' then
    return bad_argument(1, fname, 'table expected, got ' .. typename(1, ...))
  end
end

-- Redis's pcall: an error table with an `err` message is returned as that message.
local function pcall_result(ok, ...)
  if ok then return ok, ... end
  local e = ...
  if type(e) == 'table' then
    local m = e.err
    if type(m) == 'string' or type(m) == 'number' then return false, m end
  end
  return false, e
end

local function redis_pcall_builtin(...)
  -- Redis's pcall called with nothing ends up calling its own placeholder result.
  if select('#', ...) == 0 then return false, 'attempt to call a boolean value' end
  return pcall_result(real_pcall(...))
end

-- Read-only views: reads go to the real table, every write fails.
local real_of = real_setmetatable({}, {__mode = 'k'})

local function readonly_newindex()
  error(READONLY, 2)
end

local function protect(t)
  local view = {}
  real_of[view] = t
  real_setmetatable(view, {__index = t, __newindex = readonly_newindex})
  return view
end

-- The redis table.
local redis = {}

redis.call = c_function(function(...)
  local v, e = hidden.exec(true, ...)
  if v == FAIL then return FAIL, e end
  return v
end)

redis.pcall = function(...)
  local v = hidden.exec(false, ...)
  return v
end

redis.setresp = c_function(function(...) return hidden.setresp(...) end)
redis.log = c_function(native.log)
redis.sha1hex = c_function(native.sha1hex)
redis.error_reply = native.error_reply
redis.status_reply = native.status_reply
redis.acl_check_cmd = c_function(native.acl_check_cmd)

redis.set_repl = c_function(function(...)
  if select('#', ...) ~= 1 then
    return FAIL, {err = 'ERR redis.set_repl() requires two arguments.'}
  end
  local flags = tonumber((...)) or 0
  flags = flags >= 0 and floor(flags) or ceil(flags)
  if flags < 0 or flags > 3 then
    return FAIL, {err = 'ERR Invalid replication flags. Use REPL_AOF, REPL_REPLICA, REPL_ALL or REPL_NONE.'}
  end
end)

redis.replicate_commands = function() return true end
redis.breakpoint = function() return false end
redis.debug = function() end

redis.LOG_DEBUG = 0
redis.LOG_VERBOSE = 1
redis.LOG_NOTICE = 2
redis.LOG_WARNING = 3
redis.REPL_NONE = 0
redis.REPL_AOF = 1
redis.REPL_SLAVE = 2
redis.REPL_REPLICA = 2
redis.REPL_ALL = 3
redis.REDIS_VERSION = native.REDIS_VERSION
redis.REDIS_VERSION_NUM = native.REDIS_VERSION_NUM

-- Libraries implemented natively.
local bit = {}
for name, f in real_next, native.bit do bit[name] = c_function(f) end

local cjson = {}
for name, v in real_next, native.cjson do
  if type(v) == 'function' then cjson[name] = c_function(v) else cjson[name] = v end
end
cjson.null = native.null

local struct = {}
for name, f in real_next, native.struct do struct[name] = c_function(f) end

math.random = c_function(native.random)
math.randomseed = c_function(native.randomseed)

-- Lua's loaders, refusing precompiled chunks (they bypass the bytecode checks).
local function loadstring_text(...)
  local s, name = ...
  if type(s) ~= 'string' and type(s) ~= 'number' then
    return bad_argument(1, 'loadstring', 'string expected, got ' .. typename(1, ...))
  end
  if type(s) == 'string' and s:byte(1) == 27 then
    return nil, 'binary chunks are not allowed'
  end
  return real_loadstring(s, name)
end

local function load_text(...)
  local f, name = ...
  if type(f) ~= 'function' then
    return bad_argument(1, 'load', 'function expected, got ' .. typename(1, ...))
  end
  local first = true
  local function reader()
    local piece = f()
    if first and type(piece) == 'string' and piece ~= '' then
      first = false
      if piece:byte(1) == 27 then error('binary chunks are not allowed', 0) end
    end
    return piece
  end
  return real_load(reader, name)
end

-- Globals: exactly the ones Redis 7.0 leaves.
for _, name in real_next, {'print', 'dofile', 'loadfile', 'getfenv', 'setfenv', 'newproxy', 'module', 'require', 'debug', 'os', 'io', 'package'} do
  env[name] = nil
end

env.loadstring = c_function(loadstring_text)
env.load = c_function(load_text)
env.pcall = c_function(redis_pcall_builtin)
env.__redis__err__handler = err_handler

-- Functions that would see through or around the read-only views.
env.rawget = c_function(function(...)
  local failed, message = expect_table('rawget', ...)
  if failed then return failed, message end
  if select('#', ...) < 2 then return bad_argument(2, 'rawget', 'value expected') end
  local t, k = ...
  return real_rawget(real_of[t] or t, k)
end)

env.rawset = c_function(function(...)
  local failed, message = expect_table('rawset', ...)
  if failed then return failed, message end
  if select('#', ...) < 2 then return bad_argument(2, 'rawset', 'value expected') end
  if select('#', ...) < 3 then return bad_argument(3, 'rawset', 'value expected') end
  local t, k, v = ...
  if real_of[t] then return FAIL, READONLY, true end
  return real_rawset(t, k, v)
end)

env.next = c_function(function(...)
  local failed, message = expect_table('next', ...)
  if failed then return failed, message end
  local t, k = ...
  return real_next(real_of[t] or t, k)
end)

env.pairs = c_function(function(...)
  local failed, message = expect_table('pairs', ...)
  if failed then return failed, message end
  local t = ...
  return real_next, real_of[t] or t, nil
end)

env.setmetatable = c_function(function(...)
  local t, mt = ...
  local failed, message = expect_table('setmetatable', ...)
  if failed then return failed, message end
  if mt ~= nil and type(mt) ~= 'table' then return bad_argument(2, 'setmetatable', 'nil or table expected') end
  if real_of[t] then return FAIL, READONLY, true end
  local current = real_getmetatable(t)
  if current ~= nil and type(current) == 'table' and real_rawget(current, '__metatable') ~= nil then
    return FAIL, 'cannot change a protected metatable'
  end
  return real_setmetatable(t, mt)
end)

local metatable_views = real_setmetatable({}, {__mode = 'k'})

env.getmetatable = c_function(function(...)
  if select('#', ...) == 0 then return bad_argument(1, 'getmetatable', 'value expected') end
  local t = ...
  local real = real_of[t]
  if real then
    local mt = real_getmetatable(real)
    if mt and not metatable_views[mt] then metatable_views[mt] = protect(mt) end
    return mt and metatable_views[mt]
  end
  return real_getmetatable(t)
end)

env.redis = protect(redis)
env.bit = protect(bit)
env.cjson = protect(cjson)
env.struct = protect(struct)
env.string = protect(string)
env.math = protect(math)
env.table = protect(table)
env.coroutine = protect(coroutine)

-- Strings index the read-only string table, and their metatable is read-only too.
local string_mt = real_getmetatable('')
string_mt.__index = env.string
string_mt.__metatable = protect(string_mt)

-- Reading a global that does not exist is an error.
real_setmetatable(env, {__index = function(_, name)
  error("Script attempted to access nonexistent global variable '" .. tostring(name) .. "'", 2)
end})

-- What scripts get as their globals: a read-only view of env.
local globals = protect(env)
env._G = globals

-- Runs a script: true and its result, or false and the error table.
local function run(f)
  return real_xpcall(f, err_handler)
end

return globals, run
