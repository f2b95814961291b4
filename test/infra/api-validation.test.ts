/** Requests are validated at the edge with the shared schema, before a function runs. */
import { CREATE_SESSION_BODY_SCHEMA } from '../../contract/liveness-model';
import { ROUTES } from '../../contract/routes';
import { synth, type Synthesized } from './support/stack';

function method(s: Synthesized, httpMethod: string): Record<string, any> {
  // The authorized routes only (the public JWK Set has no parameters to validate).
  const found = Object.values(
    s.template.findResources('AWS::ApiGateway::Method', { Properties: { HttpMethod: httpMethod } }),
  ).filter((m) => m.Properties.AuthorizationType !== 'NONE');
  expect(found).toHaveLength(1);
  return found[0]!.Properties;
}

describe('request validation', () => {
  let s: Synthesized;
  beforeAll(() => {
    s = synth();
  });

  test('one validator checks both bodies and parameters', () => {
    const validators = s.template.findResources('AWS::ApiGateway::RequestValidator');
    expect(Object.values(validators).map((v) => v.Properties)).toEqual([
      expect.objectContaining({ ValidateRequestBody: true, ValidateRequestParameters: true }),
    ]);
  });

  test('the create-session model is CREATE_SESSION_BODY_SCHEMA', () => {
    const models = Object.values(s.template.findResources('AWS::ApiGateway::Model'));
    expect(models).toHaveLength(1);
    expect(models[0]!.Properties.ContentType).toBe('application/json');
    expect(models[0]!.Properties.Schema).toEqual(JSON.parse(JSON.stringify(CREATE_SESSION_BODY_SCHEMA)));
  });

  test(`${ROUTES.createSession.method} ${ROUTES.createSession.path} validates its JSON body against the model`, () => {
    const post = method(s, ROUTES.createSession.method);
    const [validatorId] = Object.keys(s.template.findResources('AWS::ApiGateway::RequestValidator'));
    const [modelId] = Object.keys(s.template.findResources('AWS::ApiGateway::Model'));
    expect(post.RequestValidatorId).toEqual({ Ref: validatorId });
    expect(post.RequestModels).toEqual({ 'application/json': { Ref: modelId } });
  });

  test(`${ROUTES.getResult.method} ${ROUTES.getResult.path} requires its path parameter`, () => {
    const get = method(s, ROUTES.getResult.method);
    const [validatorId] = Object.keys(s.template.findResources('AWS::ApiGateway::RequestValidator'));
    expect(get.RequestValidatorId).toEqual({ Ref: validatorId });
    expect(get.RequestParameters).toEqual({ 'method.request.path.sessionId': true });
  });
});
