import { it } from 'vitest';
import type { Page } from 'playwright-core';
import { launchChromium, openPeerPage, startPeerPageServer, type PeerPageWindow } from '@switchboard/testing';
it('glare debug', async () => {
  const server = await startPeerPageServer();
  const browsers = [await launchChromium(), await launchChromium()];
  const [a, b] = (await Promise.all(browsers.map((x) => openPeerPage(x, server)))) as [Page, Page];
  const ids: string[] = [];
  for (const [p, n] of [
    [a, 'a'],
    [b, 'b'],
  ] as const)
    ids.push(
      await p.evaluate(
        (nick) => (window as unknown as PeerPageWindow).harness.join({ room: 'g', nickname: nick }),
        n,
      ),
    );
  for (const p of [a, b])
    await p.evaluate(async () => {
      const { harness } = window as unknown as PeerPageWindow;
      harness.stash['local'] = await navigator.mediaDevices.getUserMedia({
        audio: true,
        video: { width: 320, height: 240 },
      });
    });
  let failures = 0;
  for (let i = 0; i < 20; i++) {
    for (const p of [a, b])
      await p.evaluate(() => {
        (window as unknown as PeerPageWindow).harness.record.signals.length = 0;
      });
    const go = (p: Page, to: string) =>
      p.evaluate((peer) => {
        const { harness } = window as unknown as PeerPageWindow;
        const l = harness.peer!.peers.connect(peer);
        l.addStream(harness.stash['local'] as MediaStream);
      }, to);
    await Promise.all([go(a, ids[1]!), go(b, ids[0]!)]);
    const ok = await Promise.all(
      [a, b].map((p) =>
        p
          .waitForFunction(
            () =>
              (window as unknown as PeerPageWindow).harness.peer!.peers.links[0]?.pc.connectionState ===
              'connected',
            undefined,
            { timeout: 10000 },
          )
          .then(
            () => true,
            () => false,
          ),
      ),
    );
    if (!ok.every(Boolean)) {
      failures++;
      for (const p of [a, b])
        console.log(
          JSON.stringify(
            await p.evaluate(() => {
              const { harness } = window as unknown as PeerPageWindow;
              const l = harness.peer!.peers.links[0];
              return {
                polite: l?.isPolite,
                st: l?.state,
                ufrag: /a=ice-ufrag:(\S+)/.exec(l?.pc.localDescription?.sdp ?? '')?.[1],
                sig: harness.record.signals,
                err: harness.record.errors,
              };
            }),
          ),
        );
    }
    await a.evaluate(() => (window as unknown as PeerPageWindow).harness.peer!.peers.links[0]?.close());
    await b
      .waitForFunction(
        () => (window as unknown as PeerPageWindow).harness.peer!.peers.links.length === 0,
        undefined,
        { timeout: 10000 },
      )
      .catch(() =>
        b.evaluate(() => (window as unknown as PeerPageWindow).harness.peer!.peers.links[0]?.close()),
      );
  }
  console.log('FAILURES', failures);
  await Promise.all(browsers.map((x) => x.close()));
  await server.close();
}, 600000);
