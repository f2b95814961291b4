/** API Gateway's own errors answer in the ErrorBody shape, with the status ERROR_CODES gives their code. */
import { ERROR_CODES, RETRY_AFTER_SECONDS, type ErrorBody } from '../../contract/error-codes';
import { synth, TEST_USER_POOL_ARN, type Synthesized } from './support/stack';

interface GatewayResponse {
  readonly ResponseType: string;
  readonly StatusCode: string;
  readonly ResponseParameters: Record<string, string>;
  readonly ResponseTemplates: Record<string, string>;
}

function responses(s: Synthesized): Map<string, GatewayResponse> {
  const all = Object.values(s.template.findResources('AWS::ApiGateway::GatewayResponse')).map(
    (r) => r.Properties as GatewayResponse,
  );
  return new Map(all.map((r) => [r.ResponseType, r]));
}

/** Renders a template the way API Gateway substitutes variables: `*String` variables come quoted and escaped. */
function render(template: string): ErrorBody {
  const rendered = template
    .replace(/\$context\.error\.(validationErrorString|messageString)/g, JSON.stringify('a "quoted" message'))
    .replace(/\$context\.requestId/g, 'req-123');
  return JSON.parse(rendered) as ErrorBody;
}

describe('gateway responses, default settings', () => {
  let byType: Map<string, GatewayResponse>;
  beforeAll(() => {
    byType = responses(synth());
  });

  test.each([
    ['DEFAULT_4XX', 'VALIDATION_ERROR'],
    ['DEFAULT_5XX', 'INTERNAL_ERROR'],
    ['BAD_REQUEST_BODY', 'VALIDATION_ERROR'],
    ['BAD_REQUEST_PARAMETERS', 'VALIDATION_ERROR'],
    ['REQUEST_TOO_LARGE', 'PAYLOAD_TOO_LARGE'],
    ['UNSUPPORTED_MEDIA_TYPE', 'UNSUPPORTED_MEDIA_TYPE'],
    ['UNAUTHORIZED', 'UNAUTHORIZED'],
    ['INVALID_SIGNATURE', 'INVALID_SIGNATURE'],
    ['EXPIRED_TOKEN', 'CREDENTIALS_EXPIRED'],
    ['MISSING_AUTHENTICATION_TOKEN', 'FORBIDDEN'],
    ['ACCESS_DENIED', 'FORBIDDEN'],
    ['WAF_FILTERED', 'FORBIDDEN'],
    ['RESOURCE_NOT_FOUND', 'NOT_FOUND'],
    ['THROTTLED', 'THROTTLED'],
    ['QUOTA_EXCEEDED', 'THROTTLED'],
    ['INTEGRATION_TIMEOUT', 'UPSTREAM_TIMEOUT'],
    ['INTEGRATION_FAILURE', 'INTERNAL_ERROR'],
    ['API_CONFIGURATION_ERROR', 'BACKEND_MISCONFIGURED'],
    ['AUTHORIZER_CONFIGURATION_ERROR', 'BACKEND_MISCONFIGURED'],
    ['AUTHORIZER_FAILURE', 'BACKEND_MISCONFIGURED'],
  ] as const)('%s answers %s with its status and an ErrorBody', (type, code) => {
    const response = byType.get(type)!;
    expect(response).toBeDefined();
    expect(response.StatusCode).toBe(String(ERROR_CODES[code].status));
    const body = render(response.ResponseTemplates['application/json']!);
    expect(body).toEqual({ error: { code, message: expect.any(String), requestId: 'req-123' } });
    expect(body.error.message.length).toBeGreaterThan(0);
  });

  test('a request body that fails the model reports the validation error', () => {
    const template = byType.get('BAD_REQUEST_BODY')!.ResponseTemplates['application/json']!;
    // The variable is already a quoted JSON string: wrapping it in quotes would break the JSON.
    expect(template).toContain('"message":$context.error.validationErrorString,');
    expect(render(template).error.message).toBe('a "quoted" message');
  });

  test('retryable errors tell the client when to retry (RETRY_AFTER_SECONDS), readably across origins', () => {
    const retryable = [...byType.values()].filter(
      (r) => RETRY_AFTER_SECONDS[render(r.ResponseTemplates['application/json']!).error.code] !== undefined,
    );
    expect(retryable.map((r) => r.ResponseType).sort()).toEqual(['INTEGRATION_TIMEOUT', 'QUOTA_EXCEEDED', 'THROTTLED']);
    for (const r of retryable) {
      const seconds = RETRY_AFTER_SECONDS[render(r.ResponseTemplates['application/json']!).error.code];
      expect(r.ResponseParameters['gatewayresponse.header.Retry-After']).toBe(`'${seconds}'`);
      expect(r.ResponseParameters['gatewayresponse.header.Access-Control-Expose-Headers']).toBe(
        "'Retry-After, X-Request-Id'",
      );
    }
  });
});

test('without IAM auth, MISSING_AUTHENTICATION_TOKEN can only mean no such route: 404 NOT_FOUND', () => {
  const response = responses(synth({ authMode: 'cognito', userPoolArn: TEST_USER_POOL_ARN })).get(
    'MISSING_AUTHENTICATION_TOKEN',
  )!;
  expect(response.StatusCode).toBe('404');
  expect(render(response.ResponseTemplates['application/json']!).error.code).toBe('NOT_FOUND');
});
