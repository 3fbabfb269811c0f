/** The wire protocol version. A client's `hello`/`resume` must carry it; the server rejects others. */
export const PROTOCOL_VERSION = 1;

/**
 * The query parameter of the upgrade URL that says hello: `?v=1` is the `hello {v: 1}` frame, sent with the
 * upgrade instead of after it, so the server answers the upgrade with the 101 and the `welcome` in one write
 * (PROTOCOL.md, "Session establishment"; docs/adr/0015-hello-in-the-upgrade-url.md). The token rides beside
 * it as `access_token`. A resume stays a frame: its secret must not appear in URLs.
 */
export const HELLO_QUERY_PARAMETER = 'v';
