import type { WelcomeMessage } from '@switchboard/protocol';
import { RawClient } from '@switchboard/testing';

/** A raw client said hello and joined `room` as `nickname`; resolves once its roster arrived. */
export async function inRoom(
  url: string,
  room: string,
  nickname: string,
): Promise<{ client: RawClient; welcome: WelcomeMessage }> {
  const peer = await RawClient.hello(url);
  peer.client.send({ type: 'join', id: peer.client.id(), room, metadata: { nickname } });
  await peer.client.next((f) => f.type === 'roster');
  return peer;
}
