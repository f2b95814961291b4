/**
 * The one definition of this API's routes. The CDK construct builds API Gateway resources from it, the local API
 * routes requests with it, the typed client builds URLs with it and the identity-pool policy grants exactly these.
 */
export interface RouteDefinition {
  readonly name: RouteName;
  readonly method: 'GET' | 'POST' | 'DELETE';
  /** The API Gateway resource path, with `{param}` placeholders. */
  readonly path: string;
}

export type RouteName = 'createSession' | 'getResult';

export const ROUTES = {
  createSession: { name: 'createSession', method: 'POST', path: '/sessions' },
  getResult: { name: 'getResult', method: 'GET', path: '/sessions/{sessionId}/result' },
} as const satisfies Record<RouteName, RouteDefinition>;

export const ROUTE_LIST: readonly RouteDefinition[] = Object.values(ROUTES);

/** The path segments of a route, e.g. `['sessions', '{sessionId}', 'result']`. */
export function pathSegments(route: RouteDefinition): string[] {
  return route.path.split('/').filter((s) => s.length > 0);
}

/** Fills a route's `{param}` placeholders; values are URI-encoded. Throws on a missing parameter. */
export function buildPath(
  route: Pick<RouteDefinition, 'method' | 'path'>,
  params: Record<string, string> = {},
): string {
  return route.path.replace(/\{(\w+)\}/g, (_, key: string) => {
    const value = params[key];
    if (value === undefined) throw new Error(`Missing path parameter "${key}" for ${route.method} ${route.path}`);
    return encodeURIComponent(value);
  });
}

export interface RouteMatch {
  readonly route: RouteDefinition;
  readonly pathParameters: Record<string, string>;
}

/**
 * Matches a request path against every route, ignoring the method, so callers can tell 404 (no such path) from
 * 405 (path exists, wrong method). Path parameters are URI-decoded, as API Gateway does.
 */
export function matchPath(path: string): RouteMatch[] {
  const segments = path
    .split('?')[0]!
    .split('/')
    .filter((s) => s.length > 0);
  const matches: RouteMatch[] = [];
  for (const route of ROUTE_LIST) {
    const template = pathSegments(route);
    if (template.length !== segments.length) continue;
    const pathParameters: Record<string, string> = {};
    const ok = template.every((part, i) => {
      const actual = segments[i]!;
      const param = /^\{(\w+)\}$/.exec(part);
      if (param) {
        try {
          pathParameters[param[1]!] = decodeURIComponent(actual);
        } catch {
          pathParameters[param[1]!] = actual;
        }
        return true;
      }
      return part === actual;
    });
    if (ok) matches.push({ route, pathParameters });
  }
  return matches;
}
