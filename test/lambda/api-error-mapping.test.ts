/** The one mapping from failures to API errors. */
import { ERROR_CODES, RETRY_AFTER_SECONDS } from '../../contract/error-codes';
import { toApiError } from '../../lambda/shared/api-error-mapping';
import { ApiError } from '../../lambda/shared/errors';

const named = (name: string, message = 'raw AWS text with arn:aws:iam::123456789012:role/x', extra: object = {}) =>
  Object.assign(new Error(message), { name, ...extra });

describe('toApiError', () => {
  it.each([
    ['SessionNotFoundException', 'SESSION_NOT_FOUND', 404],
    ['InvalidParameterException', 'VALIDATION_ERROR', 400],
    ['ThrottlingException', 'THROTTLED', 429],
    ['ProvisionedThroughputExceededException', 'THROTTLED', 429],
    ['InternalServerError', 'SERVICE_UNAVAILABLE', 503],
    ['ServiceUnavailableException', 'SERVICE_UNAVAILABLE', 503],
    ['AccessDeniedException', 'BACKEND_MISCONFIGURED', 500],
    ['UnrecognizedClientException', 'BACKEND_MISCONFIGURED', 500],
    ['InvalidSignatureException', 'BACKEND_MISCONFIGURED', 500],
    ['CredentialsProviderError', 'BACKEND_MISCONFIGURED', 500],
    ['TimeoutError', 'UPSTREAM_TIMEOUT', 504],
    ['AbortError', 'UPSTREAM_TIMEOUT', 504],
    ['RequestTimeout', 'UPSTREAM_TIMEOUT', 504],
    ['RequestTimeoutException', 'UPSTREAM_TIMEOUT', 504],
    ['TypeError', 'INTERNAL_ERROR', 500],
    ['BrandNewException', 'INTERNAL_ERROR', 500],
    ['valueOf', 'INTERNAL_ERROR', 500],
    ['constructor', 'INTERNAL_ERROR', 500],
    ['__proto__', 'INTERNAL_ERROR', 500],
  ] as const)('maps %s to %s (%i)', (name, code, status) => {
    // Act
    const error = toApiError(named(name));

    // Assess
    expect(error).toBeInstanceOf(ApiError);
    expect(error.code).toBe(code);
    expect(error.statusCode).toBe(status);
    expect(ERROR_CODES[code].status).toBe(status);
    expect(error.retryAfterSeconds).toBe(RETRY_AFTER_SECONDS[code]);
    expect(error.message).not.toContain('raw AWS text');
    expect(error.detail).toContain('raw AWS text');
  });

  it.each(['ECONNREFUSED', 'ECONNRESET', 'EPIPE'])('maps a %s network failure to a retryable 503', (code) => {
    // Act
    const error = toApiError(named('Error', 'connect failed', { code }));

    // Assess
    expect(error).toMatchObject({
      code: 'SERVICE_UNAVAILABLE',
      retryAfterSeconds: RETRY_AFTER_SECONDS.SERVICE_UNAVAILABLE,
    });
  });

  it('keeps an ApiError as it is', () => {
    // Prepare
    const original = new ApiError('PAYLOAD_TOO_LARGE');

    // Act
    const error = toApiError(original);

    // Assess
    expect(error).toBe(original);
  });

  it.each([
    ['a string', 'boom'],
    ['undefined', undefined],
    ['null', null],
    ['a plain object', { oops: true }],
  ])('maps %s to a generic 500', (_, thrown) => {
    // Act
    const error = toApiError(thrown);

    // Assess
    expect(error).toMatchObject({
      code: 'INTERNAL_ERROR',
      statusCode: 500,
      message: 'Internal error. Quote the request id when reporting it.',
    });
  });

  it('says which side must act on an AccessDeniedException', () => {
    // Act
    const error = toApiError(named('AccessDeniedException'));

    // Assess
    expect(error.message).toMatch(/IAM role or region is misconfigured/);
  });

  it.each([
    ['AWS SDK error wrapper for TimeoutError: socket hang up', 'UPSTREAM_TIMEOUT'],
    ['AWS SDK error wrapper for ThrottlingException', 'THROTTLED'],
    ['AWS SDK error wrapper for Whatever: x', 'INTERNAL_ERROR'],
  ])("reads the error name out of the SDK retry layer's wrapper: %s", (message, code) => {
    expect(toApiError(named('Error', message)).code).toBe(code);
  });

  it.each([
    ['ResourceNotFoundException', 'BACKEND_MISCONFIGURED'],
    ['RequestLimitExceeded', 'THROTTLED'],
    ['ConditionalCheckFailedException', 'INTERNAL_ERROR'],
    ['ValidationException', 'INTERNAL_ERROR'],
  ])("maps the session table's %s to %s", (name, code) => {
    expect(toApiError(named(name)).code).toBe(code);
  });
});
