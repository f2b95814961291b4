/**
 * `npm start`: the whole Face Liveness flow offline on 127.0.0.1, and the example app. Ports come from PORT (local API,
 * default 3000), REKOGNITION_EMULATOR_PORT (default 4010) and WEB_PORT (example app, default 5173); handler settings
 * from the same variables the Lambda functions read (e.g. EXPOSE_DETAILS=true, CONFIDENCE_THRESHOLD=90).
 * Ctrl-C stops everything.
 */
import { HANDLER_ENV } from '../contract/handler-environment';
import { LOCAL_REGION, startLocalStack } from './stack';
import { startLocalWebApp, type LocalWebApp } from './web';

function port(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 0 || value > 65535) {
    console.error(`${name} must be a port number from 0 to 65535 (got ${JSON.stringify(raw)})`);
    process.exit(2);
  }
  return value;
}

async function main(): Promise<void> {
  const verbose = process.env.LOCAL_VERBOSE === 'true';
  const stack = await startLocalStack({
    apiPort: port('PORT', 3000),
    emulatorPort: port('REKOGNITION_EMULATOR_PORT', 4010),
    s3Port: port('LOCAL_S3_PORT', 0),
    dynamoPort: port('LOCAL_DYNAMODB_PORT', 0),
    holdBrowserSessions: true,
    ...(verbose && { onRequest: (line: string) => console.log(`api  ${line}`) }),
  });
  const env = stack.handlerEnv;
  let web: LocalWebApp | undefined;
  let webProblem: string | undefined;
  try {
    web = await startLocalWebApp({
      stack,
      region: LOCAL_REGION,
      port: port('WEB_PORT', 5173),
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
      `  local DynamoDB       ${stack.dynamo.url}   table ${stack.dynamo.tableName} (dynalite, in memory)`,
      webLine,
      `  CORS origins         ${env[HANDLER_ENV.ALLOWED_ORIGINS]}`,
      `  threshold ${env[HANDLER_ENV.CONFIDENCE_THRESHOLD]}, exposeDetails ${env[HANDLER_ENV.EXPOSE_DETAILS]}`,
      '  IAM auth is NOT enforced locally: requests are not signature-checked.',
      '  Local identity (for session ownership and the lockout): a SigV4 request is caller local:<accessKeyId>,',
      '  an unsigned one the shared caller local:anonymous.',
      '',
      `Try it:  npx face-liveness check --api ${stack.api.url}`,
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
  const code = (err as NodeJS.ErrnoException).code;
  if (code === 'EADDRINUSE') {
    console.error(`A port is already in use (${(err as Error).message}). Set PORT / REKOGNITION_EMULATOR_PORT to free ones.`);
  } else {
    console.error('Local mode failed to start:', err);
  }
  process.exit(1);
});
