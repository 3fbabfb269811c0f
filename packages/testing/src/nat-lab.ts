/**
 * A real NAT topology in network namespaces, after shared/reference/nat-lab.md §2:
 *
 *   <p>-pa 10.0.1.2 ── lan 10.0.1.1 [<p>-ra NAT] wan 203.0.113.11 ─┐
 *                                                                 ├─ br0 in <p>-pub: 203.0.113.1 broker + STUN,
 *   <p>-pb 10.0.2.2 ── lan 10.0.2.1 [<p>-rb NAT] wan 203.0.113.12 ─┘              203.0.113.2 spare, 203.0.113.3 coturn
 *
 * The peers' only route is their router; the routers have no default route and the public segment has
 * no route to 10/8, so host candidates can never connect across, as on the internet. Every veth is
 * created directly between two lab namespaces: nothing is added to the root namespace. IPv6 is off in
 * the lab so candidate lists stay clean.
 *
 * Trap 1 (§5.1): each router drops unsolicited inbound WAN traffic, like a home router. Without that,
 * a peer's early connectivity check confirms a conntrack entry on the far router, the NAT re-maps the
 * outgoing flow to a new port, and even the cone case fails.
 */
import { execFileSync, type ChildProcess, type SpawnOptions } from 'node:child_process';
import { deleteNetnsSync, reapOrphanNetns, run, runIn, spawnIn } from './netns.js';

/** How a router translates: endpoint-independent ("cone", port-restricted) or symmetric. */
export type NatMode = 'cone' | 'symmetric';

/** The lab's fixed addresses (documentation ranges, RFC 5737, never routed outside the lab). */
export const NAT_LAB_ADDRESSES = {
  broker: '203.0.113.1',
  spare: '203.0.113.2',
  turn: '203.0.113.3',
  routerA: '203.0.113.11',
  routerB: '203.0.113.12',
  peerA: '10.0.1.2',
  peerB: '10.0.2.2',
} as const;

/** Base of every lab namespace name; `reapOrphanNetns(NAT_LAB_BASE)` cleans up after crashed runs. */
export const NAT_LAB_BASE = 'sbnat';

/** A built lab. `destroy()` must run in a `finally`/`afterAll`; it is also registered for process exit. */
export interface NatLab {
  /** Namespace names. */
  readonly ns: {
    readonly pub: string;
    readonly ra: string;
    readonly rb: string;
    readonly pa: string;
    readonly pb: string;
  };
  /** Set one router's NAT mode and forget its old mappings (`conntrack -F`). */
  setNat(router: 'ra' | 'rb', mode: NatMode): Promise<void>;
  /** Start a process in a lab namespace (its pid is the process's own). */
  spawn(netns: string, command: string, args: readonly string[], options?: SpawnOptions): ChildProcess;
  /** Run a command to completion in a lab namespace. */
  exec(netns: string, command: string, args: readonly string[]): Promise<string>;
  /** Kill everything in the lab namespaces and delete them. Idempotent. */
  destroy(): void;
}

