/**
 * Lua scripts for node liveness (platforms.md §6.1 item 7, "registry with leases").
 *
 * Every node renews `P alive:<node>` with a TTL of `nodeFailureTimeoutMs` and is a member of `P nodes`.
 * The TTL runs on Redis's clock, so clock skew between machines cannot declare a live node dead. Any node
 * may sweep; the sweep is one script, so exactly one node claims each failure (SREM from `P nodes`) and
 * announces it, instead of every survivor announcing it (LiveKit's psrpc needs a SETNX race for that).
 */
import { LUA_DETACH } from './lua-prelude.js';
import { RedisScript } from './redis-script.js';

/**
 * ARGV: P, nodeId, ttlMs. Returns 1 when this node was NOT registered: it was declared failed while it
 * was alive (a stall longer than the timeout), or Redis lost its data. Either way it must reconcile.
 */
export const HEARTBEAT = new RedisScript(`
redis.call('SET', ARGV[1] .. 'alive:' .. ARGV[2], '1', 'PX', tonumber(ARGV[3]))
return redis.call('SADD', ARGV[1] .. 'nodes', ARGV[2])
`);

/** ARGV: P, nodeId. A clean stop: forget this node, so nobody sweeps it as failed. */
export const UNREGISTER = new RedisScript(`
redis.call('DEL', ARGV[1] .. 'alive:' .. ARGV[2])
redis.call('SREM', ARGV[1] .. 'nodes', ARGV[2])
return 1
`);

/**
 * ARGV: P, nodeId, now, graceMs, retentionMs, onlyNode|''. Detaches the sessions of every registered node
 * whose liveness key has expired (or only of `onlyNode`, for a clean stop), marking them `fail` with that
 * node id so their expiry is announced as node-failure. Returns {{node, {sid...}}...}.
 */
export const SWEEP_FAILED_NODES = new RedisScript(`${LUA_DETACH}
local P, self, now, grace, retention, only = ARGV[1], ARGV[2], tonumber(ARGV[3]), tonumber(ARGV[4]),
  tonumber(ARGV[5]), ARGV[6]
local out = {}
local candidates
if only ~= '' then candidates = {only} else candidates = redis.call('SMEMBERS', P .. 'nodes') end
for _, n in ipairs(candidates) do
  if only ~= '' or (n ~= self and redis.call('EXISTS', P .. 'alive:' .. n) == 0) then
    redis.call('SREM', P .. 'nodes', n)
    local nsk = P .. 'node-sessions:' .. n
    local gone = {}
    for _, sid in ipairs(redis.call('SMEMBERS', nsk)) do
      local sk = P .. 'session:' .. sid
      if redis.call('HGET', sk, 'node') == n then
        local fail = n
        if only ~= '' then fail = false end
        detach(P, sk, sid, now + grace, retention, fail)
        gone[#gone + 1] = sid
      end
    end
    redis.call('DEL', nsk)
    out[#out + 1] = {n, gone}
  end
end
return out
`);
