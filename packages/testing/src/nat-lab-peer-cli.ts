/**
 * Process entry for one Node (wrtc) peer in the NAT lab. The suite starts it with
 * `ip netns exec <ns> node --conditions=source --import tsx nat-lab-peer-cli.ts '<json options>'`
 * (no shell, so the pid is this process's), and reads one JSON report line from stdout.
 */
import wrtc from '@roamhq/wrtc';
import { WebSocket } from 'ws';
import { runIcePeer, type IcePeerEnv, type IcePeerOptions } from './nat-lab-peer.js';

const options = JSON.parse(process.argv[2] ?? '{}') as IcePeerOptions;
const env = { RTCPeerConnection: wrtc.RTCPeerConnection, WebSocket } as unknown as IcePeerEnv;
const report = await runIcePeer(options, env);
process.stdout.write(`${JSON.stringify(report)}\n`);
// wrtc keeps native threads alive after close(); the report is written, so leave now.
process.exit(0);
