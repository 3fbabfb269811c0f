/**
 * The seam through which the ICE servers (STUN, and TURN with short-lived credentials) reach the welcome
 * message. The default is a static list; src/ice/ plugs in the embedded STUN server and coturn credentials.
 */
import type { IceServer } from '@switchboard/protocol';

/** The ICE servers one peer is told to use, and when any credentials in them expire (epoch ms). */
export interface IceServerList {
  readonly iceServers: IceServer[];
  readonly expiresAt?: number;
}

/** Called once per welcome, with the peer id the list is for (TURN REST usernames embed it). */
export type IceServerProvider = (peerId: string) => IceServerList;

/**
 * A provider that hands every peer the same list, e.g. from `--ice-server stun:stun.example.org:3478`.
 * @example staticIceServers(['stun:stun.example.org:3478'])
 */
export function staticIceServers(urls: readonly string[]): IceServerProvider {
  const list: IceServerList = { iceServers: urls.length === 0 ? [] : [{ urls: [...urls] }] };
  return () => ({ iceServers: list.iceServers.map((server) => ({ ...server })) });
}
