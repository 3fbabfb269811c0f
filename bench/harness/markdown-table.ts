/** Render rows as a GitHub Markdown table, columns padded so the raw text is readable in a terminal too. */
export function markdownTable(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: readonly string[]): string =>
    `| ${widths.map((w, i) => (cells[i] ?? '').padEnd(w)).join(' | ')} |`;
  return [line(header), `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`, ...rows.map(line)].join('\n');
}

/** A number with `digits` significant decimals, or an em dash when it is not a finite number. */
export function formatNumber(value: number | undefined, digits = 1): string {
  if (value === undefined || !Number.isFinite(value)) return '—';
  return value.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
}

/** `value / anchor` as `1.23×`, or an em dash when either is missing. */
export function formatRatio(value: number | undefined, anchor: number | undefined): string {
  if (
    value === undefined ||
    anchor === undefined ||
    !Number.isFinite(value) ||
    !Number.isFinite(anchor) ||
    anchor === 0
  ) {
    return '—';
  }
  return `${(value / anchor).toFixed(2)}×`;
}
