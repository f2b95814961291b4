/**
 * traceAwsCalls: the traced entries install Powertools Tracer before the handler builds its clients, so each AWS SDK
 * call gets X-Ray's instrumentation; the default entries build plain clients.
 */
import { HANDLER_ENV } from '../../contract/handler-environment';
import { setHandlerEnv } from '../support/load-handler';

type Clients = typeof import('../../lambda/shared/clients');

// Powertools Tracer traces only inside Lambda, which it tells by this variable.
const executionEnv = process.env.AWS_EXECUTION_ENV;
afterAll(() => {
  if (executionEnv === undefined) delete process.env.AWS_EXECUTION_ENV;
  else process.env.AWS_EXECUTION_ENV = executionEnv;
});

function clientsAfterLoading(entry: string, traceAwsCalls: boolean): Clients {
  setHandlerEnv({ [HANDLER_ENV.TRACE_AWS_CALLS]: String(traceAwsCalls), AWS_EXECUTION_ENV: 'AWS_Lambda_nodejs24.x' });
  let clients: Clients | undefined;
  jest.isolateModules(() => {
    require(entry);
    clients = require('../../lambda/shared/clients') as Clients;
  });
  return clients!;
}

const middlewareNames = (client: { middlewareStack: { identify(): string[] } }) => client.middlewareStack.identify();
const XRAY = expect.stringContaining('XRaySDKInstrumentation');

test.each([['create-session'], ['get-result']])(
  '%s/traced with traceAwsCalls: Rekognition calls go through the X-Ray instrumentation',
  (handler) => {
    // WHEN
    const { handlerDependencies } = clientsAfterLoading(`../../lambda/${handler}/traced`, true);
    // THEN
    const { rekognition } = handlerDependencies();
    expect(middlewareNames(rekognition)).toContainEqual(XRAY);
  },
);

test('the traced entry without traceAwsCalls builds plain clients', () => {
  const { handlerDependencies } = clientsAfterLoading('../../lambda/create-session/traced', false);
  expect(middlewareNames(handlerDependencies().rekognition)).not.toContainEqual(XRAY);
});

test('the default entry never traces, whatever the setting says', () => {
  const { handlerDependencies } = clientsAfterLoading('../../lambda/create-session/index', true);
  expect(middlewareNames(handlerDependencies().rekognition)).not.toContainEqual(XRAY);
});

test('the DynamoDB client is traced too', () => {
  const { createDynamoDBClient, handlerDependencies } = clientsAfterLoading('../../lambda/get-result/traced', true);
  expect(middlewareNames(createDynamoDBClient(handlerDependencies().config))).toContainEqual(XRAY);
});
