/**
 * File sharing: drop files or pick them, watch both sides' progress (speed, time left), cancel. Each file
 * travels on its own channel with a SHA-256 check done by the SDK; the receiver gets a Save button once the
 * hash matched, with the sender's file name. Received files are accepted into memory automatically (they
 * come from the person you are talking to), but nothing is written to disk without a click.
 */
import { SwitchboardError } from '@switchboard/protocol';
import { createIdFactory, h, icon } from '../shell/dom.js';
import { ICONS } from '../shell/icons.js';
import { formatBytes, formatTimeLeft, TransferRate } from './transfer-rate.js';

import './files.css';

const nextId = createIdFactory('files');

/** Progress as the SDK reports it. */
interface Progress {
  readonly bytes: number;
  readonly totalBytes: number;
}

/** The part of the SDK's outgoing and incoming transfers the panel uses. */
interface TransferLike {
  readonly name: string;
  readonly size: number;
  on(event: 'progress', listener: (progress: Progress) => void): () => void;
  cancel(): void;
}

/** An outgoing transfer: `result` settles when the receiver confirmed the hash. */
export interface OutgoingTransfer extends TransferLike {
  readonly result: Promise<void>;
}

/** An incoming transfer: `accept()` settles when the file is complete and verified, with its bytes. */
export interface IncomingTransfer extends TransferLike {
  readonly mimeType: string;
}

/** Where files go and come from: a call's link, or a serverless link. */
export interface FileTransport {
  /** Start sending `file`. */
  send(file: File): OutgoingTransfer;
  /** Subscribe to offered files; `receive` returns the verified Blob. */
  onIncoming(listener: (transfer: IncomingTransfer, receive: () => Promise<Blob>) => void): () => void;
}

/** The file sharing panel. */
export class FilePanel {
  readonly element: HTMLElement;
  readonly #transport: FileTransport;
  readonly #list: HTMLUListElement;
  readonly #unsubscribe: () => void;
  readonly #onIncoming: (() => void) | undefined;

  constructor(transport: FileTransport, peerName: string, onIncoming?: () => void) {
    this.#transport = transport;
    this.#onIncoming = onIncoming;
    const inputId = nextId();
    const input = h('input', { id: inputId, type: 'file', multiple: true, class: 'visually-hidden' });
    input.addEventListener('change', () => {
      this.#sendAll(input.files);
      input.value = '';
    });
    const dropZone = h(
      'label',
      { class: 'drop-zone', for: inputId },
      icon(ICONS.upload),
      h('span', { class: 'drop-title' }, 'Drop files here or choose files'),
      h('span', { class: 'muted' }, `They go straight to ${peerName}, checked by SHA-256.`),
    );
    dropZone.addEventListener('dragover', (event) => {
      event.preventDefault();
      dropZone.classList.add('is-dragging');
    });
    dropZone.addEventListener('dragleave', () => dropZone.classList.remove('is-dragging'));
    dropZone.addEventListener('drop', (event) => {
      event.preventDefault();
      dropZone.classList.remove('is-dragging');
      this.#sendAll(event.dataTransfer?.files ?? null);
    });
    this.#list = h('ul', { class: 'transfer-list', 'aria-label': 'File transfers' });
    this.element = h('section', { class: 'files', 'aria-label': 'Files' }, input, dropZone, this.#list);
    this.#unsubscribe = transport.onIncoming((transfer, receive) => this.#receive(transfer, receive));
  }

  /** Stop listening for files. */
  dispose(): void {
    this.#unsubscribe();
  }

  #sendAll(files: FileList | null): void {
    for (const file of files ?? []) {
      const transfer = this.#transport.send(file);
      const row = new TransferRow(transfer, 'send');
      this.#list.prepend(row.element);
      transfer.result.then(
        () => row.finish('Sent and verified'),
        (error: unknown) => row.fail(error),
      );
    }
  }

  #receive(transfer: IncomingTransfer, receive: () => Promise<Blob>): void {
    const row = new TransferRow(transfer, 'receive');
    this.#list.prepend(row.element);
    this.#onIncoming?.();
    receive().then(
      (blob) => row.finishDownload(blob, transfer.name),
      (error: unknown) => row.fail(error),
    );
  }
}

