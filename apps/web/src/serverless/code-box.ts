/**
 * A code to hand to the other person: a read-only text box with Copy, and the same content as a QR code.
 * The QR library is loaded with this module, which only the serverless screen imports, so the main bundle
 * does not carry it.
 */
import QRCode from 'qrcode';
import type { Announcer } from '../shell/announcer.js';
import { createIdFactory, h, icon } from '../shell/dom.js';
import { ICONS } from '../shell/icons.js';

const nextId = createIdFactory('code');

/** Options of a code box. */
export interface CodeBoxOptions {
  readonly label: string;
  readonly code: string;
  readonly qrText: string;
  readonly qrCaption: string;
  readonly announcer: Announcer;
  readonly testId: string;
}

/** A copyable code with its QR code. */
export class CodeBox {
  readonly element: HTMLElement;

  constructor(options: CodeBoxOptions) {
    const id = nextId();
    const text = h('textarea', {
      id,
      class: 'code-input',
      readonly: true,
      rows: 4,
      spellcheck: 'false',
      'data-testid': options.testId,
    });
    text.value = options.code;
    text.addEventListener('focus', () => text.select());
    const copy = async (): Promise<void> => {
      text.select();
      try {
        await navigator.clipboard.writeText(options.code);
        options.announcer.announce('Code copied.', 'success');
      } catch {
        options.announcer.announce('Copy the selected code with Ctrl+C (⌘C on a Mac).');
      }
    };
    const canvas = h('canvas', { class: 'qr', role: 'img', 'aria-label': 'QR code of the code above' });
    const qrError = h(
      'p',
      { class: 'muted', hidden: true },
      'This code is too long for a QR code; copy it instead.',
    );
    QRCode.toCanvas(canvas, options.qrText, { errorCorrectionLevel: 'L', margin: 2, width: 240 }).catch(
      () => {
        canvas.hidden = true;
        qrError.hidden = false;
      },
    );
    this.element = h(
      'div',
      { class: 'code-box field' },
      h('label', { class: 'field-label', for: id }, options.label),
      text,
      h(
        'div',
        { class: 'code-actions' },
        h(
          'button',
          { type: 'button', class: 'btn btn-secondary', onclick: () => void copy() },
          icon(ICONS.copy),
          'Copy code',
        ),
        h('span', { class: 'muted code-length' }, `${options.code.length} characters`),
      ),
      h(
        'figure',
        { class: 'qr-figure' },
        canvas,
        qrError,
        h('figcaption', { class: 'muted' }, options.qrCaption),
      ),
    );
  }
}
