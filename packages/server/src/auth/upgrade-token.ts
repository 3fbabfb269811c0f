/**
 * Where a token travels at the WebSocket upgrade, and how it is kept out of logs.
 *
 * Browsers cannot set headers on `new WebSocket()`, so the token may come as the `access_token` query
 * parameter (the LiveKit convention, platforms.md §6.1 item 10) as well as in `Authorization: Bearer`.
 * A query parameter ends up in access logs, which is why every URL we log goes through `redactUrl`.
 * The same query may say hello (`?v=1`, ADR 0015), so it is parsed once for both.
 */
import { HELLO_QUERY_PARAMETER, PROTOCOL_VERSION } from '@switchboard/protocol';

/** The query parameter that may carry the token. */
export const TOKEN_QUERY_PARAMETER = 'access_token';
/** What a redacted secret is replaced with in logs. */
export const REDACTED = '[REDACTED]';
/**
 * pino `redact` paths for the fields that may hold a token or a resume secret in the server's log
 * objects (request headers, frames that are logged for debugging).
 */
export const LOG_REDACT_PATHS: readonly string[] = Object.freeze([
  'req.headers.authorization',
  'req.headers.cookie',
  'headers.authorization',
  'headers.cookie',
  'token',
  'resumeSecret',
  '*.token',
  '*.resumeSecret',
]);

const BEARER = /^Bearer[ \t]+([^\s]+)[ \t]*$/i;

/** What the query of an upgrade's request target carries: a token, and a hello (PROTOCOL.md). */
export interface UpgradeQuery {
  /** The `access_token` parameter, if given and not empty. */
  readonly token: string | undefined;
  /** The `v` parameter (`HELLO_QUERY_PARAMETER`), as given: the client said hello in the URL. */
  readonly helloVersion: string | undefined;
}

const EMPTY_QUERY: UpgradeQuery = Object.freeze({ token: undefined, helloVersion: undefined });
/** The query of an anonymous client's URL hello, the most common one: read without a URLSearchParams. */
const HELLO_ONLY = `${HELLO_QUERY_PARAMETER}=${PROTOCOL_VERSION}`;
const HELLO_ONLY_QUERY: UpgradeQuery = Object.freeze({
  token: undefined,
  helloVersion: String(PROTOCOL_VERSION),
});

/**
 * Read the query of an upgrade's request target once, for both the token and the hello.
 *
 * @param url the request target (`/path?v=1&access_token=…`)
 */
export function readUpgradeQuery(url: string | undefined): UpgradeQuery {
  const query = url === undefined ? -1 : url.indexOf('?');
  if (url === undefined || query === -1) return EMPTY_QUERY;
  if (url.length - query - 1 === HELLO_ONLY.length && url.endsWith(HELLO_ONLY)) return HELLO_ONLY_QUERY;
  const params = new URLSearchParams(url.slice(query + 1));
  const token = params.get(TOKEN_QUERY_PARAMETER);
  const helloVersion = params.get(HELLO_QUERY_PARAMETER);
  return {
    token: token === null || token === '' ? undefined : token,
    helloVersion: helloVersion ?? undefined,
  };
}

/**
 * The token of an upgrade: the `Authorization: Bearer` header wins over the query's `access_token`.
 *
 * @param authorization the raw `Authorization` header, if any
 * @param queryToken the query's token (`readUpgradeQuery(url).token`)
 */
export function upgradeToken(
  authorization: string | undefined,
  queryToken: string | undefined,
): string | undefined {
  if (authorization !== undefined) {
    const match = BEARER.exec(authorization);
    if (match?.[1] !== undefined) return match[1];
  }
  return queryToken;
}

/**
 * Read the token from an upgrade request: the `Authorization: Bearer` header wins over the query.
 *
 * @param authorization the raw `Authorization` header, if any
 * @param url the request target (`/path?access_token=…`)
 */
export function readUpgradeToken(
  authorization: string | undefined,
  url: string | undefined,
): string | undefined {
  return upgradeToken(authorization, readUpgradeQuery(url).token);
}

/** Replace the value of `access_token` (and any `token`) in a request target, for logging. */
export function redactUrl(url: string): string {
  const query = url.indexOf('?');
  if (query === -1) return url;
  const params = new URLSearchParams(url.slice(query + 1));
  let changed = false;
  for (const key of [...params.keys()]) {
    if (key === TOKEN_QUERY_PARAMETER || key === 'token') {
      params.set(key, REDACTED);
      changed = true;
    }
  }
  return changed ? `${url.slice(0, query)}?${params.toString()}` : url;
}
