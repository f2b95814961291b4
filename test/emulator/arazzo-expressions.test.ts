import { ArazzoExpressionError, evaluateCriterion, evaluateExpression, evaluateValue } from '../support/arazzo';
import type { ExpressionScope } from '../support/arazzo/expressions';

const scope: ExpressionScope = {
  inputs: { token: 'abc', nested: { a: [1, 2] } },
  steps: { create: { outputs: { sessionId: 'id-1', body: { 'a/b': 5, 'm~n': 6 } } } },
  exchange: {
    url: 'http://127.0.0.1:1/',
    method: 'POST',
    requestHeaders: { 'X-Amz-Target': 'RekognitionService.X' },
    requestBody: { SessionId: 'id-1' },
    statusCode: 200,
    responseHeaders: { 'content-type': 'application/x-amz-json-1.1' },
    responseBody: { Status: 'IN_PROGRESS', Confidence: 91.5, Items: [{ Code: 'A' }, { Code: 'B' }], Ok: true },
  },
};

describe('Arazzo runtime expressions', () => {
  it.each<[string, unknown]>([
    ['$statusCode', 200],
    ['$method', 'POST'],
    ['$url', 'http://127.0.0.1:1/'],
    ['$inputs.token', 'abc'],
    ['$inputs.nested#/a/1', 2],
    ['$inputs.missing', undefined],
    ['$steps.create.outputs.sessionId', 'id-1'],
    ['$steps.create.outputs.body#/a~1b', 5],
    ['$steps.create.outputs.body#/m~0n', 6],
    ['$steps.unknown.outputs.x', undefined],
    ['$response.body#/Status', 'IN_PROGRESS'],
    ['$response.body#/Items/1/Code', 'B'],
    ['$response.body#/Nope', undefined],
    ['$response.header.Content-Type', 'application/x-amz-json-1.1'],
    ['$request.header.x-amz-target', 'RekognitionService.X'],
    ['$request.body#/SessionId', 'id-1'],
  ])('%s', (expression, expected) => {
    expect(evaluateExpression(expression, scope)).toEqual(expected);
  });

  it('rejects expressions it does not support', () => {
    expect(() => evaluateExpression('$workflows.other.outputs.x', scope)).toThrow(ArazzoExpressionError);
    expect(() => evaluateExpression('$statusCode', { inputs: {}, steps: {} })).toThrow(
      /only available after a request/,
    );
  });

  it('evaluates payloads: whole expressions keep their type, embedded ones are interpolated, literals stay', () => {
    expect(
      evaluateValue(
        {
          id: '$steps.create.outputs.sessionId',
          n: '$response.body#/Confidence',
          text: 'token={$inputs.token}',
          lit: 'plain',
          list: ['$inputs.token', 3],
        },
        scope,
      ),
    ).toEqual({ id: 'id-1', n: 91.5, text: 'token=abc', lit: 'plain', list: ['abc', 3] });
  });
});

describe('Arazzo criteria', () => {
  it.each<[string, boolean]>([
    ['$statusCode == 200', true],
    ['$statusCode != 200', false],
    ['$statusCode >= 200 && $statusCode < 300', true],
    ['$statusCode == 404 || $statusCode == 200', true],
    ["$response.body#/Status == 'IN_PROGRESS'", true],
    ["$response.body#/Status == 'SUCCEEDED'", false],
    ['$response.body#/Confidence > 90', true],
    ['$response.body#/Ok', true],
    ['$response.body#/Missing == null', true],
    ["$inputs.token == 'a&&b'", false],
  ])('simple %s -> %s', (condition, expected) => {
    expect(evaluateCriterion({ condition }, scope)).toBe(expected);
  });

  it.each<[string, boolean]>([
    ["$.Status == 'IN_PROGRESS'", true],
    ["$.Status == 'CREATED'", false],
    ["$['Status'] != 'CREATED'", true],
    ["$.Items[1].Code == 'B'", true],
    ["$.Items[-1].Code == 'B'", true],
    ['$.Confidence >= 91.5', true],
    ['$.Items', true],
    ['$.Nothing', false],
  ])('jsonpath %s -> %s', (condition, expected) => {
    expect(evaluateCriterion({ context: '$response.body', condition, type: 'jsonpath' }, scope)).toBe(expected);
  });

  it('regex criteria match the context', () => {
    expect(evaluateCriterion({ context: '$response.body#/Status', condition: '^IN_', type: 'regex' }, scope)).toBe(
      true,
    );
    expect(evaluateCriterion({ context: '$response.body#/Status', condition: '^SUCC', type: 'regex' }, scope)).toBe(
      false,
    );
  });

  it('rejects what it does not support rather than guessing', () => {
    expect(() =>
      evaluateCriterion({ context: '$response.body', condition: "$[?@.Status == 'X']", type: 'jsonpath' }, scope),
    ).toThrow(ArazzoExpressionError);
    expect(() => evaluateCriterion({ condition: '($statusCode == 200)' }, scope)).toThrow(/Parentheses/);
    expect(() => evaluateCriterion({ condition: 'statusCode == 200' }, scope)).toThrow(/Cannot read operand/);
  });
});
