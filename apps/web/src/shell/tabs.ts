/**
 * Accessible tabs (WAI-ARIA tabs pattern): a tablist of buttons, arrow keys move between them, only the
 * selected tab is in the tab order, and each tab flags unseen activity with a dot until it is opened.
 */
import { createIdFactory, h } from './dom.js';

const nextId = createIdFactory('tab');

/** One tab and its panel content. */
export interface TabSpec {
  readonly id: string;
  readonly label: string;
  readonly content: HTMLElement;
}

/** A tab set. */
export class Tabs {
  readonly element: HTMLElement;
  readonly #tabs = new Map<string, { tab: HTMLButtonElement; panel: HTMLElement; dot: HTMLElement }>();
  #selected = '';

  constructor(specs: readonly TabSpec[], label: string) {
    const list = h('div', { class: 'tabs', role: 'tablist', 'aria-label': label });
    const panels: HTMLElement[] = [];
    for (const spec of specs) {
      const tabId = nextId();
      const panelId = nextId();
      const dot = h(
        'span',
        { class: 'tab-dot', hidden: true },
        h('span', { class: 'visually-hidden' }, ' (new)'),
      );
      const tab = h(
        'button',
        {
          type: 'button',
          id: tabId,
          class: 'tab',
          role: 'tab',
          'aria-controls': panelId,
          'data-tab': spec.id,
          onclick: () => this.select(spec.id),
          onkeydown: (event: Event) => this.#onKey(event as KeyboardEvent, spec.id),
        },
        spec.label,
        dot,
      );
      const panel = h(
        'div',
        { id: panelId, class: 'tab-panel', role: 'tabpanel', 'aria-labelledby': tabId },
        spec.content,
      );
      this.#tabs.set(spec.id, { tab, panel, dot });
      list.appendChild(tab);
      panels.push(panel);
    }
    this.element = h('div', { class: 'tab-set' }, list, ...panels);
    const first = specs[0];
    if (first !== undefined) this.select(first.id);
  }

  /** The selected tab id. */
  get selected(): string {
    return this.#selected;
  }

  /** Show tab `id`. */
  select(id: string, focus = false): void {
    this.#selected = id;
    for (const [key, { tab, panel, dot }] of this.#tabs) {
      const isSelected = key === id;
      tab.setAttribute('aria-selected', String(isSelected));
      tab.tabIndex = isSelected ? 0 : -1;
      panel.hidden = !isSelected;
      if (isSelected) {
        dot.hidden = true;
        if (focus) tab.focus();
      }
    }
  }

  /** Flag activity on a tab that is not showing. */
  flag(id: string): void {
    const entry = this.#tabs.get(id);
    if (entry === undefined || id === this.#selected) return;
    entry.dot.hidden = false;
  }

  #onKey(event: KeyboardEvent, id: string): void {
    const ids = [...this.#tabs.keys()];
    const index = ids.indexOf(id);
    const target =
      event.key === 'ArrowRight'
        ? ids[(index + 1) % ids.length]
        : event.key === 'ArrowLeft'
          ? ids[(index - 1 + ids.length) % ids.length]
          : event.key === 'Home'
            ? ids[0]
            : event.key === 'End'
              ? ids[ids.length - 1]
              : undefined;
    if (target === undefined) return;
    event.preventDefault();
    this.select(target, true);
  }
}
