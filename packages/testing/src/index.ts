/**
 * @switchboard/testing (private): real components for tests. Each helper starts a real thing (server on
 * port 0, redis-server, coturn, Chromium, Node WebRTC peers) and returns a handle that stops it by pid.
 * Helpers add their exports below, one line each.
 */
export { launchChromium, hasChromium, chromiumPath, CHROMIUM_ARGS } from './chromium.js';
export { startRedis, hasRedisServer, redisServerPath, freePort } from './redis-server.js';
export type { RedisHandle, StartRedisOptions } from './redis-server.js';
export { startCoturn, hasCoturn, findFreePort, PRIVATE_PEER_RANGES, TURNSERVER_PATH } from './coturn.js';
export type { CoturnOptions, CoturnHandle } from './coturn.js';
export {
  validClientMessage,
  mutatedFrame,
  garbageFrame,
  fuzzFrame,
  maxPeersJoinFrame,
} from './client-frame-arbitraries.js';
export type { FuzzFrame } from './client-frame-arbitraries.js';
export { validMaxPeers, maxPeersText } from './max-peers-arbitraries.js';
export { runLiveFuzz, UNLIMITED_RATE_OPTIONS } from './live-fuzz.js';
export { expectedCode } from './expected-code.js';
export type { ExpectedCodeLimits } from './expected-code.js';
export { startServerChild } from './server-child.js';
export { killProcessGroup } from './kill-process-group.js';
export type { ServerChild } from './server-child.js';
export type { LiveFuzzOptions, LiveFuzzReport } from './live-fuzz.js';
export { WrtcPeerConnection, WrtcMediaStream, createWrtcVideoTrack } from './wrtc.js';
export { startServer } from './start-server.js';
export type { StartedServer } from './start-server.js';
export { RawClient } from './raw-client.js';
export { writeSelfSignedCert } from './self-signed-cert.js';
export type { SelfSignedCert } from './self-signed-cert.js';
export { withTimeout } from './with-timeout.js';
export type { CloseInfo } from './raw-client.js';
export { startTcpProxy } from './tcp-proxy.js';
export type { TcpProxy, TcpProxyTarget } from './tcp-proxy.js';
export {
  checkNetnsSupport,
  deleteNetnsSync,
  listNetns,
  netnsPids,
  reapOrphanNetns,
  run,
  runIn,
  spawnIn,
  waitForExit,
} from './netns.js';
export type { NetnsSupport } from './netns.js';
export { createNatLab, natLabLeftovers, NAT_LAB_ADDRESSES, NAT_LAB_BASE } from './nat-lab.js';
export type { NatLab, NatMode } from './nat-lab.js';
export { runIcePeer } from './nat-lab-peer.js';
export type { IcePeerOptions, IcePeerReport, IcePeerEnv, CandidateSummary } from './nat-lab-peer.js';
export { createNodePeer } from './node-peer.js';
export { nextMessage, remoteLink } from './link-waits.js';
export { nodePeerLab } from './node-peer-lab.js';
export type { NodePeerLab, LabPeerOptions } from './node-peer-lab.js';
export { createManualNodePeer } from './manual-node-peer.js';
export type { ManualNodePeer } from './manual-node-peer.js';
export type { NodePeer, NodePeerOptions } from './node-peer.js';
export { startClusterNodes } from './cluster-nodes.js';
export type { ClusterNode, StartClusterNodesOptions } from './cluster-nodes.js';
export { clusterBusContract, CONTRACT_LIMITS } from './cluster-bus-contract.js';
export type { ContractCluster } from './cluster-bus-contract.js';
export { RecordingListener } from './recording-listener.js';
export type { ListenerEvent } from './recording-listener.js';
export { sessionRecord, roomMember, numberedSignal } from './bus-fixtures.js';
export { runChurnSoak } from './churn-soak.js';
export type { ChurnSoakOptions, ChurnSoakReport } from './churn-soak.js';
export { rssTrend } from './rss-trend.js';
export type { RssTrend } from './rss-trend.js';
export { parseRunFlags, formatRunFlags } from './parse-run-flags.js';
export type { RunFlag, RunFlagsResult } from './parse-run-flags.js';
export {
  bundlePeerPage,
  bundleSdk,
  openPeerPage,
  startPeerPageServer,
  PEER_PAGE_HTML,
} from './page-harness.js';
export { startBrowserPeers, closePages } from './browser-peers.js';
export type { BrowserPeers } from './browser-peers.js';
export type {
  PeerPageWindow,
  PeerPageHarness,
  PageJoinOptions,
  PageRecord,
  RecordedMessage,
  VideoState,
} from './peer-page.js';
