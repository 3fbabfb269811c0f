/**
 * The invite link, shown in a read-only field with a Copy button. The field makes the link visible and
 * selectable even where the Clipboard API is unavailable (insecure origins, some embedded browsers).
 */
import { createIdFactory, h, icon } from '../shell/dom.js';
import { ICONS } from '../shell/icons.js';
import type { Announcer } from '../shell/announcer.js';

const nextId = createIdFactory('invite');

/** A copyable invite link. */
export function createInviteLink(link: string, announcer: Announcer): HTMLElement {
  const id = nextId();
  const input = h('input', { id, class: 'invite-input', readonly: true, value: link });
  input.addEventListener('focus', () => input.select());
  const copy = async (): Promise<void> => {
    input.select();
    try {
      await navigator.clipboard.writeText(link);
      announcer.announce('Invite link copied. Send it to someone to bring them here.', 'success');
    } catch {
      announcer.announce('Copy the selected link with Ctrl+C (⌘C on a Mac).');
    }
  };
  return h(
    'div',
    { class: 'invite' },
    h('label', { class: 'field-label', for: id }, 'Invite link'),
    h(
      'div',
      { class: 'input-group' },
      input,
      h(
        'button',
        { type: 'button', class: 'btn btn-secondary', onclick: () => void copy() },
        icon(ICONS.copy),
        h('span', { class: 'btn-text' }, 'Copy'),
      ),
    ),
  );
}
