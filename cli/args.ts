/** Command-line grammar: one parseArgs table per command, and the help texts that describe them. */
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { AUDIT_IMAGES_LIMIT, CHALLENGE_TYPES, type ChallengeType } from '../contract/liveness-model';

export const BIN = 'face-liveness';

export type CommandName = 'create' | 'result' | 'check' | 'config';

export class UsageError extends Error {
  constructor(
    message: string,
    readonly command?: CommandName,
  ) {
    super(message);
    this.name = 'UsageError';
  }
}

const COMMON_OPTIONS = {
  api: { type: 'string' },
  config: { type: 'string' },
  json: { type: 'boolean' },
  'new-identity': { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const satisfies ParseArgsConfig['options'];

const CREATE_OPTIONS = {
  challenge: { type: 'string' },
  'audit-images': { type: 'string' },
  token: { type: 'string' },
} as const satisfies ParseArgsConfig['options'];

const OPTIONS = {
  create: { ...COMMON_OPTIONS, ...CREATE_OPTIONS },
  result: { ...COMMON_OPTIONS, wait: { type: 'boolean' }, timeout: { type: 'string' } },
  check: { ...COMMON_OPTIONS, ...CREATE_OPTIONS, timeout: { type: 'string' } },
  config: {
    format: { type: 'string' },
    out: { type: 'string' },
    stack: { type: 'string' },
    'user-pool-id': { type: 'string' },
    'user-pool-client-id': { type: 'string' },
    help: { type: 'boolean', short: 'h' },
  },
} as const;

/** What `config` writes: the web app's liveness-config.json, or an amplify_outputs.json. */
export const CONFIG_FORMATS = ['web', 'amplify'] as const;
export type ConfigFormat = (typeof CONFIG_FORMATS)[number];

const CONNECTION_HELP = `Connection:
  --api URL        The API's base URL, stage included (e.g. https://abc.execute-api.us-east-1.amazonaws.com/v1/).
                   Default: --config's apiUrl, then $LIVENESS_API_URL, then http://127.0.0.1:$PORT (PORT default 3000).
  --config FILE    A frontend config ({ region, apiUrl, identityPoolId, authMode }, from '${BIN} config').
                   authMode "iam": requests are signed with guest credentials from the identity pool, as a browser
                   gets them; "cognito": $LIVENESS_AUTH_TOKEN (a user-pool token) is sent as Authorization.
  --new-identity   Start with a new guest identity. Without it, an identity pool's guest identity is kept per API
                   between runs (in $XDG_CACHE_HOME or ~/.cache, face-liveness/identities.json), so a session created
                   by one run can be read by the next: a session belongs to the identity that created it.
  --json           Print one JSON object on stdout (also for errors).
  -h, --help       Show this help.`;

const CREATE_HELP_OPTIONS = `  --challenge T      ${CHALLENGE_TYPES.join(' | ')} (or: light | movement).
  --audit-images N   Audit images to keep, ${AUDIT_IMAGES_LIMIT.min}–${AUDIT_IMAGES_LIMIT.max}.
  --token T          Idempotency token: the same token returns the same session.`;

export const HELP: Record<CommandName | 'main', string> = {
  main: `Usage: ${BIN} <command> [options]

Runs the Face Liveness workflow (create a session, poll until it is finished) against any deployment of this API.

Commands:
  create            Create a session; prints its id, region and expiry for a frontend.
  result <id>       Show a session's result now (--wait to poll until it is finished).
  check             Create a session, wait for its result, print the verdict.
  config <outputs>  Turn 'cdk deploy --outputs-file' JSON into the frontend's config file.

Exit codes: 0 live (or success), 1 not live, 2 error or bad usage, 3 still pending (result), 130 interrupted.
Run '${BIN} <command> --help' for a command's options, '${BIN} --version' for the version.`,
  create: `Usage: ${BIN} create [options]

Creates a liveness session and prints the session id, the region the browser must stream to, and when it expires.

${CREATE_HELP_OPTIONS}

${CONNECTION_HELP}

Exit codes: 0 created, 2 error.`,
  result: `Usage: ${BIN} result <sessionId> [options]

Shows a session's result. The verdict is the server's; the confidence is shown only if the server exposes details.

  --wait           Poll until the session is finished (honours Retry-After, stops at the end of the session's life).
  --timeout S      With --wait: give up after S seconds.

${CONNECTION_HELP}

Exit codes: 0 live, 1 not live, 2 error, 3 still pending (without --wait).`,
  check: `Usage: ${BIN} check [options]

Creates a session, waits for its result (complete the check in the frontend with the printed session id, or let a
local emulator do it), and prints the verdict.

${CREATE_HELP_OPTIONS}
  --timeout S        Give up after S seconds (never later than the session's 3-minute life).

${CONNECTION_HELP}

Exit codes: 0 live, 1 not live, 2 error (network, HTTP error, timeout).`,
  config: `Usage: ${BIN} config <outputs.json> [options]

Reads the JSON that 'cdk deploy --outputs-file outputs.json' writes (a stack with the construct's frontendOutputs, or
this project's stack) and writes what a frontend needs: the API URL, its region, the identity pool and the
authorization.

  --format F               web (default): the web app's liveness-config.json ({ region, apiUrl, identityPoolId,
                           authMode }). amplify: an amplify_outputs.json (schema 1.4) for Amplify's Swift, Android
                           and JavaScript libraries, the backend under custom.faceLiveness.
  --out FILE               Write to FILE (folders are created). Default: print it.
  --stack NAME             The stack to read, when the file has several.
  --user-pool-id ID        With --format amplify: your app's user pool and its app client, for an auth section on
  --user-pool-client-id ID the backend's identity pool (Amplify's auth section requires a user pool).
  -h, --help               Show this help.

Exit codes: 0 written, 2 error (unreadable file, missing or malformed outputs).`,
};

export interface ConnectionArgs {
  readonly api?: string;
  readonly config?: string;
  readonly json: boolean;
  /** Forget the guest identity kept for this API and start with a new one. */
  readonly newIdentity?: boolean;
}

export interface CreateArgs {
  readonly challenge?: ChallengeType;
  readonly auditImagesLimit?: number;
  readonly clientRequestToken?: string;
}

export type ParsedCommand =
  | { readonly command: 'help'; readonly topic: CommandName | 'main' }
  | { readonly command: 'version' }
  | ({ readonly command: 'create' } & ConnectionArgs & CreateArgs)
  | ({
      readonly command: 'result';
      readonly sessionId: string;
      readonly wait: boolean;
      readonly timeoutMs?: number;
    } & ConnectionArgs)
  | ({ readonly command: 'check'; readonly timeoutMs?: number } & ConnectionArgs & CreateArgs)
  | ({ readonly command: 'config' } & ConfigArgs);

export interface ConfigArgs {
  readonly outputsFile: string;
  readonly format: ConfigFormat;
  readonly out?: string;
  readonly stack?: string;
  readonly userPool?: { readonly userPoolId: string; readonly userPoolClientId: string };
}

const isCommand = (value: string | undefined): value is CommandName =>
  value === 'create' || value === 'result' || value === 'check' || value === 'config';

export function parseCommandLine(argv: readonly string[]): ParsedCommand {
  const [first, ...rest] = argv;
  if (first === undefined || first === '--help' || first === '-h' || first === 'help') {
    const topic = first === 'help' && isCommand(rest[0]) ? rest[0] : 'main';
    return { command: 'help', topic };
  }
  if (first === '--version' || first === '-V' || first === 'version') return { command: 'version' };
  if (!isCommand(first)) {
    throw new UsageError(
      first.startsWith('-') ? `a command must come first, not '${first}'.` : `unknown command '${first}'.`,
    );
  }
  const command = first;
  let parsed: { readonly values: unknown; readonly positionals: string[] };
  try {
    parsed = parseArgs({
      args: attachNegativeValues(rest, OPTIONS[command]),
      options: OPTIONS[command],
      strict: true,
      allowPositionals: true,
    });
  } catch (error) {
    throw new UsageError(describeParseError(error), command);
  }
  const values = parsed.values as Record<string, string | boolean | undefined>;
  if (values['help']) return { command: 'help', topic: command };

  const str = (name: string): string | undefined => values[name] as string | undefined;
  if (command === 'config') return { command, ...configArgs(parsed.positionals, str) };
  const connection: ConnectionArgs = {
    api: str('api'),
    config: str('config'),
    json: values['json'] === true,
    newIdentity: values['new-identity'] === true,
  };

  if (command === 'result') {
    if (parsed.positionals.length !== 1) {
      throw new UsageError(
        parsed.positionals.length === 0
          ? 'the session id is missing.'
          : `one session id only, got ${parsed.positionals.length}.`,
        command,
      );
    }
    const wait = values['wait'] === true;
    if (!wait && str('timeout') !== undefined) throw new UsageError('--timeout only makes sense with --wait.', command);
    return {
      command,
      sessionId: parsed.positionals[0]!,
      wait,
      timeoutMs: seconds(str('timeout'), command),
      ...connection,
    };
  }
  if (parsed.positionals.length > 0) {
    throw new UsageError(`unexpected argument '${parsed.positionals[0]}'.`, command);
  }
  const create: CreateArgs = {
    challenge: challenge(str('challenge'), command),
    auditImagesLimit: auditImages(str('audit-images'), command),
    clientRequestToken: str('token'),
  };
  if (command === 'create') return { command, ...connection, ...create };
  return { command, timeoutMs: seconds(str('timeout'), command), ...connection, ...create };
}

function configArgs(positionals: readonly string[], str: (name: string) => string | undefined): ConfigArgs {
  const command = 'config';
  if (positionals.length !== 1) {
    throw new UsageError(
      positionals.length === 0
        ? "the outputs file is missing (the JSON 'cdk deploy --outputs-file' writes)."
        : `one outputs file only, got ${positionals.length}.`,
      command,
    );
  }
  const format = str('format') ?? 'web';
  if (!(CONFIG_FORMATS as readonly string[]).includes(format)) {
    throw new UsageError(`--format must be one of ${CONFIG_FORMATS.join(', ')} (got '${format}').`, command);
  }
  const userPoolId = str('user-pool-id');
  const userPoolClientId = str('user-pool-client-id');
  if ((userPoolId === undefined) !== (userPoolClientId === undefined)) {
    throw new UsageError('--user-pool-id and --user-pool-client-id go together.', command);
  }
  if (userPoolId !== undefined && format !== 'amplify') {
    throw new UsageError('--user-pool-id and --user-pool-client-id only make sense with --format amplify.', command);
  }
  return {
    outputsFile: positionals[0]!,
    format: format as ConfigFormat,
    ...(str('out') !== undefined && { out: str('out') }),
    ...(str('stack') !== undefined && { stack: str('stack') }),
    ...(userPoolId !== undefined && userPoolClientId !== undefined && { userPool: { userPoolId, userPoolClientId } }),
  };
}

const CHALLENGE_ALIASES: Record<string, ChallengeType> = {
  light: 'FaceMovementAndLightChallenge',
  movement: 'FaceMovementChallenge',
};

function challenge(value: string | undefined, command: CommandName): ChallengeType | undefined {
  if (value === undefined) return undefined;
  const match =
    CHALLENGE_TYPES.find((t) => t.toLowerCase() === value.toLowerCase()) ?? CHALLENGE_ALIASES[value.toLowerCase()];
  if (!match)
    throw new UsageError(`--challenge must be one of ${CHALLENGE_TYPES.join(', ')} (or light, movement).`, command);
  return match;
}

function auditImages(value: string | undefined, command: CommandName): number | undefined {
  if (value === undefined) return undefined;
  const n = /^\d+$/.test(value) ? Number(value) : NaN;
  if (!(n >= AUDIT_IMAGES_LIMIT.min && n <= AUDIT_IMAGES_LIMIT.max)) {
    throw new UsageError(
      `--audit-images must be a whole number from ${AUDIT_IMAGES_LIMIT.min} to ${AUDIT_IMAGES_LIMIT.max}.`,
      command,
    );
  }
  return n;
}

function seconds(value: string | undefined, command: CommandName): number | undefined {
  if (value === undefined) return undefined;
  const n = /^\d+(\.\d+)?$/.test(value) ? Number(value) : NaN;
  if (!(n > 0)) throw new UsageError(`--timeout must be a positive number of seconds (got '${value}').`, command);
  return Math.round(n * 1000);
}

/**
 * `--timeout -1`: parseArgs reads a value starting with a dash as a possible option and refuses it as "ambiguous".
 * A number after an option that takes a value is that option's value, so its own rule can say what is wrong with it.
 */
function attachNegativeValues(args: readonly string[], options: ParseArgsConfig['options']): string[] {
  const out: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    const next = args[i + 1];
    const name = arg.startsWith('--') ? arg.slice(2) : undefined;
    if (name !== undefined && options?.[name]?.type === 'string' && next !== undefined && /^-\d/.test(next)) {
      out.push(`${arg}=${next}`);
      i++;
    } else {
      out.push(arg);
    }
  }
  return out;
}

/** parseArgs' messages are long and mention internals; keep their first sentence. */
function describeParseError(error: unknown): string {
  // Some runtimes put the class and code in the message: "TypeError [ERR_PARSE_ARGS_UNKNOWN_OPTION]: Unknown option …".
  const message = (error instanceof Error ? error.message : String(error)).replace(/^\w*Error \[\w+\]: /i, '');
  const unknown = /^Unknown option '([^']+)'/.exec(message);
  if (unknown) return `unknown option '${unknown[1]}'.`;
  const first = message.split(/(?<=\.)\s/)[0] ?? message;
  return first.charAt(0).toLowerCase() + first.slice(1);
}
