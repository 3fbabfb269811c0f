/**
 * The `Origin` allow-list checked at the WebSocket upgrade (refusal: ORIGIN_FORBIDDEN).
 *
 * It defends against cross-site WebSocket hijacking: a page on another site opening a socket to our
 * server with the visitor's cookies or network position. It is not authentication: any non-browser client
 * can send whatever Origin it likes, so a missing Origin (Node, native apps) is let through by default.
 */

/** Options of `OriginAllowList`. */
export interface OriginAllowListOptions {
  /**
   * Whether a request without an `Origin` header (not a browser) is allowed.
   * @default true
   */
  readonly isMissingOriginAllowed?: boolean;
}

/**
 * Exact origins (`https://app.example.com`), one-level wildcard hosts (`https://*.example.com`), or `*`.
 *
 * @example
 * const origins = new OriginAllowList(['https://app.example.com', 'http://localhost:5173']);
 * if (!origins.isAllowed(req.headers.origin)) refuse('ORIGIN_FORBIDDEN');
 */
export class OriginAllowList {
  readonly #exact = new Set<string>();
  readonly #wildcards: { readonly scheme: string; readonly suffix: string; readonly port: string }[] = [];
  readonly #isAny: boolean;
  readonly #isMissingOriginAllowed: boolean;

  /** @throws TypeError naming the first entry that is not an origin */
  constructor(origins: readonly string[], options: OriginAllowListOptions = {}) {
    this.#isAny = origins.includes('*');
    this.#isMissingOriginAllowed = options.isMissingOriginAllowed ?? true;
    for (const entry of origins) {
      if (entry === '*') continue;
      if (entry === 'null') {
        this.#exact.add('null');
        continue;
      }
      const wildcard = /^(https?):\/\/\*\.([^/:*]+)(?::(\d+))?\/?$/i.exec(entry);
      if (wildcard !== null) {
        const [, schemeText = '', domain = '', port] = wildcard;
        const scheme = schemeText.toLowerCase();
        this.#wildcards.push({
          scheme,
          suffix: `.${domain.toLowerCase()}`,
          port: port ?? defaultPort(scheme),
        });
        continue;
      }
      const normalized = normalizeOrigin(entry);
      if (normalized === undefined) {
        throw new TypeError(
          `${JSON.stringify(entry)} is not an origin: use scheme://host[:port], https://*.domain or *.`,
        );
      }
      this.#exact.add(normalized);
    }
  }

  /** Whether an upgrade with this `Origin` header may proceed. */
  isAllowed(origin: string | undefined): boolean {
    if (origin === undefined || origin === '') return this.#isMissingOriginAllowed;
    if (this.#isAny) return true;
    if (origin === 'null') return this.#exact.has('null');
    const normalized = normalizeOrigin(origin);
    if (normalized === undefined) return false;
    if (this.#exact.has(normalized)) return true;
    const url = new URL(normalized);
    const scheme = url.protocol.slice(0, -1);
    const port = url.port === '' ? defaultPort(scheme) : url.port;
    return this.#wildcards.some(
      (w) => w.scheme === scheme && w.port === port && url.hostname.endsWith(w.suffix),
    );
  }
}

/** `scheme://host[:port]` in canonical form (lower case, default port dropped), or undefined. */
function normalizeOrigin(text: string): string | undefined {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return undefined;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return undefined;
  if (
    url.username !== '' ||
    url.password !== '' ||
    url.search !== '' ||
    url.hash !== '' ||
    (url.pathname !== '/' && url.pathname !== '')
  ) {
    return undefined;
  }
  return url.origin;
}

function defaultPort(scheme: string): string {
  return scheme === 'https' ? '443' : '80';
}
