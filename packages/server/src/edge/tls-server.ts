/**
 * HTTPS (and so WSS) served directly, for operators without a TLS-terminating proxy in front.
 *
 * The files are read once at start, and each mistake gets one sentence naming the flag, because a server
 * that starts on plain HTTP when the operator asked for TLS would silently expose tokens on the wire.
 */
import { readFileSync } from 'node:fs';
import {
  createServer as createHttpServer,
  type IncomingMessage,
  type Server as HttpServer,
  type ServerResponse,
} from 'node:http';
import { createServer as createHttpsServer, type Server as HttpsServer } from 'node:https';
import { createSecureContext } from 'node:tls';

/** Paths of the PEM certificate chain and private key. */
export interface TlsFiles {
  /** PEM certificate chain (leaf first), as from Let's Encrypt `fullchain.pem`. */
  readonly certPath: string;
  /** PEM private key of the certificate. */
  readonly keyPath: string;
}

/** The loaded key material, ready for `https.createServer`. */
export interface TlsMaterial {
  readonly cert: Buffer;
  readonly key: Buffer;
}

/**
 * Read and check the certificate and key.
 *
 * @throws Error with one sentence naming `--tls-cert` or `--tls-key` when a file is missing or they do not match
 */
export function loadTlsMaterial(files: TlsFiles): TlsMaterial {
  const cert = readPem(files.certPath, '--tls-cert');
  const key = readPem(files.keyPath, '--tls-key');
  try {
    // Fails now, with a clear sentence, instead of on the first handshake.
    createSecureContext({ cert, key });
  } catch (error) {
    throw new Error(`--tls-cert and --tls-key do not form a usable pair (${(error as Error).message}).`, {
      cause: error,
    });
  }
  return { cert, key };
}

/** Request handler shape shared by http and https servers. */
export type RequestListener = (req: IncomingMessage, res: ServerResponse) => void;

/**
 * Create the listening server: HTTPS when TLS material is given, plain HTTP otherwise. The WebSocket server
 * attaches to either one the same way (`noServer` + the `upgrade` event).
 */
export function createListener(
  tls: TlsMaterial | undefined,
  listener?: RequestListener,
): HttpServer | HttpsServer {
  if (tls === undefined) return listener === undefined ? createHttpServer() : createHttpServer(listener);
  // Node's defaults already refuse TLS < 1.2; state it so a changed default cannot weaken us silently.
  const options = { cert: tls.cert, key: tls.key, minVersion: 'TLSv1.2' as const };
  return listener === undefined ? createHttpsServer(options) : createHttpsServer(options, listener);
}

function readPem(path: string, flag: string): Buffer {
  let bytes: Buffer;
  try {
    bytes = readFileSync(path);
  } catch (error) {
    throw new Error(`${flag} ${path} cannot be read (${(error as NodeJS.ErrnoException).code ?? 'error'}).`, {
      cause: error,
    });
  }
  if (!bytes.includes('-----BEGIN')) throw new Error(`${flag} ${path} is not a PEM file.`);
  return bytes;
}