/** Build the topology with unique names (`sbnat-<pid>-<n>-…`). Tears down what it built if a step fails. */
export async function createNatLab(): Promise<NatLab> {
  reapOrphanNetns(NAT_LAB_BASE);
  const id = `${NAT_LAB_BASE}-${process.pid}-${Date.now().toString(36).slice(-4)}`;
  const ns = { pub: `${id}-pub`, ra: `${id}-ra`, rb: `${id}-rb`, pa: `${id}-pa`, pb: `${id}-pb` } as const;
  const all = [ns.pa, ns.pb, ns.ra, ns.rb, ns.pub];
  let destroyed = false;
  const destroy = (): void => {
    if (destroyed) return;
    destroyed = true;
    process.off('exit', destroy);
    for (const name of all) deleteNetnsSync(name);
  };
  process.on('exit', destroy);

  const ip = (...args: string[]): Promise<string> => run('ip', args);
  const inNs = (name: string, command: string, ...args: string[]): Promise<string> =>
    runIn(name, command, args);
  try {
    for (const name of all) {
      await ip('netns', 'add', name);
      await ip('-n', name, 'link', 'set', 'lo', 'up');
      await inNs(name, 'sysctl', '-q', '-w', 'net.ipv6.conf.all.disable_ipv6=1');
      await inNs(name, 'sysctl', '-q', '-w', 'net.ipv6.conf.default.disable_ipv6=1');
    }
    await ip('-n', ns.pub, 'link', 'add', 'br0', 'type', 'bridge');
    await ip('-n', ns.pub, 'link', 'set', 'br0', 'up');
    for (const address of [NAT_LAB_ADDRESSES.broker, NAT_LAB_ADDRESSES.spare, NAT_LAB_ADDRESSES.turn]) {
      await ip('-n', ns.pub, 'addr', 'add', `${address}/24`, 'dev', 'br0');
    }
    const sides = [
      {
        router: ns.ra,
        peer: ns.pa,
        wan: NAT_LAB_ADDRESSES.routerA,
        lan: '10.0.1.1',
        host: NAT_LAB_ADDRESSES.peerA,
        port: 'pub-ra',
      },
      {
        router: ns.rb,
        peer: ns.pb,
        wan: NAT_LAB_ADDRESSES.routerB,
        lan: '10.0.2.1',
        host: NAT_LAB_ADDRESSES.peerB,
        port: 'pub-rb',
      },
    ];
    for (const side of sides) {
      await ip(
        '-n',
        ns.pub,
        'link',
        'add',
        side.port,
        'type',
        'veth',
        'peer',
        'name',
        'wan',
        'netns',
        side.router,
      );
      await ip('-n', ns.pub, 'link', 'set', side.port, 'master', 'br0', 'up');
      await ip('-n', side.router, 'addr', 'add', `${side.wan}/24`, 'dev', 'wan');
      await ip('-n', side.router, 'link', 'set', 'wan', 'up');
      await ip(
        '-n',
        side.router,
        'link',
        'add',
        'lan',
        'type',
        'veth',
        'peer',
        'name',
        'eth0',
        'netns',
        side.peer,
      );
      await ip('-n', side.router, 'addr', 'add', `${side.lan}/24`, 'dev', 'lan');
      await ip('-n', side.router, 'link', 'set', 'lan', 'up');
      await ip('-n', side.peer, 'addr', 'add', `${side.host}/24`, 'dev', 'eth0');
      await ip('-n', side.peer, 'link', 'set', 'eth0', 'up');
      await ip('-n', side.peer, 'route', 'add', 'default', 'via', side.lan);
      await inNs(side.router, 'sysctl', '-q', '-w', 'net.ipv4.ip_forward=1');
      // Trap 1: a home-router firewall. Accept only replies on the WAN side; drop the rest before
      // conntrack confirms an entry for it.
      for (const chain of ['INPUT', 'FORWARD']) {
        await inNs(
          side.router,
          'iptables',
          '-A',
          chain,
          '-i',
          'wan',
          '-m',
          'conntrack',
          '--ctstate',
          'ESTABLISHED,RELATED',
          '-j',
          'ACCEPT',
        );
        await inNs(side.router, 'iptables', '-A', chain, '-i', 'wan', '-j', 'DROP');
      }
    }
  } catch (error) {
    destroy();
    throw error;
  }

  const setNat = async (router: 'ra' | 'rb', mode: NatMode): Promise<void> => {
    const name = ns[router];
    await inNs(name, 'iptables', '-t', 'nat', '-F', 'POSTROUTING');
    // --random-fully picks a random source port per flow: endpoint-dependent mapping, i.e. symmetric NAT.
    const extra = mode === 'symmetric' ? ['--random-fully'] : [];
    await inNs(name, 'iptables', '-t', 'nat', '-A', 'POSTROUTING', '-o', 'wan', '-j', 'MASQUERADE', ...extra);
    try {
      await inNs(name, 'conntrack', '-F');
    } catch {
      // An empty table makes some conntrack versions exit non-zero; there was nothing to forget.
    }
  };

  return {
    ns,
    setNat,
    spawn: (netns, command, args, options) => spawnIn(netns, command, args, options),
    exec: (netns, command, args) => runIn(netns, command, args),
    destroy,
  };
}

/** Whether any namespace of this process's labs still exists (teardown checks). */
export function natLabLeftovers(): string[] {
  try {
    return execFileSync('ip', ['netns', 'list'], { encoding: 'utf8' })
      .split('\n')
      .map((line) => line.split(' ')[0] ?? '')
      .filter((name) => name.startsWith(`${NAT_LAB_BASE}-${process.pid}-`));
  } catch {
    return [];
  }
}
