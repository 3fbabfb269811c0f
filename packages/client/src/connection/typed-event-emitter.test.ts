import { afterEach, describe, expect, it, vi } from 'vitest';
import { TypedEventEmitter } from './typed-event-emitter.js';

interface Events {
  tick: (n: number) => void;
  named: (name: string, value: boolean) => void;
}

describe('TypedEventEmitter', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('calls listeners in order with the arguments', () => {
    const emitter = new TypedEventEmitter<Events>();
    const calls: string[] = [];
    emitter.on('named', (name, value) => calls.push(`a:${name}:${value}`));
    emitter.on('named', (name) => calls.push(`b:${name}`));
    emitter.emit('named', 'x', true);
    expect(calls).toEqual(['a:x:true', 'b:x']);
  });

  it('returns an unsubscribe function from on()', () => {
    const emitter = new TypedEventEmitter<Events>();
    const seen: number[] = [];
    const off = emitter.on('tick', (n) => seen.push(n));
    emitter.emit('tick', 1);
    off();
    off();
    emitter.emit('tick', 2);
    expect(seen).toEqual([1]);
    expect(emitter.listenerCount('tick')).toBe(0);
  });

  it('runs a once() listener a single time', () => {
    const emitter = new TypedEventEmitter<Events>();
    const seen: number[] = [];
    emitter.once('tick', (n) => seen.push(n));
    emitter.emit('tick', 1);
    emitter.emit('tick', 2);
    expect(seen).toEqual([1]);
  });

  it('keeps calling other listeners when one throws, and reports the error asynchronously', async () => {
    const emitter = new TypedEventEmitter<Events>();
    const seen: number[] = [];
    const reported = new Promise<unknown>((resolve) => {
      const original = globalThis.queueMicrotask;
      vi.spyOn(globalThis, 'queueMicrotask').mockImplementationOnce((callback) => {
        try {
          callback();
        } catch (error) {
          resolve(error);
        }
        globalThis.queueMicrotask = original;
      });
    });
    emitter.on('tick', () => {
      throw new Error('listener bug');
    });
    emitter.on('tick', (n) => seen.push(n));
    emitter.emit('tick', 7);
    expect(seen).toEqual([7]);
    await expect(reported).resolves.toMatchObject({ message: 'listener bug' });
    vi.restoreAllMocks();
  });
});
