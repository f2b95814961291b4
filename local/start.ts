/**
 * `npm start`: the whole Face Liveness flow offline on 127.0.0.1, and the example app. Ports come from PORT (local API,
 * default 3000), REKOGNITION_EMULATOR_PORT (default 4010), LOCAL_COGNITO_PORT (identity stand-in, default 4020) and
 * WEB_PORT (example app, default 5173); LOCAL_AUTH=none turns the API's signature check off; handler settings come
 * from the same variables the Lambda functions read (e.g. EXPOSE_DETAILS=true, CONFIDENCE_THRESHOLD=90). The README's
 * "Local mode" table lists them all. Ctrl-C stops everything.
 */
import { freePort } from './net';
import { HANDLER_ENV } from '../contract/handler-environment';
import {
  LOCAL_API_DEFAULT_PORT,
  LOCAL_BACKEND_CREDENTIALS,
  LOCAL_COGNITO_DEFAULT_PORT,
  LOCAL_IDENTITY_POOL_ID,
} from '../contract/local-mode';
import { LocalPortError, portInUseMessage, readLocalPorts, type LocalPorts } from './local-ports';
import { LOCAL_REGION, startLocalBackend, type LocalAuth } from './stack';
import { startLocalWebApp, type LocalWebApp } from './web';

/** The ports this run asked for, so a port already in use is named by its own variable. */
let ports: LocalPorts | undefined;
try {
  ports = readLocalPorts(process.env);
} catch (err) {
  if (!(err instanceof LocalPortError)) throw err;
  console.error(err.message);
  process.exit(2);
}
const port = (name: keyof LocalPorts): number => ports![name];

/** The CLI command for this run: the CLI finds the API and the identity stand-in by the same variables. */
function tryIt(apiPort: number, cognitoPort: number): string {
  const env = [
    ...(apiPort === LOCAL_API_DEFAULT_PORT ? [] : [`PORT=${apiPort}`]),
    ...(cognitoPort === LOCAL_COGNITO_DEFAULT_PORT ? [] : [`LOCAL_COGNITO_PORT=${cognitoPort}`]),
  ];
  return [...env, 'npx face-liveness check'].join(' ');
}

function localAuth(): LocalAuth {
  const raw = process.env.LOCAL_AUTH ?? '';
  if (raw === '' || raw === 'iam') return 'iam';
  if (raw === 'none') return 'none';
  console.error(`LOCAL_AUTH must be iam (the default: requests must be signed) or none (got ${JSON.stringify(raw)})`);
  process.exit(2);
}

async function main(): Promise<void> {
  const verbose = process.env.LOCAL_VERBOSE === 'true';
  // The app's origin must be known before the API starts (it is the CORS default): WEB_PORT=0 picks one now.
  const webPort = port('web') || (await freePort());
  const auth = localAuth();
  const stack = await startLocalBackend({
    apiPort: port('api'),
    emulatorPort: port('emulator'),
    cognitoPort: port('cognito'),
    s3Port: port('s3'),
    dynamoPort: port('dynamo'),
    auth,
    // The example app's own origin, in both spellings a browser may use; ALLOWED_ORIGINS, when set, wins.
    settings: { allowedOrigins: [`http://localhost:${webPort}`, `http://127.0.0.1:${webPort}`] },
    holdBrowserSessions: true,
    // The handlers on a thread of their own, as Lambda runs them apart from the services they call: two cores instead
    // of one event loop for the handlers and the stand-ins.
    handlerThread: true,
    ...(verbose && { onRequest: (line: string) => console.log(`api  ${line}`) }),
  });
  const env = stack.handlerEnv;
  let web: LocalWebApp | undefined;
  let webProblem: string | undefined;
  try {
    web = await startLocalWebApp({
      stack,
      region: LOCAL_REGION,
      port: webPort,
      ...(verbose && { log: (line: string) => console.log(`stream ${line}`) }),
    });
  } catch (err) {
    webProblem = (err as Error).message;
  }
  const webLine = web
    ? `  example app          ${web.url}${web.faceModel ? '' : '   (offline face model missing: run `bash test/e2e/setup.sh` once)'}`
    : `  example app          not served: ${webProblem ?? 'unknown problem'}`;
  console.log(
    [
      'Face Liveness backend, local mode (offline, 127.0.0.1 only)',
      `  local API            ${stack.api.url}   POST /sessions, GET /sessions/{sessionId}/result`,
      `  Rekognition emulator ${stack.emulator.url}   control: ${stack.emulator.controlUrl}`,
      `  local S3             ${stack.s3.url}   bucket ${env[HANDLER_ENV.IMAGE_BUCKET] ?? '(none: images as bytes)'}`,
      `  local DynamoDB       ${stack.dynamo.url}   table ${stack.dynamo.tableName} (in memory)`,
      `  Cognito identity     ${stack.identity.url}   identity pool ${LOCAL_IDENTITY_POOL_ID} (guest credentials)`,
      webLine,
      `  CORS origins         ${env[HANDLER_ENV.ALLOWED_ORIGINS]}`,
      `  threshold ${env[HANDLER_ENV.CONFIDENCE_THRESHOLD]}, exposeDetails ${env[HANDLER_ENV.EXPOSE_DETAILS]}`,
      auth === 'iam'
        ? '  Auth: IAM, as deployed. Every request must be SigV4-signed with guest credentials from the identity pool\n' +
          '        above (each identity owns its sessions and has its own lockout). LOCAL_AUTH=none turns this off.'
        : '  Auth: NONE (LOCAL_AUTH=none): signatures are NOT checked. A SigV4 request is caller local:<accessKeyId>,\n' +
          '        an unsigned one the shared caller local:anonymous.',
      `  Lockouts             clear them: curl -X DELETE ${stack.emulator.controlUrl}/lockouts`,
      '  Identity (backend)   POST /identity/checks, DELETE /identity/subjects/{subject}: always IAM, signed with the',
      `                       app backend's key ${LOCAL_BACKEND_CREDENTIALS.accessKeyId} / ${LOCAL_BACKEND_CREDENTIALS.secretAccessKey}`,
      '                       (region us-east-1, service execute-api); guest credentials get 403',
      '',
      `Try it:  ${tryIt(stack.api.port, stack.identity.port)}`,
      ...(web ? [`   or:   open ${web.url} in a browser (camera needed)`] : []),
      'Ctrl-C stops everything.',
    ].join('\n'),
  );

  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`\n${signal}: stopping…`);
    Promise.allSettled([web?.close()])
      .then(() => stack.close())
      .then(
        () => process.exit(0),
        (err: unknown) => {
          console.error('Error while stopping:', err);
          process.exit(1);
        },
      );
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
}

main().catch((err: unknown) => {
  const inUse = portInUseMessage(err, ports ?? {});
  if (inUse) console.error(inUse);
  else console.error('Local mode failed to start:', err);
  process.exit(1);
});
