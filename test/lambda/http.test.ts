/** Response headers: CORS echo rules and the headers every response carries. */
import { getHeader, jsonResponse, withCommonHeaders } from '../../lambda/shared/http';

const ALLOWED = ['https://app.example.com', 'http://localhost:5173'];

describe('withCommonHeaders', () => {
  it.each([
    ['an allowed origin', 'http://localhost:5173', ALLOWED, 'http://localhost:5173'],
    ['a foreign origin', 'https://evil.example.net', ALLOWED, undefined],
    ['no origin', undefined, ALLOWED, undefined],
    ['an origin differing only in case', 'https://APP.example.com', ALLOWED, undefined],
    ['an allowed origin with a trailing slash', 'https://app.example.com/', ALLOWED, undefined],
    ['any origin when * is configured', 'https://evil.example.net', ['*'], '*'],
    ['no origin when * is configured', undefined, ['*'], '*'],
    ['any origin when nothing is trusted', 'https://app.example.com', [], undefined],
  ])('for %s sets Access-Control-Allow-Origin to %s', (_, origin, allowed, expected) => {
    // Act
    const response = withCommonHeaders(jsonResponse(200, {}), origin, allowed);

    // Assess
    expect(response.headers['Access-Control-Allow-Origin']).toBe(expected);
    expect(response.headers['Access-Control-Expose-Headers']).toBe(
      expected === undefined ? undefined : 'Retry-After, X-Request-Id',
    );
    expect(response.headers).toMatchObject({
      Vary: 'Origin',
      'Cache-Control': 'no-store',
      'Content-Type': 'application/json',
    });
  });

  it('sends the request id as X-Request-Id when there is one', () => {
    // Act
    const withId = withCommonHeaders(jsonResponse(200, {}), undefined, ALLOWED, 'req-123');
    const withoutId = withCommonHeaders(jsonResponse(200, {}), undefined, ALLOWED);

    // Assess
    expect(withId.headers['X-Request-Id']).toBe('req-123');
    expect(withoutId.headers).not.toHaveProperty('X-Request-Id');
  });

  it('keeps headers the route set', () => {
    // Act
    const response = withCommonHeaders(jsonResponse(200, {}, { 'Retry-After': '1' }), undefined, ALLOWED);

    // Assess
    expect(response.headers['Retry-After']).toBe('1');
  });
});

describe('getHeader', () => {
  it.each([
    [{ Origin: 'a' }, 'a'],
    [{ origin: 'b' }, 'b'],
    [{ ORIGIN: 'c' }, 'c'],
    [{}, undefined],
    [null, undefined],
    [undefined, undefined],
  ])('reads %p case-insensitively', (headers, expected) => {
    expect(getHeader(headers, 'Origin')).toBe(expected);
  });
});
