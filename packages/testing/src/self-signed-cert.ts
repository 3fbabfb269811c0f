/**
 * A throwaway self-signed P-256 certificate for TLS tests, made with the system's openssl (lab.md), valid
 * for `localhost` and 127.0.0.1 for one day.
 */
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';

/** Where the PEM files were written. */
export interface SelfSignedCert {
  readonly certPath: string;
  readonly keyPath: string;
}

/** Write `cert.pem` and `key.pem` (or `<name>-cert.pem`…) into `dir`. */
export function writeSelfSignedCert(dir: string, name = ''): SelfSignedCert {
  const prefix = name === '' ? '' : `${name}-`;
  const certPath = join(dir, `${prefix}cert.pem`);
  const keyPath = join(dir, `${prefix}key.pem`);
  const subject = ['-subj', '/CN=localhost', '-addext', 'subjectAltName=DNS:localhost,IP:127.0.0.1'];
  const key = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-days', '1'];
  execFileSync('openssl', ['req', '-x509', ...key, ...subject, '-keyout', keyPath, '-out', certPath], {
    stdio: 'ignore',
  });
  return { certPath, keyPath };
}
