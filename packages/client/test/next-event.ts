/**
 * Waiting for SDK events in integration tests: resolve on the first event that matches, or fail after a
 * timeout that names what was awaited. Never sleep to synchronise.
 */
import type { SignalingClient, SignalingClientEvents } from '@switchboard/client';

/** Resolve with the arguments of the next `event` for which `predicate` holds. */
export function nextEvent<E extends keyof SignalingClientEvents>(
  client: SignalingClient,
  event: E,
  predicate: (...args: Parameters<SignalingClientEvents[E]>) => boolean = () => true,
  timeoutMs = 10_000,
): Promise<Parameters<SignalingClientEvents[E]>> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      unsubscribe();
      reject(new Error(`timed out after ${timeoutMs} ms waiting for '${event}'`));
    }, timeoutMs);
    const listener = (...args: Parameters<SignalingClientEvents[E]>): void => {
      if (!predicate(...args)) return;
      clearTimeout(timer);
      unsubscribe();
      resolve(args);
    };
    const unsubscribe = client.on(event, listener as SignalingClientEvents[E]);
  });
}

/** Resolve once `client` is in connection state `state`. */
export function nextState(
  client: SignalingClient,
  state: SignalingClient['state']['state'],
  timeoutMs = 10_000,
): Promise<unknown> {
  if (client.state.state === state) return Promise.resolve(client.state);
  return nextEvent(client, 'state', (s) => s.state === state, timeoutMs);
}
