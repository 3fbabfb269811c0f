/**
 * Validation of the transport-security server options (`tls`, `trustProxy`, `allowedOrigins`), called by
 * `resolveServerOptions` so that each mistake gets one sentence naming the option.
 */
import { OriginAllowList } from '../auth/origin-allow-list.js';

/** The fields checked here, as `resolveServerOptions` holds them. */
interface SecurityFields {
  readonly tls: unknown;
  readonly trustProxy: unknown;
  readonly allowedOrigins: unknown;
}

type SecurityKey = keyof SecurityFields;

/**
 * @param invalid makes the error to throw from a sentence (the options' one error type)
 * @param nameOf how to name an option (the CLI names its flag and variable)
 */
export function validateSecurityOptions(
  options: SecurityFields,
  invalid: (message: string) => Error,
  nameOf: (key: SecurityKey) => string,
): void {
  const { tls, trustProxy, allowedOrigins } = options;
  if (tls !== undefined) {
    const { cert, key } = (typeof tls === 'object' && tls !== null ? tls : {}) as {
      cert?: unknown;
      key?: unknown;
    };
    if (!isPem(cert) || !isPem(key)) {
      throw invalid(`${nameOf('tls')} must be { cert, key } with PEM text or buffers (see loadTlsMaterial).`);
    }
  }
  const isHops =
    typeof trustProxy === 'number' && Number.isInteger(trustProxy) && trustProxy >= 0 && trustProxy <= 16;
  if (typeof trustProxy !== 'boolean' && !isHops) {
    throw invalid(`${nameOf('trustProxy')} must be true, false or a number of proxy hops from 0 to 16.`);
  }
  if (allowedOrigins !== undefined) {
    if (!Array.isArray(allowedOrigins) || allowedOrigins.some((o) => typeof o !== 'string')) {
      throw invalid(`${nameOf('allowedOrigins')} must be a list of origins such as https://app.example.com.`);
    }
    try {
      new OriginAllowList(allowedOrigins as string[]);
    } catch (error) {
      throw invalid(`${nameOf('allowedOrigins')}: ${(error as Error).message}`);
    }
  }
}

function isPem(value: unknown): boolean {
  return (typeof value === 'string' || Buffer.isBuffer(value)) && String(value).includes('-----BEGIN');
}
