/**
 * The CLI's guest identities, kept between runs: a session belongs to the identity that created it, so `create` then
 * `result <id>` must sign both with the same identity, as one browser tab does. One file in the user's cache directory
 * (`$XDG_CACHE_HOME` or `~/.cache`, then `face-liveness/identities.json`), readable by its owner only; one identity per
 * API and identity pool. It holds identity ids, never credentials.
 */
import { chmodSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';

export interface IdentityCache {
  get(key: string): string | undefined;
  set(key: string, identityId: string): void;
  delete(key: string): void;
}

/** Which identity: one per API URL and identity pool. */
export const identityKey = (apiUrl: string, identityPoolId: string): string => `${identityPoolId} ${apiUrl}`;

/** `$XDG_CACHE_HOME/face-liveness/identities.json`, or `~/.cache/…` when XDG_CACHE_HOME is not set (or not absolute). */
export function identityCachePath(env: Readonly<Record<string, string | undefined>>): string {
  const xdg = env['XDG_CACHE_HOME'];
  const base = xdg?.startsWith('/') ? xdg : join(env['HOME'] || homedir(), '.cache');
  return join(base, 'face-liveness', 'identities.json');
}

type Entries = Record<string, { readonly identityId: string; readonly savedAt: string }>;

/** The cache file; a missing or unreadable file is an empty cache (the next identity is simply a new one). */
export function fileIdentityCache(path: string): IdentityCache {
  const read = (): Entries => {
    try {
      const body: unknown = JSON.parse(readFileSync(path, 'utf8'));
      const identities = (body as { identities?: unknown } | null)?.identities;
      return typeof identities === 'object' && identities !== null ? (identities as Entries) : {};
    } catch {
      return {};
    }
  };
  const write = (entries: Entries): void => {
    const dir = dirname(path);
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    // The directory is ours: keep it private even if it was made before with a looser umask.
    chmodSync(dir, 0o700);
    // Written whole and renamed into place, so a concurrent run reads the old file or the new one, never half of one.
    const temp = `${path}.${process.pid}.tmp`;
    writeFileSync(temp, `${JSON.stringify({ identities: entries }, null, 2)}\n`, { mode: 0o600 });
    chmodSync(temp, 0o600);
    renameSync(temp, path);
  };
  return {
    get(key) {
      const entry = read()[key];
      return typeof entry?.identityId === 'string' ? entry.identityId : undefined;
    },
    set(key, identityId) {
      write({ ...read(), [key]: { identityId, savedAt: new Date().toISOString() } });
    },
    delete(key) {
      const entries = read();
      if (!(key in entries)) return;
      delete entries[key];
      write(entries);
    },
  };
}