/** One file's row: name, size, progress bar, speed and time left, and Cancel / Save. */
class TransferRow {
  readonly element: HTMLLIElement;
  readonly #progress: HTMLProgressElement;
  readonly #status: HTMLElement;
  readonly #actions: HTMLElement;
  readonly #rate = new TransferRate();
  readonly #unsubscribe: () => void;

  constructor(transfer: TransferLike, direction: 'send' | 'receive') {
    const progressId = nextId();
    this.#progress = h('progress', {
      id: progressId,
      max: transfer.size || 1,
      value: 0,
      class: 'transfer-progress',
    });
    this.#status = h(
      'span',
      { class: 'transfer-status muted', 'aria-live': 'off' },
      direction === 'send' ? 'Waiting…' : 'Receiving…',
    );
    this.#actions = h(
      'span',
      { class: 'transfer-actions' },
      h(
        'button',
        {
          type: 'button',
          class: 'btn btn-ghost btn-small',
          'aria-label': `Cancel ${transfer.name}`,
          onclick: () => transfer.cancel(),
        },
        'Cancel',
      ),
    );
    this.element = h(
      'li',
      { class: `transfer is-${direction}`, 'data-file-name': transfer.name, 'data-state': 'active' },
      h(
        'div',
        { class: 'transfer-head' },
        h(
          'span',
          { class: 'transfer-direction', 'aria-hidden': 'true' },
          icon(direction === 'send' ? ICONS.upload : ICONS.download),
        ),
        h(
          'label',
          { class: 'transfer-name', for: progressId },
          h('span', { class: 'visually-hidden' }, direction === 'send' ? 'Sending ' : 'Receiving '),
          transfer.name,
        ),
        h('span', { class: 'transfer-size muted' }, formatBytes(transfer.size)),
      ),
      this.#progress,
      h('div', { class: 'transfer-foot' }, this.#status, this.#actions),
    );
    this.#rate.record(Date.now(), 0);
    this.#unsubscribe = transfer.on('progress', (progress) => this.#onProgress(progress));
  }

  #onProgress(progress: Progress): void {
    this.#progress.max = progress.totalBytes || 1;
    this.#progress.value = progress.bytes;
    this.element.dataset['percent'] = String(percent(progress));
    this.#rate.record(Date.now(), progress.bytes);
    const speed = this.#rate.bytesPerSecond;
    this.#status.textContent = [
      `${percent(progress)}%`,
      speed > 0 ? `${formatBytes(speed)}/s` : '',
      formatTimeLeft(this.#rate.secondsLeft(progress.totalBytes)),
    ]
      .filter((part) => part !== '')
      .join(' · ');
  }

  finish(text: string): void {
    this.#complete('done', text);
    this.#actions.replaceChildren();
  }

  finishDownload(blob: Blob, name: string): void {
    this.#complete('done', 'Received and verified');
    const url = URL.createObjectURL(blob);
    this.#actions.replaceChildren(
      h(
        'a',
        { class: 'btn btn-secondary btn-small', href: url, download: name, 'aria-label': `Save ${name}` },
        icon(ICONS.download),
        'Save',
      ),
    );
  }

  fail(error: unknown): void {
    const code = error instanceof SwitchboardError ? error.code : undefined;
    const text =
      code === 'TRANSFER_CANCELLED'
        ? 'Cancelled'
        : code === 'HASH_MISMATCH'
          ? 'Failed: the file arrived damaged (hash mismatch)'
          : `Failed${error instanceof Error ? `: ${error.message}` : ''}`;
    this.#complete(code === 'TRANSFER_CANCELLED' ? 'cancelled' : 'failed', text);
    this.#actions.replaceChildren();
  }

  #complete(state: 'done' | 'cancelled' | 'failed', text: string): void {
    this.#unsubscribe();
    this.element.dataset['state'] = state;
    if (state === 'done') {
      this.#progress.value = this.#progress.max;
      this.element.dataset['percent'] = '100';
    }
    // Progress ticks stay silent; the outcome is read out once.
    this.#status.setAttribute('aria-live', 'polite');
    this.#status.textContent = text;
  }
}

function percent(progress: Progress): number {
  return progress.totalBytes === 0 ? 100 : Math.floor((progress.bytes / progress.totalBytes) * 100);
}
