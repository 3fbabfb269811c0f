import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { get } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeSelfSignedCert } from '@switchboard/testing';
import { createListener, loadTlsMaterial } from './tls-server.js';

describe('TLS listener', () => {
  let dir: string;
  let certPath: string;
  let keyPath: string;

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'sb-tls-'));
    ({ certPath, keyPath } = writeSelfSignedCert(dir));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('serves HTTPS with the given certificate', async () => {
    const tls = loadTlsMaterial({ certPath, keyPath });
    const server = createListener(tls, (_req, res) => res.end('secure'));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = server.address() as AddressInfo;
      const body = await new Promise<string>((resolve, reject) => {
        get({ host: '127.0.0.1', port, path: '/', ca: tls.cert, servername: 'localhost' }, (res) => {
          let text = '';
          res.on('data', (chunk: Buffer) => (text += chunk.toString()));
          res.on('end', () => resolve(text));
        }).on('error', reject);
      });
      expect(body).toBe('secure');
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });

  it('names the flag when a file is missing, not PEM, or the pair does not match', () => {
    expect(() => loadTlsMaterial({ certPath: join(dir, 'nope.pem'), keyPath })).toThrow(
      /--tls-cert .* cannot be read/,
    );
    const junk = join(dir, 'junk.pem');
    writeFileSync(junk, 'hello');
    expect(() => loadTlsMaterial({ certPath, keyPath: junk })).toThrow(/--tls-key .* is not a PEM file/);
    const otherKey = join(dir, 'other-key.pem');
    execFileSync(
      'openssl',
      ['genpkey', '-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-256', '-out', otherKey],
      { stdio: 'ignore' },
    );
    expect(() => loadTlsMaterial({ certPath, keyPath: otherKey })).toThrow(/do not form a usable pair/);
  });
});
