/** CORS: only the configured origins, on preflights and on API Gateway's own error responses; '*' only when set. */
import { ROUTE_LIST } from '../../contract/routes';
import { synth, type Synthesized } from './support/stack';

const TWO_ORIGINS = ['https://app.example.com', 'https://admin.example.com'];

function preflights(s: Synthesized): Array<Record<string, any>> {
  return Object.values(
    s.template.findResources('AWS::ApiGateway::Method', { Properties: { HttpMethod: 'OPTIONS' } }),
  ).map((m) => m.Properties);
}

function preflightHeaders(s: Synthesized): Array<Record<string, string>> {
  return preflights(s).map((p) => p.Integration.IntegrationResponses[0].ResponseParameters);
}

function gatewayResponseHeaders(s: Synthesized): Array<Record<string, string>> {
  const responses = Object.values(s.template.findResources('AWS::ApiGateway::GatewayResponse'));
  expect(responses.length).toBeGreaterThan(0);
  return responses.map((r) => r.Properties.ResponseParameters);
}

describe('CORS, default settings', () => {
  let s: Synthesized;
  beforeAll(() => {
    s = synth();
  });

  test('every resource answers preflights', () => {
    const paths = s.stack.backend.api.methods.filter((m) => m.httpMethod === 'OPTIONS').map((m) => m.resource.path);
    for (const route of ROUTE_LIST) expect(paths).toContain(route.path);
  });

  test('preflights allow only http://localhost:5173', () => {
    for (const h of preflightHeaders(s)) {
      expect(h['method.response.header.Access-Control-Allow-Origin']).toBe("'http://localhost:5173'");
      expect(h['method.response.header.Vary']).toBe("'Origin'");
    }
  });

  test('preflights allow the SigV4, bearer-token and JSON headers', () => {
    for (const h of preflightHeaders(s)) {
      const allowed = h['method.response.header.Access-Control-Allow-Headers']!.replace(/'/g, '').split(',');
      expect(allowed).toEqual(
        expect.arrayContaining([
          'Authorization',
          'Content-Type',
          'X-Amz-Date',
          'X-Amz-Security-Token',
          'X-Amz-Content-Sha256',
        ]),
      );
    }
  });

  test("preflights allow the routes' methods and OPTIONS, nothing else", () => {
    const expected = [...new Set([...ROUTE_LIST.map((r) => r.method), 'OPTIONS'])].sort();
    for (const h of preflightHeaders(s)) {
      expect(h['method.response.header.Access-Control-Allow-Methods']!.replace(/'/g, '').split(',').sort()).toEqual(
        expected,
      );
    }
  });

  test('gateway error responses carry the same single origin and Vary: Origin', () => {
    for (const h of gatewayResponseHeaders(s)) {
      expect(h['gatewayresponse.header.Access-Control-Allow-Origin']).toBe("'http://localhost:5173'");
      expect(h['gatewayresponse.header.Vary']).toBe("'Origin'");
    }
  });

  test("'*' appears nowhere in the API's CORS headers", () => {
    const all = [...preflightHeaders(s), ...gatewayResponseHeaders(s)];
    for (const h of all) {
      for (const [name, value] of Object.entries(h)) if (/Allow-Origin$/.test(name)) expect(value).not.toContain('*');
    }
  });
});

describe('CORS, other settings', () => {
  test('with several origins, the preflight echoes the caller only when it is on the list', () => {
    // GIVEN
    const s = synth({ allowedOrigins: TWO_ORIGINS });
    // THEN
    for (const p of preflights(s)) {
      const response = p.Integration.IntegrationResponses[0];
      expect(response.ResponseParameters['method.response.header.Access-Control-Allow-Origin']).toBe(
        `'${TWO_ORIGINS[0]}'`,
      );
      expect(response.ResponseTemplates['application/json']).toContain(`$origin == "${TWO_ORIGINS[1]}"`);
    }
  });

  test('with several origins, gateway error responses echo the caller Origin (documented trade-off)', () => {
    const s = synth({ allowedOrigins: TWO_ORIGINS });
    for (const h of gatewayResponseHeaders(s)) {
      expect(h['gatewayresponse.header.Access-Control-Allow-Origin']).toBe('method.request.header.Origin');
      expect(h['gatewayresponse.header.Vary']).toBe("'Origin'");
    }
  });

  test("'*' is used only when the operator configures it", () => {
    const s = synth({ allowedOrigins: ['*'] });
    for (const h of preflightHeaders(s)) expect(h['method.response.header.Access-Control-Allow-Origin']).toBe("'*'");
    for (const h of gatewayResponseHeaders(s)) {
      expect(h['gatewayresponse.header.Access-Control-Allow-Origin']).toBe("'*'");
      expect(h['gatewayresponse.header.Vary']).toBeUndefined();
    }
  });
});
