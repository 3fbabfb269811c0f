/**
 * The Lua script that hands a held session back to Redis after an outage: one atomic step per session,
 * so no other node can see it half written.
 *
 * Two things can have happened while this node could not reach Redis:
 * - Redis lost its data (a restart without persistence): the session is re-created from this node's
 *   mirror (its unacknowledged frames and room memberships).
 * - This node sequenced frames itself (seqs `base+1 .. top`), because it was the only possible writer of a
 *   session it held. They are spliced into the outbox at exactly those seqs, which the client has already
 *   seen. Any frame Redis holds above `base` was never pushed to the client (only this node pushes, and it
 *   never saw them), so it is renumbered to follow the local frames: seqs stay gapless and nothing is lost
 *   or delivered twice.
 *
 * `lwb`/`lwt` (local window base/top) in the session hash record the last window written, so that a
 * write-back whose reply was lost (the connection dropped again) is not spliced a second time.
 */
import { LUA_INT } from './lua-prelude.js';
import { RedisScript } from './redis-script.js';

/**
 * ARGV: P, nodeId, sid, pid, sec, hasIdentity, identity, roomsJson, lastClientId, top, ack, base, nFrames,
 * frames (seqs ack+1 .. top)..., then {room, nicknameKey, memberValue, roomCap|''}... `top` is the highest seq this node
 * emitted, `ack` the highest the client acknowledged, `base` the seq local frames follow (`top` when none).
 * Returns 'held' when Redis has the session here (local frames now spliced in), 'restored' when it was
 * re-created, 'lost' when another node holds it or it is gone (a failure sweep detached it during the
 * outage: local frames are still spliced in, so a resume elsewhere replays them), 'conflict' when Redis's
 * outbox does not extend what this node saw (nothing is written).
 */
export const WRITE_BACK_SESSION = new RedisScript(`${LUA_INT}
local P, self, sid, pid = ARGV[1], ARGV[2], ARGV[3], ARGV[4]
local top, lack, base, n = tonumber(ARGV[10]), tonumber(ARGV[11]), tonumber(ARGV[12]), tonumber(ARGV[13])
local sk, ok = P .. 'session:' .. sid, P .. 'outbox:' .. sid
if redis.call('EXISTS', sk) == 0 then
  redis.call('HSET', sk, 'sid', sid, 'pid', pid, 'sec', ARGV[5], 'rooms', ARGV[8], 'lci', ARGV[9],
    'node', self, 'seq', int(top), 'ack', int(lack))
  if top > base then redis.call('HSET', sk, 'lwb', int(base), 'lwt', int(top)) end
  if ARGV[6] == '1' then redis.call('HSET', sk, 'idt', ARGV[7]) end
  redis.call('SET', P .. 'peer:' .. pid, sid)
  redis.call('SADD', P .. 'node-sessions:' .. self, sid)
  redis.call('DEL', ok)
  for i = 14, 13 + n do redis.call('RPUSH', ok, ARGV[i]) end
  local i = 14 + n
  while i + 3 <= #ARGV do
    local rk, nk = P .. 'room:' .. ARGV[i], P .. 'room-nicks:' .. ARGV[i]
    local owner = redis.call('HGET', nk, ARGV[i + 1])
    if (not owner) or owner == pid then
      if redis.call('HLEN', rk) == 0 and ARGV[i + 3] ~= '' then
        redis.call('SET', P .. 'room-cap:' .. ARGV[i], ARGV[i + 3])
      end
      redis.call('HSET', rk, pid, ARGV[i + 2])
      redis.call('HSET', nk, ARGV[i + 1], pid)
    end
    i = i + 4
  end
  return 'restored'
end
local f = redis.call('HMGET', sk, 'node', 'gone', 'seq', 'ack', 'lci', 'lwb', 'lwt')
if f[2] or (f[1] and f[1] ~= self) then return 'lost' end
local from = base
if f[6] == int(base) then from = math.max(base, tonumber(f[7])) end
local R, Ra = tonumber(f[3]), tonumber(f[4])
if top > from then
  if R < from or Ra > from then return 'conflict' end
  local d, keep = top - from, math.max(Ra, lack)
  local unseen = {}
  if R > from then unseen = redis.call('LRANGE', ok, from - Ra, -1) end
  local old = {}
  if from > keep then old = redis.call('LRANGE', ok, keep - Ra, from - Ra - 1) end
  redis.call('DEL', ok)
  for _, v in ipairs(old) do redis.call('RPUSH', ok, v) end
  for s = math.max(from, keep) + 1, top do redis.call('RPUSH', ok, ARGV[13 + s - lack]) end
  for _, v in ipairs(unseen) do
    local k = string.match(v, '^{"seq":(%d+),')
    redis.call('RPUSH', ok, '{"seq":' .. int(tonumber(k) + d) .. ',' .. string.sub(v, #k + 9))
  end
  redis.call('HSET', sk, 'seq', int(R + d), 'ack', int(keep), 'lwb', int(base), 'lwt', int(top))
  if not f[1] then
    local ttl = redis.call('PTTL', sk)
    if ttl > 0 then redis.call('PEXPIRE', ok, ttl) end
  end
end
if tonumber(f[5] or '0') < tonumber(ARGV[9]) then redis.call('HSET', sk, 'lci', ARGV[9]) end
if not f[1] then return 'lost' end
redis.call('SADD', P .. 'node-sessions:' .. self, sid)
return 'held'
`);
