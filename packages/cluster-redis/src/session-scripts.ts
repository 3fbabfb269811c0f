/**
 * Lua scripts for the session registry. Each runs atomically in Redis, so a resume on one node and a
 * detach or expiry sweep on another can never interleave halfway (the race that makes socket.io's
 * recovery "not always successful", shared/reference/platforms.md §4.3).
 *
 * Keys (P = key prefix): `P session:<sid>` hash {sid, pid, sec, idt?, rooms (JSON), lci, node?, exp?, seq,
 * ack, fail?, gone?}; `P outbox:<sid>` list; `P peer:<pid>` → sid; `P node-sessions:<node>` set;
 * `P expiring` zset sid → expiresAt. `gone` marks a session claimed by an expiry sweep: dead to everyone
 * but the claimer, which deletes it.
 */
import { LUA_DETACH, LUA_SET_STATE } from './lua-prelude.js';
import { RedisScript } from './redis-script.js';

/** ARGV: P, sid, pid, sec, hasIdentity ('1'|'0'), identity, roomsJson, lastClientId, nodeId. */
export const CREATE_SESSION = new RedisScript(`
local P, sid = ARGV[1], ARGV[2]
local sk = P .. 'session:' .. sid
redis.call('DEL', sk, P .. 'outbox:' .. sid)
redis.call('HSET', sk, 'sid', sid, 'pid', ARGV[3], 'sec', ARGV[4], 'rooms', ARGV[7], 'lci', ARGV[8],
  'node', ARGV[9], 'seq', '0', 'ack', '0')
if ARGV[5] == '1' then redis.call('HSET', sk, 'idt', ARGV[6]) end
redis.call('SET', P .. 'peer:' .. ARGV[3], sid)
redis.call('SADD', P .. 'node-sessions:' .. ARGV[9], sid)
return 1
`);

/**
 * ARGV: P, sid, nodeId, now. Returns false when unknown, claimed or expired; else {hash-before, {room,
 * member value, ...}, {room cap|'', ...}}. Tells the previous holder (one PUBLISH to its channel) and marks
 * members online.
 */
export const ATTACH_SESSION = new RedisScript(`${LUA_SET_STATE}
local P, sid, self, now = ARGV[1], ARGV[2], ARGV[3], tonumber(ARGV[4])
local sk = P .. 'session:' .. sid
local rec = redis.call('HGETALL', sk)
if #rec == 0 then return false end
local f = redis.call('HMGET', sk, 'pid', 'node', 'exp', 'rooms', 'gone')
if f[5] then return false end
if (not f[2]) and f[3] and tonumber(f[3]) <= now then return false end
local prev = f[2]
if prev and prev ~= self then
  redis.call('SREM', P .. 'node-sessions:' .. prev, sid)
  redis.call('PUBLISH', P .. 'node:' .. prev, 'T' .. sid)
end
redis.call('HSET', sk, 'node', self)
redis.call('HDEL', sk, 'exp', 'fail')
redis.call('ZREM', P .. 'expiring', sid)
redis.call('PERSIST', sk)
redis.call('PERSIST', P .. 'outbox:' .. sid)
redis.call('PERSIST', P .. 'peer:' .. f[1])
redis.call('SADD', P .. 'node-sessions:' .. self, sid)
local rooms = setState(P, f[4], f[1], 'o')
local caps = {}
for i = 1, #rooms, 2 do caps[#caps + 1] = redis.call('GET', P .. 'room-cap:' .. rooms[i]) or '' end
return {rec, rooms, caps}
`);

/**
 * ARGV: P, sid, expiresAt, retentionMs, nodeId. A no-op when another node holds the session: a socket
 * closing on the old node after a takeover must not detach the session its new node now serves.
 */
export const DETACH_SESSION = new RedisScript(`${LUA_DETACH}
local P, sid = ARGV[1], ARGV[2]
local sk = P .. 'session:' .. sid
if redis.call('EXISTS', sk) == 0 then return 0 end
local node = redis.call('HGET', sk, 'node')
if node and node ~= ARGV[5] then return 0 end
detach(P, sk, sid, tonumber(ARGV[3]), tonumber(ARGV[4]), false)
return 1
`);

/** ARGV: P, sid, roomsJson|'', lastClientId|''. Empty means "keep". */
export const UPDATE_SESSION = new RedisScript(`
local sk = ARGV[1] .. 'session:' .. ARGV[2]
if redis.call('EXISTS', sk) == 0 then return 0 end
if ARGV[3] ~= '' then redis.call('HSET', sk, 'rooms', ARGV[3]) end
if ARGV[4] ~= '' then redis.call('HSET', sk, 'lci', ARGV[4]) end
return 1
`);

/** ARGV: P, sid. */
export const DELETE_SESSION = new RedisScript(`
local P, sid = ARGV[1], ARGV[2]
local sk = P .. 'session:' .. sid
local f = redis.call('HMGET', sk, 'pid', 'node')
if f[1] and redis.call('GET', P .. 'peer:' .. f[1]) == sid then redis.call('DEL', P .. 'peer:' .. f[1]) end
if f[2] then redis.call('SREM', P .. 'node-sessions:' .. f[2], sid) end
redis.call('DEL', sk, P .. 'outbox:' .. sid)
redis.call('ZREM', P .. 'expiring', sid)
return 1
`);

/**
 * ARGV: P, now, claimUntil, limit. Claims detached sessions with exp <= now: marks them gone and moves
 * their index entry to claimUntil, so exactly one caller announces each, and another node re-claims it
 * only if the claimer died before deleting it. Returns the hashes.
 */
export const CLAIM_EXPIRED = new RedisScript(`
local P, now = ARGV[1], tonumber(ARGV[2])
local out = {}
local sids = redis.call('ZRANGEBYSCORE', P .. 'expiring', '-inf', ARGV[2], 'LIMIT', 0, tonumber(ARGV[4]))
for _, sid in ipairs(sids) do
  local sk = P .. 'session:' .. sid
  local f = redis.call('HMGET', sk, 'node', 'exp')
  if redis.call('EXISTS', sk) == 0 or f[1] or (not f[2]) then
    redis.call('ZREM', P .. 'expiring', sid)
  elseif tonumber(f[2]) <= now then
    redis.call('HSET', sk, 'gone', '1')
    redis.call('ZADD', P .. 'expiring', ARGV[3], sid)
    out[#out + 1] = redis.call('HGETALL', sk)
  end
end
return out
`);

/** ARGV: P, peerId, now. The live session of a peer, or false. */
export const SESSION_OF_PEER = new RedisScript(`
local sid = redis.call('GET', ARGV[1] .. 'peer:' .. ARGV[2])
if not sid then return false end
local f = redis.call('HMGET', ARGV[1] .. 'session:' .. sid, 'sid', 'node', 'exp', 'gone')
if (not f[1]) or f[4] then return false end
if (not f[2]) and f[3] and tonumber(f[3]) <= tonumber(ARGV[3]) then return false end
return sid
`);
