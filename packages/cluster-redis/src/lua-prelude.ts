/**
 * Lua helpers shared by the bus scripts. Kept as source text and prepended to the scripts that need them.
 *
 * Room member values are stored as `<state><ordinal>:<json>`: `state` is one character (`o` online,
 * `r` reconnecting), so a detach can flip it with string surgery. Re-encoding the JSON with cjson would
 * corrupt app-defined `extra` metadata (it turns `[]` into `{}` and rounds numbers to 14 digits).
 */

/** `int(x)`: a number as an integer string, so no argument reaches Redis in exponent notation. */
export const LUA_INT = `
local function int(x) return string.format('%d', x) end
`;

/** `setState(P, roomsJson, peerId, s)`: set the member state char in each room; returns {room, value, ...}. */
export const LUA_SET_STATE = `
local function setState(P, rooms, pid, s)
  local out = {}
  for _, room in ipairs(cjson.decode(rooms)) do
    local rk = P .. 'room:' .. room
    local v = redis.call('HGET', rk, pid)
    if v then
      v = s .. string.sub(v, 2)
      redis.call('HSET', rk, pid, v)
      out[#out + 1] = room
      out[#out + 1] = v
    end
  end
  return out
end
`;

/**
 * `detach(P, sk, sid, exp, retention, fail)`: the session keeps its keys until `exp + retention` (a safety
 * net; the expiry sweep normally deletes it at `exp`), joins the expiry index and its members turn
 * `reconnecting`. `fail` is the failed node id when a node failure caused the detach, else false.
 */
export const LUA_DETACH = `${LUA_INT}${LUA_SET_STATE}
local function detach(P, sk, sid, exp, retention, fail)
  local f = redis.call('HMGET', sk, 'pid', 'rooms', 'node')
  if f[3] then redis.call('SREM', P .. 'node-sessions:' .. f[3], sid) end
  redis.call('HDEL', sk, 'node')
  redis.call('HSET', sk, 'exp', int(exp))
  if fail then redis.call('HSET', sk, 'fail', fail) end
  redis.call('ZADD', P .. 'expiring', int(exp), sid)
  local at = int(exp + retention)
  redis.call('PEXPIREAT', sk, at)
  redis.call('PEXPIREAT', P .. 'outbox:' .. sid, at)
  redis.call('PEXPIREAT', P .. 'peer:' .. f[1], at)
  setState(P, f[2], f[1], 'r')
end
`;
