/** Reading the project's Markdown documents in tests: files, sections, table rows, links and heading anchors. */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

export const ROOT = join(__dirname, '..', '..');

export const readDoc = (path: string): string => readFileSync(join(ROOT, path), 'utf8');

/** The pages under docs/ (Markdown only), as repository paths. */
export const docsPages = (): string[] =>
  readdirSync(join(ROOT, 'docs'))
    .filter((f) => f.endsWith('.md'))
    .sort()
    .map((f) => `docs/${f}`);

/** Every README.md under local/, as repository paths. */
export function localReadmes(dir = 'local'): string[] {
  return readdirSync(join(ROOT, dir), { withFileTypes: true })
    .flatMap((e) =>
      e.isDirectory() ? localReadmes(`${dir}/${e.name}`) : e.name === 'README.md' ? [`${dir}/${e.name}`] : [],
    )
    .sort();
}

/** The text with fenced code blocks removed (links and headings inside them are not links or headings). */
export const withoutCodeBlocks = (text: string): string => text.replace(/^```[\s\S]*?^```/gm, '');

/** The section under `heading` (e.g. `## Alarms`), up to the next heading of the same or a higher level. */
export function section(text: string, heading: string): string {
  const level = /^#+/.exec(heading)![0].length;
  const lines = text.split('\n');
  const start = lines.indexOf(heading);
  if (start < 0) throw new Error(`no heading "${heading}"`);
  const end = lines.findIndex((l, i) => i > start && new RegExp(`^#{1,${level}} `).test(l));
  return lines.slice(start, end < 0 ? undefined : end).join('\n');
}

/** The body rows of the Markdown tables in `text`, each as its trimmed cells (header and separator rows left out). */
export function tableRows(text: string): string[][] {
  const lines = text.split('\n');
  return lines
    .filter((l, i) => l.startsWith('| ') && !/^\|[-| ]+\|$/.test(l) && !/^\|[-| ]+\|$/.test(lines[i + 1] ?? ''))
    .map((l) =>
      l
        .split('|')
        .slice(1, -1)
        .map((c) => c.trim()),
    );
}

/** GitHub's anchor for a heading: lower case, punctuation dropped, spaces to hyphens; repeats get -1, -2, … */
export function headingAnchors(text: string): Set<string> {
  const seen = new Map<string, number>();
  const anchors = new Set<string>();
  for (const m of withoutCodeBlocks(text).matchAll(/^#{1,6} (.+)$/gm)) {
    const slug = m[1]!
      .trim()
      .toLowerCase()
      .replace(/[^\p{L}\p{N} _-]/gu, '')
      .replace(/ /g, '-');
    const n = seen.get(slug) ?? 0;
    seen.set(slug, n + 1);
    anchors.add(n === 0 ? slug : `${slug}-${n}`);
  }
  return anchors;
}

/** The relative link targets of a document (`[text](target)`, images too), outside code. */
export function relativeLinks(text: string): Array<{ path: string; anchor?: string }> {
  const prose = withoutCodeBlocks(text).replace(/`[^`\n]*`/g, '');
  return [...prose.matchAll(/\]\(([^)\s]+)\)/g)]
    .map((m) => m[1]!)
    .filter((t) => !/^[a-z][a-z0-9+.-]*:/i.test(t))
    .map((t) => {
      const [path, anchor] = t.split('#', 2) as [string, string | undefined];
      return anchor === undefined ? { path } : { path, anchor };
    });
}

export const exists = (path: string): boolean => existsSync(join(ROOT, path));
