/** The TypeScript snippets of the README's "Use it in your app" section, which tests type-check against the library. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const README = join(__dirname, '..', '..', 'README.md');

export function snippetsOfUseItInYourApp(): string[] {
  const readme = readFileSync(README, 'utf8');
  const start = readme.indexOf('\n## Use it in your app\n');
  if (start < 0) throw new Error('README has no "Use it in your app" section');
  const end = readme.indexOf('\n## ', start + 1);
  const section = readme.slice(start, end < 0 ? undefined : end);
  return [...section.matchAll(/```ts\n([\s\S]*?)```/g)].map((m) => m[1]!);
}

/** Snippets of an Amplify Gen 2 backend: they need @aws-amplify/backend, which only the example project installs. */
export const isAmplifySnippet = (snippet: string): boolean => snippet.includes("from '@aws-amplify/backend'");
