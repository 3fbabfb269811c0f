import { it } from 'vitest';
import { createNodePeer, launchChromium, openPeerPage, startPeerPageServer, type PeerPageWindow } from '@switchboard/testing';
it('debug', async () => {
  const server = await startPeerPageServer();
  const browser = await launchChromium();
  const page = await openPeerPage(browser, server);
  page.on('console', (m) => console.log('PAGE', m.text()));
  const pageId = await page.evaluate((a) => (window as unknown as PeerPageWindow).harness.join(a), { room: 'x', nickname: 'c' });
  await page.evaluate(() => {
    const { harness } = window as unknown as PeerPageWindow;
    harness.peer!.peers.on('link', (l) => { l.on('state', (s) => console.log(JSON.stringify(s))); l.on('error', (e) => console.log('ERR', e.code, e.message, String((e as any).cause))); });
    harness.peer!.client.on('signal', (f, d) => console.log('SIG', JSON.stringify(d).slice(0, 300)));
  });
  const node = await createNodePeer({ url: server.url, room: 'x', nickname: 'n' });
  node.client.on('signal', (f, d) => console.log('NODE SIG', JSON.stringify(d).slice(0, 300)));
  const link = node.peers.connect(pageId);
  link.on('state', (s) => console.log('NODE', JSON.stringify(s)));
  link.on('error', (e) => console.log('NODE ERR', e.code, e.message, String((e as any).cause)));
  link.channel('chat').send('hi').catch(() => {});
  await new Promise((r) => setTimeout(r, 8000));
  await node.close(); await browser.close(); await server.close();
}, 30000);
