/**
 * @switchboard/testing (private): real components for tests. Each helper starts a real thing (server on
 * port 0, redis-server, coturn, Chromium, Node WebRTC peers) and returns a handle that stops it by pid.
 * Helpers add their exports below, one line each.
 */
export { launchChromium, hasChromium, chromiumPath, CHROMIUM_ARGS } from './chromium.js';
