/**
 * The embedded STUN server on real UDP sockets (loopback, port 0). The client side is written out by hand
 * from RFC 8489 (bytes, not our codec), so a bug shared by encoder and decoder cannot hide here.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { createSocket, type Socket } from 'node:dgram';
import { randomBytes } from 'node:crypto';
import fc from 'fast-check';
import { StunServer } from '../src/ice/stun-server.js';

const COOKIE = 0x2112a442;

/** A Binding request built by hand: type 0x0001, length, cookie, transaction id, then raw attributes. */
function bindingRequest(transactionId: Buffer, attributes: Buffer = Buffer.alloc(0), type = 0x0001): Buffer {
  const header = Buffer.alloc(20);
  header.writeUInt16BE(type, 0);
  header.writeUInt16BE(attributes.length, 2);
  header.writeUInt32BE(COOKIE, 4);
  transactionId.copy(header, 8);
  return Buffer.concat([header, attributes]);
}

interface ParsedResponse {
  type: number;
  transactionId: Buffer;
  attributes: Map<number, Buffer>;
  lastType: number;
}

/** Independent parse of a response: header, then TLVs with 4-byte padding. */
function parseResponse(packet: Buffer): ParsedResponse {
  expect(packet.readUInt32BE(4)).toBe(COOKIE);
  expect(packet.readUInt16BE(2)).toBe(packet.length - 20);
  const attributes = new Map<number, Buffer>();
  let offset = 20;
  let lastType = -1;
  while (offset < packet.length) {
    const type = packet.readUInt16BE(offset);
    const length = packet.readUInt16BE(offset + 2);
    attributes.set(type, packet.subarray(offset + 4, offset + 4 + length));
    lastType = type;
    offset += 4 + Math.ceil(length / 4) * 4;
  }
  return { type: packet.readUInt16BE(0), transactionId: packet.subarray(8, 20), attributes, lastType };
}

/** XOR-MAPPED-ADDRESS decoded by hand (RFC 8489 §14.2). */
function xorMapped(value: Buffer, transactionId: Buffer): { address: string; port: number } {
  const port = value.readUInt16BE(2) ^ (COOKIE >>> 16);
  const mask = Buffer.concat([Buffer.from([0x21, 0x12, 0xa4, 0x42]), transactionId]);
  const raw = Buffer.from(value.subarray(4).map((byte, i) => byte ^ (mask[i] ?? 0)));
  if (value[1] === 0x01) return { address: Array.from(raw).join('.'), port };
  const groups: string[] = [];
  for (let i = 0; i < 16; i += 2) groups.push(raw.readUInt16BE(i).toString(16));
  return { address: groups.join(':'), port };
}

const sockets: Socket[] = [];
const servers: StunServer[] = [];

afterEach(async () => {
  for (const socket of sockets.splice(0)) socket.close();
  for (const server of servers.splice(0)) await server.close();
});

async function startServer(host: string): Promise<{ server: StunServer; port: number }> {
  const server = new StunServer({ port: 0, host });
  servers.push(server);
  const { port } = await server.listen();
  return { server, port };
}

async function openClient(type: 'udp4' | 'udp6', host: string): Promise<Socket> {
  const socket = createSocket(type);
  sockets.push(socket);
  await new Promise<void>((resolve) => socket.bind(0, host, resolve));
  return socket;
}

/** Send `packet` and resolve with the first response carrying `transactionId`, or reject after 3 s. */
function exchange(
  client: Socket,
  packet: Buffer,
  port: number,
  host: string,
  transactionId: Buffer,
): Promise<ParsedResponse> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      client.off('message', onMessage);
      reject(new Error('no STUN response within 3 s'));
    }, 3000);
    const onMessage = (message: Buffer): void => {
      if (message.length < 20 || !message.subarray(8, 20).equals(transactionId)) return;
      clearTimeout(timer);
      client.off('message', onMessage);
      resolve(parseResponse(message));
    };
    client.on('message', onMessage);
    client.send(packet, port, host);
  });
}

