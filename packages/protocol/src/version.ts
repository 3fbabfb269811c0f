/** The wire protocol version. A client's `hello`/`resume` must carry it; the server rejects others. */
export const PROTOCOL_VERSION = 1;
