import { clusterBusContract } from '@switchboard/testing';
import { InMemoryClusterBus } from './in-memory-cluster-bus.js';
import { InMemoryClusterHub } from './in-memory-cluster-hub.js';

clusterBusContract('InMemoryClusterBus', () => {
  const hub = new InMemoryClusterHub({ nodeFailureTimeoutMs: 100 });
  return Promise.resolve({
    createNode: () => new InMemoryClusterBus({ hub }),
    crash: (bus) => {
      hub.crash(bus.nodeId);
      return Promise.resolve();
    },
    close: () => Promise.resolve(),
  });
});
