/**
 * A tiny typed element builder. The app is plain TypeScript, so this is the whole "framework": build an
 * element with attributes, listeners and children in one expression, and replace a container's children.
 */

type Child = Node | string | number | false | null | undefined;

/** Attributes: strings/numbers/booleans become attributes, `on*` functions become listeners. */
export type Props = Record<string, string | number | boolean | null | undefined | EventListener>;

/**
 * Create an element.
 * @example h('button', { type: 'button', class: 'btn', onclick: () => call() }, 'Call')
 */
export function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  props: Props = {},
  ...children: Child[]
): HTMLElementTagNameMap[K] {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(props)) {
    if (value === null || value === undefined || value === false) continue;
    if (typeof value === 'function') {
      element.addEventListener(name.slice(2), value);
    } else if (value === true) {
      element.setAttribute(name, '');
    } else {
      element.setAttribute(name, String(value));
    }
  }
  append(element, children);
  return element;
}

/** Append children, skipping empty ones. */
export function append(parent: Node, children: readonly Child[]): void {
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    parent.appendChild(child instanceof Node ? child : document.createTextNode(String(child)));
  }
}

/** Replace all children of `parent`. */
export function replaceChildren(parent: Element, ...children: Child[]): void {
  parent.replaceChildren();
  append(parent, children);
}

/** Ids for label/aria wiring that are unique within the page. */
export function createIdFactory(prefix: string): () => string {
  let next = 0;
  return () => `${prefix}-${++next}`;
}

/** An inline SVG icon from a path list (24x24 viewBox, stroke style), hidden from assistive tech. */
export function icon(paths: readonly string[]): SVGSVGElement {
  const ns = 'http://www.w3.org/2000/svg';
  const svg = document.createElementNS(ns, 'svg');
  svg.setAttribute('viewBox', '0 0 24 24');
  svg.setAttribute('aria-hidden', 'true');
  svg.setAttribute('class', 'icon');
  for (const d of paths) {
    const path = document.createElementNS(ns, 'path');
    path.setAttribute('d', d);
    svg.appendChild(path);
  }
  return svg;
}
