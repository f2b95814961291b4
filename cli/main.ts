/**
 * The CLI as a function: arguments and I/O in, exit code out. Nothing here touches `process`, so tests run it
 * in-process; cli/run.ts wires it to the real process.
 */
import { readFile } from 'node:fs/promises';
import type { CreateSessionRequest, FinishedResult, SessionResult } from '../contract/api-types';
import type { Clock } from '../client';
import type { ReferencePhotoInput } from '../client/identity-checks';
import { isAbortError } from '../client/timing';
import { LOCAL_PORTS } from '../contract/local-mode';
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import {
  BIN,
  HELP,
  parseCommandLine,
  UsageError,
  type ConfigArgs,
  type CreateArgs,
  type IdentityArgs,
  type ParsedCommand,
} from './args';
import { ConfigError, connect, type Connection } from './connect';
import { amplifyOutputsFrom, FrontendConfigError, frontendConfigFromOutputs } from './frontend-config';
import { fileIdentityCache, identityCachePath, type IdentityCache } from './identity-cache';
import { packageVersion } from './version';
import { errorJson, formatErasure, formatError, formatIdentity, formatPending, formatVerdict, shortId } from './output';

export interface Writable {
  write(text: string): unknown;
}

export interface CliIo {
  readonly stdout: Writable;
  readonly stderr: Writable;
  readonly env: Readonly<Record<string, string | undefined>>;
  /** @default globalThis.fetch */
  readonly fetch?: typeof fetch;
  /** Aborts the command in flight (Ctrl-C). */
  readonly signal?: AbortSignal;
  /** For tests: a clock whose sleeps return at once. */
  readonly clock?: Clock;
  /** For tests: reads the --config file and config's outputs file. @default node:fs */
  readonly readFile?: (path: string) => Promise<string>;
  /** For tests: reads the --reference file. @default node:fs */
  readonly readBytes?: (path: string) => Promise<Uint8Array>;
  /** For tests: writes config's --out file (its folder created first). @default node:fs */
  readonly writeFile?: (path: string, text: string) => Promise<void>;
  /** Where guest identities are kept between runs. @default a file in the user's cache directory (see identity-cache.ts) */
  readonly identities?: IdentityCache;
  /** @default this package's version */
  readonly version?: string;
}

export const EXIT = {
  LIVE: 0,
  OK: 0,
  MATCHED: 0,
  NOT_LIVE: 1,
  NOT_MATCHED: 1,
  ERROR: 2,
  PENDING: 3,
  INTERRUPTED: 130,
} as const;

