/**
 * Where a token travels at the WebSocket upgrade, and how it is kept out of logs.
 *
 * Browsers cannot set headers on `new WebSocket()`, so the token may come as the `access_token` query
 * parameter (the LiveKit convention, platforms.md §6.1 item 10) as well as in `Authorization: Bearer`.
 * A query parameter ends up in access logs, which is why every URL we log goes through `redactUrl`.
 */

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
  if (authorization !== undefined) {
    const match = BEARER.exec(authorization);
    if (match?.[1] !== undefined) return match[1];
  }
  if (url === undefined) return undefined;
  const query = url.indexOf('?');
  if (query === -1) return undefined;
  const value = new URLSearchParams(url.slice(query + 1)).get(TOKEN_QUERY_PARAMETER);
  return value === null || value === '' ? undefined : value;
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
