/**
 * Every relative link of the documents resolves: to a file or folder that exists and, where it names an anchor, to a
 * heading of that page. The local READMEs also name only files and folders that exist.
 */
import { dirname, join, normalize } from 'node:path';
import {
  docsPages,
  exists,
  headingAnchors,
  localReadmes,
  readDoc,
  relativeLinks,
  withoutCodeBlocks,
} from '../support/markdown';

const documents = [
  'README.md',
  'CONTRIBUTING.md',
  'CHANGELOG.md',
  'SECURITY.md',
  'examples/amplify-gen2/README.md',
  ...docsPages(),
  ...localReadmes(),
];

/** Each unresolved link of `doc`, as `target` or `target#anchor`. */
function brokenLinks(doc: string, text: string): string[] {
  return relativeLinks(text).flatMap(({ path, anchor }) => {
    const target = path === '' ? doc : normalize(join(dirname(doc), path));
    if (!exists(target)) return [`${path}${anchor === undefined ? '' : `#${anchor}`}`];
    if (anchor === undefined || !target.endsWith('.md')) return [];
    return headingAnchors(readDoc(target)).has(anchor) ? [] : [`${path}#${anchor}`];
  });
}

describe('documentation links', () => {
  it.each(documents.map((d) => [d]))('%s: every relative link resolves, anchors included', (doc) => {
    expect(brokenLinks(doc, readDoc(doc))).toEqual([]);
  });

  it('a link to a missing file or a missing anchor is reported (the check can fail)', () => {
    const text =
      '[a](docs/nope.md) [b](docs/configuration.md#no-such-heading) [c](docs/configuration.md#environment-variables)';
    expect(brokenLinks('README.md', text)).toEqual(['docs/nope.md', 'docs/configuration.md#no-such-heading']);
  });
});

/**
 * Inline code naming a path (it has a slash, or a file extension) in a local README: relative to the README's folder
 * or to the repository root. URL paths (`/_emulator/…`), templates (`<prefix>…`) and media types are not files.
 */
function namedPaths(text: string): string[] {
  return [...withoutCodeBlocks(text).matchAll(/`([^`\n]+)`/g)]
    .map((m) => m[1]!)
    .filter((t) => /^[\w.-]+(\/[\w.-]*)*$/.test(t) && !t.startsWith('.'))
    .filter((t) => t.includes('/') || /\.(ts|js|cjs|md|json|yaml|sh)$/.test(t))
    .filter((t) => !/^(application|text|image)\//.test(t));
}

describe('the local READMEs name real files', () => {
  it.each(localReadmes().map((d) => [d]))('%s', (doc) => {
    const paths = namedPaths(readDoc(doc));
    const missing = paths.filter((p) => !exists(join(dirname(doc), p)) && !exists(p));
    expect(missing).toEqual([]);
  });

  it('finds the paths they name', () => {
    expect(localReadmes().flatMap((doc) => namedPaths(readDoc(doc))).length).toBeGreaterThan(10);
  });

  it('a named file that does not exist is reported (the check can fail)', () => {
    expect(namedPaths('`emulator/` and `client/sigv4.ts`, not `/_emulator/health` or `application/json`')).toEqual([
      'emulator/',
      'client/sigv4.ts',
    ]);
  });
});
