import { describe, expect, it, vi } from 'vitest';
import { FlowControlledDataChannel } from './flow-controlled-data-channel.js';

/**
 * A stand-in RTCDataChannel whose `readyState` reads follow a script: @roamhq/wrtc updates the real one
 * from its own thread, so it can change between two reads in the same synchronous code.
 */
class ScriptedChannel extends EventTarget {
  readonly label = 'chat';
  binaryType = 'blob';
  readonly bufferedAmount = 0;
  #reads = 0;

  constructor(readonly states: readonly RTCDataChannelState[]) {
    super();
  }

  get readyState(): RTCDataChannelState {
    const state = this.states[Math.min(this.#reads, this.states.length - 1)] as RTCDataChannelState;
    this.#reads += 1;
    return state;
  }

  send(): void {}
  close(): void {}
}

const asChannel = (channel: ScriptedChannel): RTCDataChannel => channel as unknown as RTCDataChannel;

describe('FlowControlledDataChannel', () => {
  it('waits for a channel that opens while whenOpen() looks at it, instead of calling it closed', async () => {
    // Regression (manual-signaling.webrtc.test.ts, about 1 run in 30 under wrtc): whenOpen() read
    // 'connecting' for "is it open?" and 'open' for "is it still connecting?", and failed with
    // CHANNEL_CLOSED. The first read is the constructor's.
    const raw = new ScriptedChannel(['connecting', 'connecting', 'open']);
    const flow = new FlowControlledDataChannel(asChannel(raw));
    const opened = flow.whenOpen();
    raw.dispatchEvent(new Event('open'));
    await expect(opened).resolves.toBeUndefined();
  });

  it('still refuses at once when the channel is closed', async () => {
    const flow = new FlowControlledDataChannel(asChannel(new ScriptedChannel(['open', 'closed'])));
    await expect(flow.whenOpen()).rejects.toMatchObject({ code: 'CHANNEL_CLOSED' });
  });

  it('starts no close timer once the channel has closed', () => {
    // The timer used to outlive the channel: a receiver that cancelled after the sender had already closed
    // called close() on the dead channel 5 s later, in the middle of the next transfer.
    vi.useFakeTimers();
    try {
      const raw = new ScriptedChannel(['open']);
      const flow = new FlowControlledDataChannel(asChannel(raw));
      raw.dispatchEvent(new Event('close'));
      flow.closeAfterRemote();
      expect(vi.getTimerCount()).toBe(0);
    } finally {
      vi.useRealTimers();
    }
  });
});
