/**
 * Lua scripts for the outbox: append-and-wake in one atomic step, as Centrifugo's Redis engine does
 * (shared/reference/platforms.md §4.4), so a frame is never published without being stored first and a
 * node that misses the PUBLISH can always read it back.
 *
 * The outbox list `P outbox:<sid>` holds the frames with seq `ack+1 .. seq`, oldest first, where `seq` and
 * `ack` are fields of the session hash. A frame is stored as its final JSON text, with `"seq"` first.
 */
import { RedisScript } from './redis-script.js';

/**
 * ARGV: P, peerId, frameJsonWithoutOpeningBrace, maxOutbox, nodeId, now, originSessionId|'', originRequestId,
 * hasPrecondition ('1'|'0'), then the rooms of `requireSharedRoomWith`.
 * With an origin, raises that session's `lci` to the request id in the same step, so a crash of the origin's
 * node between this append and its ack cannot make the client's resend deliver the frame twice. It also
 * records the request id and the seq it got (`lcr`, `lcs`): running the same request again (a reply lost
 * with a dropped connection, redis-delivery.ts) appends nothing and answers {-3, seq}, checked first.
 * The shared-room check runs in the same step as the append, so a target leaving the room cannot slip
 * between the relay's policy check and the append (and the relay needs one round trip, not three).
 * Returns {0} for PEER_NOT_FOUND, {-2} for SIGNAL_FORBIDDEN, {-1} for OUTBOX_FULL (checked in that order),
 * else {seq, sessionId, holderNodeId or ''}.
 * Wakes the holder with ONE publish to its own channel, and none when the holder is the caller (the caller
 * wakes itself without the round trip) or when nobody holds the session (the frame waits for a resume).
 */
export const DELIVER = new RedisScript(`
local P, now = ARGV[1], tonumber(ARGV[6])
local osk = nil
if ARGV[7] ~= '' then
  osk = P .. 'session:' .. ARGV[7]
  local o = redis.call('HMGET', osk, 'lcr', 'lcs')
  if o[1] == ARGV[8] then return {-3, o[2]} end
end
local sid = redis.call('GET', P .. 'peer:' .. ARGV[2])
if not sid then return {0} end
local sk = P .. 'session:' .. sid
local f = redis.call('HMGET', sk, 'seq', 'ack', 'node', 'exp', 'gone')
if (not f[1]) or f[5] then return {0} end
if (not f[3]) and f[4] and tonumber(f[4]) <= now then return {0} end
if ARGV[9] == '1' then
  local shared = false
  for i = 10, #ARGV do
    if redis.call('HEXISTS', P .. 'room:' .. ARGV[i], ARGV[2]) == 1 then
      shared = true
      break
    end
  end
  if not shared then return {-2} end
end
if tonumber(f[1]) - tonumber(f[2]) >= tonumber(ARGV[4]) then return {-1} end
local seq = redis.call('HINCRBY', sk, 'seq', 1)
if osk then
  local lci = redis.call('HGET', osk, 'lci')
  if lci then
    redis.call('HSET', osk, 'lcr', ARGV[8], 'lcs', seq)
    if tonumber(lci) < tonumber(ARGV[8]) then redis.call('HSET', osk, 'lci', ARGV[8]) end
  end
end
local frame = '{"seq":' .. seq .. ',' .. ARGV[3]
local ok = P .. 'outbox:' .. sid
redis.call('RPUSH', ok, frame)
local node = f[3]
if not node then
  local ttl = redis.call('PTTL', sk)
  if ttl > 0 then redis.call('PEXPIRE', ok, ttl) end
  return {seq, sid, ''}
end
if node ~= ARGV[5] then redis.call('PUBLISH', P .. 'node:' .. node, 'D' .. sid .. '\\n' .. frame) end
return {seq, sid, node}
`);

/** ARGV: P, sid, afterSeq. The stored frames with seq > afterSeq, oldest first. */
export const READ_OUTBOX = new RedisScript(`
local sk = ARGV[1] .. 'session:' .. ARGV[2]
local acked = tonumber(redis.call('HGET', sk, 'ack') or '0')
local start = tonumber(ARGV[3]) - acked
if start < 0 then start = 0 end
return redis.call('LRANGE', ARGV[1] .. 'outbox:' .. ARGV[2], start, -1)
`);

/** ARGV: P, sid, seq. Drops frames with seq <= seq; acks beyond the newest frame are clamped. */
export const ACK_OUTBOX = new RedisScript(`
local sk = ARGV[1] .. 'session:' .. ARGV[2]
local f = redis.call('HMGET', sk, 'seq', 'ack')
if not f[1] then return 0 end
local target = math.min(tonumber(ARGV[3]), tonumber(f[1]))
local n = target - tonumber(f[2])
if n <= 0 then return 0 end
redis.call('LTRIM', ARGV[1] .. 'outbox:' .. ARGV[2], n, -1)
redis.call('HSET', sk, 'ack', string.format('%d', target))
return n
`);
