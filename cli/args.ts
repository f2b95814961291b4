/** Command-line grammar: one parseArgs table per command, and the help texts that describe them. */
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { SUBJECT, type IdentityMethod } from '../contract/identity';
import { AUDIT_IMAGES_LIMIT, CHALLENGE_TYPES, type ChallengeType } from '../contract/liveness-model';

export const BIN = 'face-liveness';

export type CommandName = 'create' | 'result' | 'check' | 'config' | 'enrol' | 'verify' | 'erase';

const COMMANDS: readonly CommandName[] = ['create', 'result', 'check', 'config', 'enrol', 'verify', 'erase'];

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

const IDENTITY_OPTIONS = {
  subject: { type: 'string' },
  threshold: { type: 'string' },
} as const satisfies ParseArgsConfig['options'];

const OPTIONS = {
  create: { ...COMMON_OPTIONS, ...CREATE_OPTIONS },
  result: { ...COMMON_OPTIONS, wait: { type: 'boolean' }, timeout: { type: 'string' } },
  check: {
    ...COMMON_OPTIONS,
    ...CREATE_OPTIONS,
    ...IDENTITY_OPTIONS,
    reference: { type: 'string' },
    timeout: { type: 'string' },
  },
  enrol: { ...COMMON_OPTIONS, ...CREATE_OPTIONS, ...IDENTITY_OPTIONS, timeout: { type: 'string' } },
  verify: { ...COMMON_OPTIONS, ...CREATE_OPTIONS, ...IDENTITY_OPTIONS, timeout: { type: 'string' } },
  erase: { ...COMMON_OPTIONS, subject: { type: 'string' } },
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

const IDENTITY_HELP_OPTIONS = `  --subject ID       Your app's id of the user (1–${SUBJECT.maxLength} of A-Z a-z 0-9 _ . : -). The backend names it, never the
                     browser: it is sent only with the identity check, which the session then carries as a token.
  --threshold N      A stricter similarity threshold, 0–100 (never below the backend's, default 99; not a 0–1 ratio).`;

const BACKEND_HELP = `App backend credentials (the identity routes are IAM-only, granted with grantIdentityChecks, never to a browser):
  Local mode (npm start's API): local mode's fixed app-backend key pair, nothing to set.
  A deployment: AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY and AWS_SESSION_TOKEN (if temporary) of the granted principal,
  signing for the API's region (from its execute-api URL, --config's region, or AWS_REGION). Profiles and
  ~/.aws files are not read: export the variables (eval "$(aws configure export-credentials --format env)").
The session itself is created and read as the browser does (guest credentials, see Connection).`;

export const HELP: Record<CommandName | 'main', string> = {
  main: `Usage: ${BIN} <command> [options]

Runs the Face Liveness workflow (create a session, poll until it is finished) against any deployment of this API.

Commands:
  create            Create a session; prints its id, region and expiry for a frontend.
  result <id>       Show a session's result now (--wait to poll until it is finished).
  check             Create a session, wait for its result, print the verdict; with --reference and --subject, also
                    match the live face against an ID photo.
  config <outputs>  Turn 'cdk deploy --outputs-file' JSON into the frontend's config file.
  enrol             Enrol the live face of a new session for --subject.
  verify            Match the live face of a new session against the face enrolled for --subject.
  erase             Delete --subject's enrolled face and stored reference photos.

Exit codes: 0 live / matched / enrolled (or success), 1 not live / not matched / not enrolled, 2 error or bad usage,
3 still pending (result), 130 interrupted.
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
       ${BIN} check --reference FILE|s3://BUCKET/KEY --subject ID [options]

Creates a session, waits for its result (complete the check in the frontend with the printed session id, or let a
local emulator do it), and prints the verdict.

With --reference and --subject, first opens an identity check for the subject with that reference photo (an ID
document: a JPEG or PNG file of at most about 4.4 MB, or an S3 object of up to 15 MB in a bucket and prefix the
backend may read), then creates the session with the check's token. The server compares the live face with the
photo when it decides the verdict (only if live) and prints whether they match, never a similarity unless the server
exposes details.

  --reference R      The reference photo: a file, or s3://bucket/key.
${IDENTITY_HELP_OPTIONS}
${CREATE_HELP_OPTIONS}
  --timeout S        Give up after S seconds (never later than the session's 3-minute life).

${CONNECTION_HELP}

${BACKEND_HELP}

Exit codes: 0 live (and, with --reference, matched), 1 not live or not matched, 2 error (network, HTTP error, timeout).`,
  enrol: `Usage: ${BIN} enrol --subject ID [options]

Opens an enrolment for the subject, creates a session with its token and waits for the verdict: a live face is
enrolled for the subject (replacing its earlier face), unless it is already enrolled for another subject.

${IDENTITY_HELP_OPTIONS}
${CREATE_HELP_OPTIONS}
  --timeout S        Give up after S seconds.

${CONNECTION_HELP}

${BACKEND_HELP}

Exit codes: 0 live and enrolled, 1 not live or not enrolled, 2 error.`,
  verify: `Usage: ${BIN} verify --subject ID [options]

Opens a verification for the subject, creates a session with its token and waits for the verdict: matched only if
the session is live and the best enrolled face at or above the threshold is the subject's own.

${IDENTITY_HELP_OPTIONS}
${CREATE_HELP_OPTIONS}
  --timeout S        Give up after S seconds.

${CONNECTION_HELP}

${BACKEND_HELP}

Exit codes: 0 live and matched, 1 not live or not matched (e.g. SUBJECT_NOT_ENROLLED), 2 error.`,
  erase: `Usage: ${BIN} erase --subject ID [options]

Deletes the subject's enrolled face, its stored reference photos and its open identity checks. Erasing a subject
that has nothing stored succeeds too.

  --subject ID       Your app's id of the user.

${CONNECTION_HELP}

${BACKEND_HELP}

Exit codes: 0 erased, 2 error.`,
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

export interface IdentityArgs {
  readonly subject: string;
  readonly method: IdentityMethod;
  /** `--reference`: a file path, or an S3 object. */
  readonly reference?:
    | { readonly file: string }
    | { readonly s3Object: { readonly bucket: string; readonly name: string } };
  readonly threshold?: number;
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
  | ({
      readonly command: 'check';
      readonly timeoutMs?: number;
      /** With --reference and --subject. */
      readonly identity?: IdentityArgs;
    } & ConnectionArgs &
      CreateArgs)
  | ({
      readonly command: 'enrol' | 'verify';
      readonly timeoutMs?: number;
      readonly identity: IdentityArgs;
    } & ConnectionArgs &
      CreateArgs)
  | ({ readonly command: 'erase'; readonly subject: string } & ConnectionArgs)
  | ({ readonly command: 'config' } & ConfigArgs);

export interface ConfigArgs {
  readonly outputsFile: string;
  readonly format: ConfigFormat;
  readonly out?: string;
  readonly stack?: string;
  readonly userPool?: { readonly userPoolId: string; readonly userPoolClientId: string };
}

const isCommand = (value: string | undefined): value is CommandName =>
  (COMMANDS as readonly (string | undefined)[]).includes(value);

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
  if (command === 'erase') return { command, subject: subject(str('subject'), command), ...connection };
  const create: CreateArgs = {
    challenge: challenge(str('challenge'), command),
    auditImagesLimit: auditImages(str('audit-images'), command),
    clientRequestToken: str('token'),
  };
  if (command === 'create') return { command, ...connection, ...create };
  const timeoutMs = seconds(str('timeout'), command);
  if (command === 'enrol' || command === 'verify') {
    const identity: IdentityArgs = {
      subject: subject(str('subject'), command),
      method: command === 'enrol' ? 'enrol' : 'enrolled',
      threshold: threshold(str('threshold'), command),
    };
    return { command, timeoutMs, identity, ...connection, ...create };
  }
  const reference = str('reference');
  if ((reference === undefined) !== (str('subject') === undefined)) {
    throw new UsageError(
      reference === undefined
        ? '--subject needs --reference (the ID photo to match); to enrol or verify a subject, use enrol or verify.'
        : '--reference needs --subject (whose photo it is).',
      command,
    );
  }
  if (reference === undefined && str('threshold') !== undefined)
    throw new UsageError('--threshold only makes sense with --reference and --subject.', command);
  const identity: IdentityArgs | undefined =
    reference === undefined
      ? undefined
      : {
          subject: subject(str('subject'), command),
          method: 'reference',
          reference: referencePhoto(reference, command),
          threshold: threshold(str('threshold'), command),
        };
  return { command, timeoutMs, ...(identity && { identity }), ...connection, ...create };
}

function subject(value: string | undefined, command: CommandName): string {
  if (value === undefined) throw new UsageError('--subject is required.', command);
  if (value.length < SUBJECT.minLength || value.length > SUBJECT.maxLength || !SUBJECT.pattern.test(value)) {
    throw new UsageError(
      `--subject must be ${SUBJECT.minLength}–${SUBJECT.maxLength} characters of A-Z, a-z, 0-9, '_', '.', ':' and '-'.`,
      command,
    );
  }
  return value;
}

/**
 * A similarity on Rekognition's 0–100 scale. Below 1 it can only be a 0–1 ratio mistaken for it (0.9 meaning 90 %),
 * the unit error that makes every face match: refused, with the scale named.
 */
function threshold(value: string | undefined, command: CommandName): number | undefined {
  if (value === undefined) return undefined;
  const n = /^\d+(\.\d+)?$/.test(value) ? Number(value) : NaN;
  if (!(n >= 0 && n <= 100))
    throw new UsageError(`--threshold must be a number from 0 to 100 (got '${value}').`, command);
  if (n < 1) {
    throw new UsageError(
      `--threshold ${value} reads as a 0–1 ratio: similarities run from 0 to 100 (99 for identity matching).`,
      command,
    );
  }
  return n;
}

function referencePhoto(value: string, command: CommandName): NonNullable<IdentityArgs['reference']> {
  if (!value.startsWith('s3://')) {
    if (value === '') throw new UsageError('--reference needs a file or s3://bucket/key.', command);
    return { file: value };
  }
  const match = /^s3:\/\/([^/]+)\/(.+)$/.exec(value);
  if (!match) throw new UsageError(`--reference ${value} is not s3://bucket/key.`, command);
  return { s3Object: { bucket: match[1]!, name: match[2]! } };
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