describe('StunServer', () => {
  it('tells an IPv4 client its own address and port in XOR-MAPPED-ADDRESS, with FINGERPRINT last', async () => {
    const { server, port } = await startServer('127.0.0.1');
    const client = await openClient('udp4', '127.0.0.1');
    const transactionId = randomBytes(12);
    const response = await exchange(client, bindingRequest(transactionId), port, '127.0.0.1', transactionId);
    expect(response.type).toBe(0x0101);
    expect(xorMapped(response.attributes.get(0x0020)!, transactionId)).toEqual({
      address: '127.0.0.1',
      port: client.address().port,
    });
    expect(response.lastType).toBe(0x8028);
    expect(server.counters).toMatchObject({ requests: 1, responses: 1, errors: 0, dropped: 0 });
  });

  it('serves IPv6 clients on a udp6 socket', async () => {
    const { port } = await startServer('::1');
    const client = await openClient('udp6', '::1');
    const transactionId = randomBytes(12);
    const response = await exchange(client, bindingRequest(transactionId), port, '::1', transactionId);
    const mapped = xorMapped(response.attributes.get(0x0020)!, transactionId);
    expect(response.attributes.get(0x0020)![1]).toBe(0x02);
    expect(mapped).toEqual({ address: '0:0:0:0:0:0:0:1', port: client.address().port });
  });

  it('answers an IPv4 client of a dual-stack `::` socket with its IPv4 address, not ::ffff:', async () => {
    const { port } = await startServer('::');
    const client = await openClient('udp4', '127.0.0.1');
    const transactionId = randomBytes(12);
    const response = await exchange(client, bindingRequest(transactionId), port, '127.0.0.1', transactionId);
    expect(response.attributes.get(0x0020)![1]).toBe(0x01);
    expect(xorMapped(response.attributes.get(0x0020)!, transactionId)).toEqual({
      address: '127.0.0.1',
      port: client.address().port,
    });
  });

  it('answers 420 with UNKNOWN-ATTRIBUTES to an unknown comprehension-required attribute', async () => {
    const { server, port } = await startServer('127.0.0.1');
    const client = await openClient('udp4', '127.0.0.1');
    const transactionId = randomBytes(12);
    const unknownAttribute = Buffer.from('7abc000401020304', 'hex');
    const response = await exchange(
      client,
      bindingRequest(transactionId, unknownAttribute),
      port,
      '127.0.0.1',
      transactionId,
    );
    expect(response.type).toBe(0x0111);
    const errorCode = response.attributes.get(0x0009)!;
    expect(errorCode[2]! * 100 + errorCode[3]!).toBe(420);
    expect(response.attributes.get(0x000a)!.toString('hex')).toBe('7abc');
    expect(server.counters).toMatchObject({ requests: 1, errors: 1, responses: 0 });
  });

  it('drops malformed packets silently and keeps answering', async () => {
    const { server, port } = await startServer('127.0.0.1');
    const client = await openClient('udp4', '127.0.0.1');
    const garbageId = randomBytes(12);
    const badCookie = bindingRequest(garbageId);
    badCookie.writeUInt32BE(0xdeadbeef, 4);
    const badLength = bindingRequest(garbageId, Buffer.alloc(4));
    badLength.writeUInt16BE(8, 2);
    const received: Buffer[] = [];
    client.on('message', (message) => received.push(message));
    for (const packet of [badCookie, badLength, Buffer.from('hello'), Buffer.alloc(0)])
      client.send(packet, port, '127.0.0.1');
    const transactionId = randomBytes(12);
    const response = await exchange(client, bindingRequest(transactionId), port, '127.0.0.1', transactionId);
    expect(response.type).toBe(0x0101);
    // UDP on loopback keeps order, so anything sent back for the garbage would have arrived first.
    expect(received.filter((message) => message.subarray(8, 20).equals(garbageId))).toHaveLength(0);
    expect(server.counters).toMatchObject({ dropped: 4, requests: 1, responses: 1 });
  });

  it('survives fuzzed packets (random bytes and mutated valid requests) and still answers', async () => {
    const { server, port } = await startServer('127.0.0.1');
    const client = await openClient('udp4', '127.0.0.1');
    const attribute = fc
      .tuple(fc.integer({ min: 0, max: 0xffff }), fc.uint8Array({ maxLength: 24 }))
      .map(([type, value]) => {
        const tlv = Buffer.alloc(4 + Math.ceil(value.length / 4) * 4);
        tlv.writeUInt16BE(type, 0);
        tlv.writeUInt16BE(value.length, 2);
        tlv.set(value, 4);
        return tlv;
      });
    const structured = fc
      .tuple(
        fc.integer({ min: 0, max: 0x3fff }),
        fc.array(attribute, { maxLength: 5 }),
        fc.integer({ min: -8, max: 8 }),
      )
      .map(([type, attributes, lengthSkew]) => {
        const packet = bindingRequest(randomBytes(12), Buffer.concat(attributes), type);
        packet.writeUInt16BE(
          Math.max(0, Math.min(0xffff, packet.length - 20 + (lengthSkew % 3 === 0 ? lengthSkew : 0))),
          2,
        );
        return packet;
      });
    const packets = fc.sample(
      fc.oneof(
        fc.uint8Array({ maxLength: 600 }).map((b) => Buffer.from(b)),
        structured,
      ),
      {
        numRuns: 400,
        seed: 5769,
      },
    );
    // Batches of 40 with a valid request after each: the request proves the server still answers, and
    // waiting for its answer keeps the burst under the socket's receive buffer so nothing is lost.
    let probes = 0;
    for (let start = 0; start < packets.length; start += 40) {
      for (const packet of packets.slice(start, start + 40)) client.send(packet, port, '127.0.0.1');
      const transactionId = randomBytes(12);
      const response = await exchange(
        client,
        bindingRequest(transactionId),
        port,
        '127.0.0.1',
        transactionId,
      );
      probes++;
      expect(response.type).toBe(0x0101);
    }
    const { requests, indications, dropped } = server.counters;
    // Every fuzz datagram was processed (in order, before the probe after it) and classified exactly once.
    expect(requests + indications + dropped).toBe(packets.length + probes);
  });

  it('rejects listen() when the port is taken', async () => {
    const { port } = await startServer('127.0.0.1');
    const second = new StunServer({ port, host: '127.0.0.1' });
    await expect(second.listen()).rejects.toThrow(/EADDRINUSE/);
  });
});
