/**
 * Credentials from our ICE server provider against a real coturn (`use-auth-secret`, loopback). This
 * speaks TURN Allocate (RFC 8656 §7.2) with the long-term credential mechanism (RFC 8489 §9.2) over UDP
 * using our codec: first the unauthenticated request that draws 401 + REALM + NONCE, then the signed one.
 * The browser-level proof (relay-only peers) is turn-relay.e2e.test.ts.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHash, randomBytes } from 'node:crypto';
import { createSocket, type Socket } from 'node:dgram';
import { hasCoturn, startCoturn, type CoturnHandle } from '@switchboard/testing';
import {
  StunAttr,
  StunMethod,
  decodeErrorCode,
  decodeStunMessage,
  encodeStunMessage,
  findAttribute,
  verifyMessageIntegrity,
  type StunAttribute,
  type StunMessage,
} from '../src/ice/stun-codec.js';
import { decodeXorAddress } from '../src/ice/stun-address.js';
import { createIceServerProvider } from '../src/ice/ice-servers.js';

const SECRET = 'coturn-suite-secret';
const OLD_SECRET = 'previous-secret';

describe.skipIf(!hasCoturn())(
  'TURN credentials accepted by real coturn' + (hasCoturn() ? '' : ' (SKIPPED: turnserver not installed)'),
  () => {
    let turn: CoturnHandle;
    const sockets: Socket[] = [];

    beforeAll(async () => {
      // coturn lists both secrets, as the rotation guide says: new credentials and old ones both verify.
      turn = await startCoturn({ secrets: [SECRET, OLD_SECRET], allowLoopbackPeers: true });
    });

    afterAll(async () => {
      for (const socket of sockets) socket.close();
      await turn.close();
    });

    /** One socket per allocation: coturn answers 437 Allocation Mismatch to a second Allocate on a 5-tuple. */
    async function openSocket(): Promise<Socket> {
      const socket = createSocket('udp4');
      sockets.push(socket);
      await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
      return socket;
    }

    function send(socket: Socket, packet: Buffer): Promise<StunMessage> {
      const transactionId = packet.subarray(8, 20);
      return new Promise((resolve, reject) => {
        const timer = setTimeout(
          () => reject(new Error(`no answer from coturn within 5 s\n${turn.log()}`)),
          5000,
        );
        const onMessage = (message: Buffer): void => {
          const decoded = decodeStunMessage(message);
          if (decoded === null || !Buffer.from(decoded.transactionId).equals(transactionId)) return;
          clearTimeout(timer);
          socket.off('message', onMessage);
          resolve(decoded);
        };
        socket.on('message', onMessage);
        socket.send(packet, turn.port, turn.host);
      });
    }

    /** REQUESTED-TRANSPORT = UDP (17), RFC 8656 §18.7. */
    const udpTransport: StunAttribute = {
      type: StunAttr.REQUESTED_TRANSPORT,
      value: Uint8Array.from([17, 0, 0, 0]),
    };

    /** Allocate with long-term credentials; returns coturn's final answer. */
    async function allocate(
      username: string,
      password: string,
    ): Promise<{ answer: StunMessage; key: Buffer }> {
      const socket = await openSocket();
      const challenge = await send(
        socket,
        encodeStunMessage({
          method: StunMethod.ALLOCATE,
          messageClass: 'request',
          transactionId: randomBytes(12),
          attributes: [udpTransport],
        }),
      );
      expect(challenge.messageClass).toBe('error');
      expect(decodeErrorCode(findAttribute(challenge, StunAttr.ERROR_CODE)!)?.code).toBe(401);
      const realm = Buffer.from(findAttribute(challenge, StunAttr.REALM)!).toString();
      const nonce = findAttribute(challenge, StunAttr.NONCE)!;
      expect(realm).toBe(turn.realm);
      const key = createHash('md5').update(`${username}:${realm}:${password}`).digest();
      const answer = await send(
        socket,
        encodeStunMessage({
          method: StunMethod.ALLOCATE,
          messageClass: 'request',
          transactionId: randomBytes(12),
          attributes: [
            udpTransport,
            { type: StunAttr.USERNAME, value: Buffer.from(username) },
            { type: StunAttr.REALM, value: Buffer.from(realm) },
            { type: StunAttr.NONCE, value: nonce },
          ],
          integrityKey: key,
          fingerprint: true,
        }),
      );
      return { answer, key };
    }

    it('allocates a relay with the credentials our provider issued, and signs the answer with the same key', async () => {
      const provide = createIceServerProvider({ turnUrls: [turn.udpUrl], turnSecrets: [SECRET] });
      const { iceServers, expiresAt } = provide('alice');
      const server = iceServers[0]!;
      expect(expiresAt).toBeGreaterThan(Date.now());
      const { answer, key } = await allocate(server.username!, server.credential!);
      expect(answer.messageClass, turn.log()).toBe('success');
      expect(verifyMessageIntegrity(answer, key)).toBe(true);
      const relayed = decodeXorAddress(
        findAttribute(answer, StunAttr.XOR_RELAYED_ADDRESS)!,
        answer.transactionId,
      );
      expect(relayed?.address).toBe('127.0.0.1');
    });

    it('still accepts credentials signed with an older secret that coturn also lists (rotation)', async () => {
      const provide = createIceServerProvider({ turnUrls: [turn.udpUrl], turnSecrets: [OLD_SECRET] });
      const server = provide('bob').iceServers[0]!;
      const { answer } = await allocate(server.username!, server.credential!);
      expect(answer.messageClass).toBe('success');
    });

    it('refuses credentials signed with a wrong secret with 401', async () => {
      const provide = createIceServerProvider({ turnUrls: [turn.udpUrl], turnSecrets: ['not-the-secret'] });
      const server = provide('mallory').iceServers[0]!;
      const { answer } = await allocate(server.username!, server.credential!);
      expect(answer.messageClass).toBe('error');
      expect(decodeErrorCode(findAttribute(answer, StunAttr.ERROR_CODE)!)?.code).toBe(401);
    });

    it('refuses expired credentials with 401', async () => {
      // Issued 2 h ago with the minimum TTL (300 s): the username's expiry is in the past.
      const provide = createIceServerProvider({
        turnUrls: [turn.udpUrl],
        turnSecrets: [SECRET],
        turnTtlS: 300,
        now: () => Date.now() - 2 * 3600_000,
      });
      const server = provide('carol').iceServers[0]!;
      const { answer } = await allocate(server.username!, server.credential!);
      expect(answer.messageClass).toBe('error');
      expect(decodeErrorCode(findAttribute(answer, StunAttr.ERROR_CODE)!)?.code).toBe(401);
    });
  },
);
