/** Plain-text tables for the console and the README. Pure. */

export function formatTable(headers: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  // First column left-aligned (names), the others right-aligned (numbers).
  const line = (cells: readonly string[]) =>
    `| ${cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join(' | ')} |`;
  const rule = `|${widths.map((w, i) => (i === 0 ? `${'-'.repeat(w + 1)}-` : `${'-'.repeat(w + 1)}:`)).join('|')}|`;
  return [line(headers), rule, ...rows.map(line)].join('\n');
}

export const fmt = {
  bytes: (n: number) => n.toLocaleString('en-US'),
  kb: (n: number) => `${(n / 1024).toFixed(1)} KB`,
  ms: (n: number) => n.toFixed(1),
  us: (n: number) => n.toFixed(1),
  ratio: (r: number | undefined) => (r === undefined ? 'n/a' : `${r.toFixed(2)}×`),
  signed: (n: number, digits = 1) => `${n >= 0 ? '+' : '−'}${Math.abs(n).toFixed(digits)}`,
};
