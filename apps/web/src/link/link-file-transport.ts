/**
 * Adapts an SDK `PeerLink` to the file panel: `sendFile` with a Blob source, and incoming offers accepted
 * into an in-memory Blob sink whose content the SDK has verified by SHA-256 before `accept()` resolves.
 */
import { blobFileSink, fileSourceFromBlob, type PeerLink } from '@switchboard/client';
import { SwitchboardError } from '@switchboard/protocol';
import type { FileTransport } from '../files/file-panel.js';

/** Files on `link`. */
export function fileTransportOf(link: PeerLink): FileTransport {
  return {
    send: (file) => link.sendFile(fileSourceFromBlob(file, file.name)),
    onIncoming: (listener) =>
      link.on('file', (transfer) => {
        listener(transfer, async () => {
          const sink = blobFileSink(transfer.mimeType || 'application/octet-stream');
          await transfer.accept(sink);
          const blob = sink.blob;
          if (blob === undefined)
            throw new SwitchboardError('TRANSFER_FAILED', `“${transfer.name}” arrived empty.`);
          return blob;
        });
      }),
  };
}
