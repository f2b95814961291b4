/**
 * The handlers' telemetry over Powertools Logger and Metrics: the lines it writes, configured by Powertools' own
 * variables. Each test loads the module fresh, since Powertools reads its environment when the instances are built.
 */
import { HANDLER_ENV } from '../../contract/handler-environment';
import { createSessionEvent, DEFAULT_IDENTITY_ID, lambdaContext } from '../support/api-event';
import { captureOutput, type CapturedOutput } from '../support/capture-output';
import { loadHandler } from '../support/load-handler';

type Observability = typeof import('../../lambda/shared/observability');

const POWERTOOLS_VARIABLES = [
  HANDLER_ENV.POWERTOOLS_SERVICE_NAME,
  HANDLER_ENV.POWERTOOLS_METRICS_NAMESPACE,
  HANDLER_ENV.POWERTOOLS_LOG_LEVEL,
  HANDLER_ENV.POWERTOOLS_METRICS_DISABLED,
  'POWERTOOLS_LOGGER_LOG_EVENT',
  'POWERTOOLS_DEV',
  'AWS_LAMBDA_LOG_LEVEL',
];
const saved = Object.fromEntries(POWERTOOLS_VARIABLES.map((name) => [name, process.env[name]]));

let output: CapturedOutput;
beforeEach(() => {
  for (const name of POWERTOOLS_VARIABLES) delete process.env[name];
  output = captureOutput();
});
afterEach(() => {
  output.restore();
  for (const [name, value] of Object.entries(saved)) {
    if (value === undefined) delete process.env[name];
    else process.env[name] = value;
  }
});

function load(env: Record<string, string> = {}): Observability {
  Object.assign(process.env, {
    [HANDLER_ENV.POWERTOOLS_SERVICE_NAME]: 'svc',
    [HANDLER_ENV.POWERTOOLS_METRICS_NAMESPACE]: 'Ns',
    ...env,
  });
  let loaded: Observability | undefined;
  jest.isolateModules(() => {
    loaded = require('../../lambda/shared/observability') as Observability;
  });
  return loaded!;
}

const emfLines = () => output.records().filter((r) => '_aws' in r) as Record<string, any>[];

describe('metrics (Powertools Metrics, EMF)', () => {
  it('counts a recorded not-live verdict by reason, and again under the service alone for the alarms', () => {
    // GIVEN
    const { metrics, telemetry } = load();
    // WHEN
    telemetry.resultRead('SUCCEEDED', { isLive: false, reason: 'LOW_CONFIDENCE', recorded: true });
    metrics.publishStoredMetrics();
    // THEN
    const [line] = emfLines();
    expect(line!._aws.CloudWatchMetrics).toEqual([
      {
        Namespace: 'Ns',
        Dimensions: [['service', 'reason'], ['service']],
        Metrics: [{ Name: 'VerdictNotLive', Unit: 'Count' }],
      },
    ]);
    expect(line).toMatchObject({ service: 'svc', reason: 'LOW_CONFIDENCE', VerdictNotLive: 1 });
  });

  it('counts an error by code and under the service alone', () => {
    const { countError, metrics } = load();
    countError('THROTTLED');
    metrics.publishStoredMetrics();
    const [line] = emfLines();
    expect(line!._aws.CloudWatchMetrics[0].Dimensions).toEqual([['service', 'errorCode'], ['service']]);
    expect(line).toMatchObject({ errorCode: 'THROTTLED', Error: 1 });
  });

  it('publishes a metric without added dimensions under the service dimension once', () => {
    const { metrics, telemetry } = load();
    telemetry.sessionCreated();
    metrics.publishStoredMetrics();
    expect(emfLines()[0]!._aws.CloudWatchMetrics[0].Dimensions).toEqual([['service']]);
  });

  it('clears the added dimensions after each flush', () => {
    const { countError, metrics, telemetry } = load();
    countError('THROTTLED');
    metrics.publishStoredMetrics();
    telemetry.sessionCreated();
    metrics.publishStoredMetrics();
    const second = emfLines()[1]!;
    expect(second.errorCode).toBeUndefined();
    expect(second._aws.CloudWatchMetrics[0].Dimensions).toEqual([['service']]);
  });

  it('writes nothing, not even a warning, when a request counted nothing', () => {
    const { metrics } = load();
    metrics.publishStoredMetrics();
    expect(output.text()).toBe('');
  });

  it('honours POWERTOOLS_METRICS_DISABLED', () => {
    const { metrics, telemetry } = load({ [HANDLER_ENV.POWERTOOLS_METRICS_DISABLED]: 'true' });
    telemetry.sessionCreated();
    metrics.publishStoredMetrics();
    expect(emfLines()).toHaveLength(0);
  });
});

describe('logs (Powertools Logger)', () => {
  it('writes Powertools lines with the service from POWERTOOLS_SERVICE_NAME and the appended keys', () => {
    const { logger, telemetry } = load();
    telemetry.session('s-1');
    telemetry.sessionCreated();
    logger.resetKeys();
    expect(output.records()).toContainEqual(
      expect.objectContaining({ level: 'INFO', message: 'Session created', service: 'svc', sessionId: 's-1' }),
    );
  });

  it('drops lines below POWERTOOLS_LOG_LEVEL', () => {
    const { telemetry } = load({ [HANDLER_ENV.POWERTOOLS_LOG_LEVEL]: 'WARN' });
    telemetry.sessionCreated();
    telemetry.lockoutStarted(60);
    expect(output.records().map((r) => r.message)).toEqual(['Owner locked out after repeated failed checks']);
  });
});

describe('the wired handler', () => {
  it('never logs the event, even with POWERTOOLS_LOGGER_LOG_EVENT (it carries the identity id and signatures)', async () => {
    // GIVEN a handler whose operator turned Powertools' event logging on
    const { handler } = loadHandler('create-session', { POWERTOOLS_LOGGER_LOG_EVENT: 'true' });
    // WHEN a request fails early (no table listens), so that no AWS call is needed
    await handler(createSessionEvent(), lambdaContext());
    // THEN the output holds log lines, but neither the event nor the caller's identity
    expect(output.records().length).toBeGreaterThan(0);
    expect(output.text()).not.toContain(DEFAULT_IDENTITY_ID);
    expect(output.text()).not.toContain('requestContext');
  });
});
