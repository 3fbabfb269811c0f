import { afterEach, describe, expect, it, vi } from 'vitest';

/** A fresh copy of the module: the warm-up runs once per module instance (once per realm in an app). */
async function freshModule(): Promise<typeof import('./warm-sdp-codec.js')> {
  vi.resetModules();
  return import('./warm-sdp-codec.js');
}

afterEach(() => {
  vi.unstubAllGlobals();
  vi.doUnmock('./sdp-codec.js');
});

describe('warmSdpCodecWhenIdle', () => {
  it('runs WARM_ROUNDS rounds, each in its own scheduled task, then resolves', async () => {
    const { WARM_ROUNDS, warmSdpCodecWhenIdle } = await freshModule();
    const tasks: (() => void)[] = [];
    const done = warmSdpCodecWhenIdle((task) => tasks.push(task));
    let resolved = false;
    void done.then(() => (resolved = true));
    for (let round = 0; round < WARM_ROUNDS; round++) {
      // Nothing runs until the scheduler runs it, and each round schedules only the next one.
      expect(tasks).toHaveLength(1);
      tasks.shift()?.();
    }
    await done;
    expect(resolved).toBe(true);
    expect(tasks).toHaveLength(0);
  });

  it('runs once per realm: a second call gets the same promise and schedules nothing', async () => {
    const { warmSdpCodecWhenIdle } = await freshModule();
    const first = warmSdpCodecWhenIdle((task) => setImmediate(task));
    const schedule = vi.fn();
    expect(warmSdpCodecWhenIdle(schedule)).toBe(first);
    await first;
    expect(schedule).not.toHaveBeenCalled();
  });

  it('packs and unpacks a description and a candidate batch in every round, and both round-trip', async () => {
    const codec = await vi.importActual<typeof import('./sdp-codec.js')>('./sdp-codec.js');
    const unpackSdp = vi.fn(codec.unpackSdp);
    const unpackCandidates = vi.fn(codec.unpackCandidates);
    vi.doMock('./sdp-codec.js', () => ({ ...codec, unpackSdp, unpackCandidates }));
    const { WARM_ROUNDS, warmSdpCodecWhenIdle } = await freshModule();
    await warmSdpCodecWhenIdle((task) => setImmediate(task));
    expect(unpackSdp).toHaveBeenCalledTimes(WARM_ROUNDS);
    expect(unpackCandidates).toHaveBeenCalledTimes(WARM_ROUNDS);
    // The samples are valid for the codec: what comes back is a description and a one-candidate batch.
    expect(unpackSdp.mock.results.every((result) => String(result.value).startsWith('v=0\r\n'))).toBe(true);
    expect(unpackCandidates.mock.results.every((result) => (result.value as unknown[]).length === 1)).toBe(
      true,
    );
  });

  it('a codec that throws only ends the warm-up', async () => {
    const packSdp = vi.fn(() => {
      throw new RangeError('broken');
    });
    vi.doMock('./sdp-codec.js', async (original) => ({ ...(await original<object>()), packSdp }));
    const { warmSdpCodecWhenIdle } = await freshModule();
    const schedule = vi.fn((task: () => void) => setImmediate(task));
    await expect(warmSdpCodecWhenIdle(schedule)).resolves.toBeUndefined();
    expect(packSdp).toHaveBeenCalledTimes(1);
    expect(schedule).toHaveBeenCalledTimes(1);
  });

  it('uses requestIdleCallback where there is one, with a bounded timeout', async () => {
    const requestIdleCallback = vi.fn((task: () => void) => setImmediate(task));
    vi.stubGlobal('requestIdleCallback', requestIdleCallback);
    const { WARM_ROUNDS, warmSdpCodecWhenIdle } = await freshModule();
    await warmSdpCodecWhenIdle();
    expect(requestIdleCallback).toHaveBeenCalledTimes(WARM_ROUNDS);
    expect(requestIdleCallback).toHaveBeenCalledWith(expect.any(Function), { timeout: 2000 });
  });

  it('falls back to a timer in Node, and the warm-up completes', async () => {
    const { warmSdpCodecWhenIdle } = await freshModule();
    await expect(warmSdpCodecWhenIdle()).resolves.toBeUndefined();
  });
});
