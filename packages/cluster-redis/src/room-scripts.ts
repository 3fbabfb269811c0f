/**
 * Lua scripts for rooms. A room is `P room:<room>` (hash peerId → member value) plus
 * `P room-nicks:<room>` (hash nicknameKey → peerId) and, when its creator asked for one, `P room-cap:<room>`
 * (its cap, ADR 0006). Each script checks and changes them in one atomic step, so two nodes admitting "Ada"
 * and "ADA" at the same instant cannot both win, and capacity holds across the cluster (LiveKit #4316:
 * room decisions must be cluster-wide, platforms.md §6.1 item 9).
 *
 * Member value: `<state><ordinal>:<json>` (see lua-prelude.ts); the ordinal keeps rosters in join order.
 */
import { RedisScript } from './redis-script.js';

/** `nickOf(v)`: the nicknameKey inside a member value (decoding only; the JSON is never re-encoded). */
const LUA_NICK_OF = `
local function nickOf(v)
  local c = string.find(v, ':', 1, true)
  return cjson.decode(string.sub(v, c + 1)).nicknameKey
end
`;

/**
 * ARGV: P, room, peerId, nicknameKey, memberJson, state ('o'|'r'), maxMembers, maxPeers|'',
 * joinerMaxPeers|'' (see `JoinRoomOptions`). Returns {'NICKNAME_TAKEN'} | {'ROOM_FULL'} |
 * {'OK', storedValue, roomCap|'', otherMemberValue...}. A peer already in the room is replaced in place (it
 * keeps its ordinal) and never refused for capacity. The join that creates the room sets (or clears) its cap.
 */
export const JOIN_ROOM = new RedisScript(`${LUA_NICK_OF}
local P, room, pid, nk = ARGV[1], ARGV[2], ARGV[3], ARGV[4]
local rk, nkk, ck = P .. 'room:' .. room, P .. 'room-nicks:' .. room, P .. 'room-cap:' .. room
local owner = redis.call('HGET', nkk, nk)
if owner and owner ~= pid then return {'NICKNAME_TAKEN'} end
local existing = redis.call('HGET', rk, pid)
local n = redis.call('HLEN', rk)
local cap = ARGV[8]
if n > 0 then cap = redis.call('GET', ck) or '' end
if not existing then
  local limit = tonumber(ARGV[7])
  for _, c in ipairs({cap, ARGV[8], ARGV[9]}) do
    if c ~= '' then limit = math.min(limit, tonumber(c)) end
  end
  if n >= limit then return {'ROOM_FULL'} end
end
if n == 0 then
  if cap == '' then redis.call('DEL', ck) else redis.call('SET', ck, cap) end
end
local out = {'OK', '', cap}
local all = redis.call('HGETALL', rk)
for i = 1, #all, 2 do
  if all[i] ~= pid then out[#out + 1] = all[i + 1] end
end
local ord
if existing then
  local old = nickOf(existing)
  if old ~= nk and redis.call('HGET', nkk, old) == pid then redis.call('HDEL', nkk, old) end
  ord = string.sub(existing, 2, string.find(existing, ':', 1, true) - 1)
else
  ord = tostring(redis.call('INCR', P .. 'ord'))
end
out[2] = ARGV[6] .. ord .. ':' .. ARGV[5]
redis.call('HSET', rk, pid, out[2])
redis.call('HSET', nkk, nk, pid)
return out
`);

/** ARGV: P, room, peerId. Returns the removed member value, or false. */
export const LEAVE_ROOM = new RedisScript(`${LUA_NICK_OF}
local P, room, pid = ARGV[1], ARGV[2], ARGV[3]
local rk, nkk = P .. 'room:' .. room, P .. 'room-nicks:' .. room
local v = redis.call('HGET', rk, pid)
if not v then return false end
redis.call('HDEL', rk, pid)
local nk = nickOf(v)
if redis.call('HGET', nkk, nk) == pid then redis.call('HDEL', nkk, nk) end
if redis.call('HLEN', rk) == 0 then redis.call('DEL', P .. 'room-cap:' .. room) end
return v
`);

/**
 * ARGV: P, room, peerId, metadataJson|'', nicknameKey|'', state|''. Empty means "keep".
 * Returns {'NOT_IN_ROOM'} | {'NICKNAME_TAKEN'} | {'OK', newValue}.
 */
export const UPDATE_MEMBER = new RedisScript(`
local P, room, pid = ARGV[1], ARGV[2], ARGV[3]
local rk, nkk = P .. 'room:' .. room, P .. 'room-nicks:' .. room
local v = redis.call('HGET', rk, pid)
if not v then return {'NOT_IN_ROOM'} end
local c = string.find(v, ':', 1, true)
local json = string.sub(v, c + 1)
local m = cjson.decode(json)
local nk = m.nicknameKey
if ARGV[5] ~= '' and ARGV[5] ~= nk then
  local owner = redis.call('HGET', nkk, ARGV[5])
  if owner and owner ~= pid then return {'NICKNAME_TAKEN'} end
  if redis.call('HGET', nkk, nk) == pid then redis.call('HDEL', nkk, nk) end
  redis.call('HSET', nkk, ARGV[5], pid)
  nk = ARGV[5]
end
if ARGV[4] ~= '' or nk ~= m.nicknameKey then
  local meta = ARGV[4]
  if meta == '' then meta = string.sub(json, string.find(json, ',"metadata":', 1, true) + 12, -2) end
  json = '{"peerId":' .. cjson.encode(m.peerId) .. ',"sessionId":' .. cjson.encode(m.sessionId) ..
    ',"nicknameKey":' .. cjson.encode(nk) .. ',"metadata":' .. meta .. '}'
end
local s = string.sub(v, 1, 1)
if ARGV[6] ~= '' then s = ARGV[6] end
v = s .. string.sub(v, 2, c) .. json
redis.call('HSET', rk, pid, v)
return {'OK', v}
`);
