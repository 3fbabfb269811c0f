/**
 * How a contact's presence reads in the list. Pure, so the wording is unit-tested: reconnecting beats any
 * status (the person cannot be reached right now), then "in a call", "away", "available".
 */
import type { PeerInfo } from '@switchboard/protocol';

/** The presence of a contact as the list shows it. */
export interface PresenceLabel {
  readonly tone: 'available' | 'busy' | 'away' | 'reconnecting';
  readonly text: string;
  /** Whether a call button makes sense now. */
  readonly callable: boolean;
}

/** Describe a peer's presence. */
export function describePresence(peer: Pick<PeerInfo, 'state' | 'metadata'>): PresenceLabel {
  if (peer.state === 'reconnecting') return { tone: 'reconnecting', text: 'Reconnecting…', callable: false };
  switch (peer.metadata.status) {
    case 'busy':
      return { tone: 'busy', text: 'In a call', callable: true };
    case 'away':
      return { tone: 'away', text: 'Away', callable: true };
    default:
      return { tone: 'available', text: 'Available', callable: true };
  }
}

/** Contacts sorted for display: available first, then by nickname. */
export function sortContacts<T extends Pick<PeerInfo, 'state' | 'metadata'>>(peers: readonly T[]): T[] {
  const rank = { available: 0, away: 1, busy: 2, reconnecting: 3 } as const;
  return [...peers].sort(
    (a, b) =>
      rank[describePresence(a).tone] - rank[describePresence(b).tone] ||
      a.metadata.nickname.localeCompare(b.metadata.nickname),
  );
}

/** One or two initials for an avatar. */
export function initials(nickname: string): string {
  const words = nickname.split(' ').filter((word) => word.length > 0);
  const letters = words.length > 1 ? [words[0], words[words.length - 1]] : [nickname];
  return letters
    .map((word) => {
      const first = word?.codePointAt(0);
      return first === undefined ? '' : String.fromCodePoint(first);
    })
    .join('')
    .toUpperCase();
}
