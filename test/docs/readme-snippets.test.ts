/**
 * The README's "Use it in your app" TypeScript snippets type-check against the library (the package name resolved to
 * lib/index.ts), so a renamed or retyped prop breaks this test rather than a reader's app. The Amplify Gen 2 snippet
 * needs Amplify's packages and is checked in test/examples/amplify-gen2.test.ts.
 */
import { join } from 'node:path';
import * as ts from 'typescript';
import { isAmplifySnippet, snippetsOfUseItInYourApp } from '../support/readme-snippets';

const ROOT = join(__dirname, '..', '..');

function typeErrors(snippets: string[]): string[] {
  const config = ts.readConfigFile(join(ROOT, 'tsconfig.json'), ts.sys.readFile);
  // Our strict options, except the unused-variable checks: a snippet shows a value for the reader to use later.
  const parsed = ts.parseJsonConfigFileContent(config.config, ts.sys, ROOT).options;
  const options: ts.CompilerOptions = {
    ...parsed,
    noUnusedLocals: false,
    noUnusedParameters: false,
    baseUrl: ROOT,
    paths: { 'face-liveness-backend': ['lib/index.ts'] },
  };
  const files = new Map(snippets.map((code, i) => [join(ROOT, 'test', 'docs', `readme-snippet-${i}.ts`), code]));
  const host = ts.createCompilerHost(options);
  const { getSourceFile, fileExists, readFile } = host;
  host.fileExists = (f) => files.has(f) || fileExists(f);
  host.readFile = (f) => files.get(f) ?? readFile(f);
  host.getSourceFile = (f, lang, ...rest) => {
    const code = files.get(f);
    return code === undefined ? getSourceFile(f, lang, ...rest) : ts.createSourceFile(f, code, lang, true);
  };
  const program = ts.createProgram([...files.keys()], options, host);
  return ts
    .getPreEmitDiagnostics(program)
    .filter((d) => d.file === undefined || files.has(d.file.fileName))
    .map(
      (d) =>
        `${d.file ? d.file.fileName.replace(ROOT, '') : ''}: ${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`,
    );
}

const snippets = snippetsOfUseItInYourApp();
const plain = snippets.filter((s) => !isAmplifySnippet(s));

test('the section has the plain-stack, bring-your-own and Amplify snippets, each a whole file with its imports', () => {
  expect(plain.length).toBeGreaterThanOrEqual(2);
  expect(snippets.filter(isAmplifySnippet)).toHaveLength(1);
  for (const s of snippets) expect(s).toMatch(/^import .* from 'face-liveness-backend';$/m);
});

test('the plain CDK snippets type-check against the library', () => {
  expect(typeErrors(plain)).toEqual([]);
}, 120_000);

test('a snippet using a prop the library does not have fails the check (the check can fail)', () => {
  const broken = plain[0]!.replace('allowedOrigins:', 'allowedOrigin:');
  expect(broken).not.toBe(plain[0]);
  expect(typeErrors([broken]).join('\n')).toMatch(/allowedOrigin/);
}, 120_000);
