/**
 * Turns a remote-opened transfer channel (`sbf:<id>`) into an IncomingFileTransfer once its first message,
 * the file's metadata, has arrived. A channel that starts with anything else is closed.
 */
import { FlowControlledDataChannel, type FlowControlOptions } from './flow-controlled-data-channel.js';
import { IncomingFileTransfer } from './incoming-file-transfer.js';
import { parseTransferControl, TRANSFER_LABEL_PREFIX } from './transfer-protocol.js';

/** Waits for the metadata on `raw`, then hands the offered transfer to `onOffer`. */
export function acceptTransferChannel(
  raw: RTCDataChannel,
  settings: { readonly flowControl: FlowControlOptions; readonly ackEveryBytes: number },
  onOffer: (transfer: IncomingFileTransfer) => void,
): void {
  const flow = new FlowControlledDataChannel(raw, settings.flowControl);
  const id = raw.label.slice(TRANSFER_LABEL_PREFIX.length);
  const off = flow.on('message', (data) => {
    off();
    const meta = typeof data === 'string' ? parseTransferControl(data) : undefined;
    if (meta?.t !== 'meta') {
      flow.close();
      return;
    }
    onOffer(new IncomingFileTransfer(id, flow, meta, settings.ackEveryBytes));
  });
}
