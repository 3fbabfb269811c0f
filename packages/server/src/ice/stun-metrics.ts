/**
 * STUN counters on the server's Prometheus registry. The StunServer counts in plain integers on its hot
 * path; these counters catch up with it when `/metrics` is scraped, so a binding request costs no
 * prom-client call.
 */
import { Counter, type Registry } from 'prom-client';
import type { StunServerCounters } from './stun-server.js';

const HELP: Record<keyof StunServerCounters, string> = {
  requests: 'STUN requests received',
  responses: 'STUN Binding success responses sent',
  errors: 'STUN error responses sent (400, 420)',
  indications: 'STUN indications received (keepalives)',
  dropped: 'Datagrams on the STUN port dropped as malformed or unexpected',
};

/** Register `switchboard_stun_<name>_total` counters that read `counters()` at scrape time. */
export function registerStunMetrics(registry: Registry, counters: () => StunServerCounters): void {
  for (const name of Object.keys(HELP) as (keyof StunServerCounters)[]) {
    let reported = 0;
    new Counter({
      name: `switchboard_stun_${name}_total`,
      help: HELP[name],
      registers: [registry],
      collect() {
        const current = counters()[name];
        if (current > reported) this.inc(current - reported);
        reported = current;
      },
    });
  }
}
