// Temporary profiling driver (not part of the bench): closed loop P pairs against a running server for S seconds.
import { connectSwitchboardPeer } from './clients/switchboard-peer.js';
import { connectWsRelayPeer } from './clients/ws-relay-peer.js';
const connect = process.env['WSRELAY'] ? connectWsRelayPeer : connectSwitchboardPeer;
import { payloadJson } from './harness/signal-payloads.js';
const port = Number(process.argv[2]); const P = Number(process.argv[3] ?? 100); const S = Number(process.argv[4] ?? 6);
const pairs = [];
for (let i = 0; i < P; i++) {
  const a = await connect({ port, name: `a${i}`, room: `r${i}` });
  const b = await connect({ port, name: `b${i}`, room: `r${i}` });
  pairs.push([a, b]);
}
import { readFileSync } from 'node:fs';
const spid = process.env['SPID'];
const cpu = (): number => { if (!spid) return 0; const f = readFileSync(`/proc/${spid}/stat`, 'utf8').split(') ')[1]!.split(' '); return (Number(f[11]) + Number(f[12])) * 10; };
let n = 0; let running = true; const c0 = cpu();
for (const [a, b] of pairs) {
  a.onData = () => { n++; if (running) a.send(b.address, n, payloadJson(n, Date.now())); };
  b.onData = () => { n++; if (running) b.send(a.address, n, payloadJson(n, Date.now())); };
  a.send(b.address, 1, payloadJson(1, Date.now()));
}
await new Promise((r) => setTimeout(r, S * 1000));
running = false;
const c1 = cpu();
console.log('server cpu us/msg', ((c1 - c0) * 1000 / n).toFixed(2), 'cpu%', ((c1 - c0) / (S * 10)).toFixed(0));
console.log('delivered', n, 'per s', (n / S).toFixed(0));
for (const [a, b] of pairs) { a.close(); b.close(); }
process.exit(0);