export async function main(argv: readonly string[], io: CliIo): Promise<number> {
  // Known before parsing, so even a usage error can answer in JSON.
  const json = argv.includes('--json');
  const out = (text: string): void => void io.stdout.write(`${text}\n`);
  const err = (text: string): void => void io.stderr.write(`${text}\n`);
  const printJson = (value: unknown): void => out(JSON.stringify(value));

  let parsed: ParsedCommand;
  try {
    parsed = parseCommandLine(argv);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    const see = `See '${BIN} ${error.command ? `${error.command} ` : ''}--help'.`;
    if (json) printJson({ ok: false, error: errorJson(error) });
    err(`${BIN}: ${error.message} ${see}`);
    return EXIT.ERROR;
  }
  if (parsed.command === 'help') {
    out(HELP[parsed.topic]);
    return EXIT.OK;
  }
  if (parsed.command === 'version') {
    out(io.version ?? packageVersion());
    return EXIT.OK;
  }
  if (parsed.command === 'config') {
    try {
      const written = await writeFrontendConfig(parsed, io);
      if (written) err(`Wrote ${written}`);
      return EXIT.OK;
    } catch (error) {
      if (!(error instanceof FrontendConfigError)) throw error;
      err(`${BIN} config: ${error.message}`);
      return EXIT.ERROR;
    }
  }

  let connection: Connection | undefined;
  let sessionId: string | undefined;
  /** True while a backend (identity) route is being called, for the error hints. */
  let backendCall = false;
  try {
    connection = await connect(parsed, {
      env: io.env,
      fetch: io.fetch,
      clock: io.clock,
      readFile: io.readFile,
      identities: io.identities ?? fileIdentityCache(identityCachePath(io.env)),
      warn: (message) => err(`${BIN}: ${message}`),
    });
    const { client } = connection;
    const signal = io.signal;

    switch (parsed.command) {
      case 'create': {
        const created = await client.createSession(createRequest(parsed), { signal });
        if (parsed.json) printJson({ ok: true, ...created });
        else out(`session  ${created.sessionId}\nregion   ${created.region}\nexpires  ${created.expiresAt}`);
        return EXIT.OK;
      }
      case 'result': {
        sessionId = parsed.sessionId;
        let result: SessionResult;
        if (parsed.wait) {
          err(`Waiting for the result of session ${shortId(sessionId)}…`);
          result = await client.waitForResult(sessionId, { signal, timeoutMs: parsed.timeoutMs });
        } else {
          result = await client.getResult(sessionId, { signal });
        }
        if (parsed.json) printJson({ ok: true, ...result });
        else out(result.done ? formatVerdict(result) : formatPending(result));
        return result.done ? verdictCode(result) : EXIT.PENDING;
      }
      case 'erase': {
        backendCall = true;
        const erased = await connection.identityChecks().eraseSubject(parsed.subject, { signal });
        if (parsed.json) printJson({ ok: true, ...erased });
        else out(formatErasure(erased));
        return EXIT.OK;
      }
      case 'enrol':
      case 'verify':
      case 'check': {
        if (parsed.identity !== undefined) {
          const { identity } = parsed;
          const referencePhoto = await readReference(identity, io.readBytes);
          backendCall = true;
          const opened = await connection.identityChecks().openIdentityCheck(
            {
              subject: identity.subject,
              method: identity.method,
              ...(referencePhoto && { referencePhoto }),
              ...(identity.threshold !== undefined && { threshold: identity.threshold }),
            },
            { signal },
          );
          backendCall = false;
          // As a browser would: the session carries the opaque token, never the subject, method or photo.
          const created = await client.createSession(
            { ...createRequest(parsed), identityCheck: opened.checkToken },
            { signal },
          );
          sessionId = created.sessionId;
          err(
            `Identity check (${identity.method}) opened for subject ${identity.subject}. ` +
              `Session ${created.sessionId} in ${created.region}, expires ${created.expiresAt}. Waiting for the result…`,
          );
          const result = await client.waitForResult(created.sessionId, { signal, timeoutMs: parsed.timeoutMs });
          if (parsed.json) printJson({ ok: true, region: created.region, expiresAt: created.expiresAt, ...result });
          else out(`${formatVerdict(result)}\n${formatIdentity(result.identity, identity)}`);
          return identityCode(result, identity);
        }
        const created = await client.createSession(createRequest(parsed), { signal });
        sessionId = created.sessionId;
        // On stderr, so stdout stays the verdict alone; whoever completes the check in a frontend needs this id now.
        err(`Session ${created.sessionId} in ${created.region}, expires ${created.expiresAt}. Waiting for the result…`);
        const result = await client.waitForResult(created.sessionId, { signal, timeoutMs: parsed.timeoutMs });
        if (parsed.json) printJson({ ok: true, region: created.region, expiresAt: created.expiresAt, ...result });
        else out(formatVerdict(result));
        return verdictCode(result);
      }
    }
  } catch (error) {
    if (io.signal?.aborted && isAbortError(error)) {
      if (json)
        printJson({ ok: false, sessionId, error: { kind: 'interrupted', message: 'Interrupted.', retryable: false } });
      err('Interrupted.');
      return EXIT.INTERRUPTED;
    }
    if (json) printJson({ ok: false, ...(sessionId ? { sessionId } : {}), error: errorJson(error) });
    else
      err(
        formatError(error, {
          backendRoute: backendCall ? connection?.backendCredentials : undefined,
          defaultApi: connection?.source === 'default',
          signed: connection?.signed,
          localIdentityEndpoint: connection?.localIdentityEndpoint,
          emulatorPort: io.env[LOCAL_PORTS.emulator.env] || undefined,
        }),
      );
    return EXIT.ERROR;
  }
}

/** Writes the config to --out (returning its path) or prints it. */
async function writeFrontendConfig(args: ConfigArgs, io: CliIo): Promise<string | undefined> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(await (io.readFile ?? ((path: string) => readFile(path, 'utf8')))(args.outputsFile));
  } catch (error) {
    throw new FrontendConfigError(`cannot read ${args.outputsFile} as JSON: ${(error as Error).message}`);
  }
  const config = frontendConfigFromOutputs(parsed, args.stack);
  const body = args.format === 'amplify' ? amplifyOutputsFrom(config, args.userPool) : config;
  const text = `${JSON.stringify(body, null, 2)}\n`;
  if (args.out === undefined) {
    io.stdout.write(text);
    return undefined;
  }
  const write =
    io.writeFile ??
    (async (path: string, content: string) => {
      await mkdir(dirname(path), { recursive: true });
      await writeFile(path, content);
    });
  await write(args.out, text);
  return args.out;
}

function createRequest({ challenge, auditImagesLimit, clientRequestToken }: CreateArgs): CreateSessionRequest {
  return {
    ...(challenge !== undefined && { challenge }),
    ...(auditImagesLimit !== undefined && { auditImagesLimit }),
    ...(clientRequestToken !== undefined && { clientRequestToken }),
  };
}

const verdictCode = (result: FinishedResult): number => (result.isLive ? EXIT.LIVE : EXIT.NOT_LIVE);

/**
 * 0 only for a live verdict whose identity outcome, for the check this run opened, matched; a result without that
 * outcome is the API breaking its contract (an error), never a match.
 */
function identityCode(result: FinishedResult, asked: IdentityArgs): number {
  const outcome = result.identity;
  if (outcome === undefined || outcome.subject !== asked.subject || outcome.method !== asked.method) return EXIT.ERROR;
  return result.isLive && outcome.matched ? EXIT.MATCHED : EXIT.NOT_MATCHED;
}

async function readReference(
  identity: IdentityArgs,
  read: CliIo['readBytes'],
): Promise<ReferencePhotoInput | undefined> {
  const { reference } = identity;
  if (reference === undefined) return undefined;
  if ('s3Object' in reference) return reference;
  try {
    return { bytes: await (read ?? readFile)(reference.file) };
  } catch (error) {
    throw new ConfigError(`cannot read the reference photo ${reference.file}: ${(error as Error).message}`);
  }
}
