/**
 * The one definition of this API's routes. The CDK construct builds API Gateway resources from it, the local API
 * routes requests with it, the typed client builds URLs with it and the identity-pool policy grants exactly the
 * browser routes.
 *
 * `audience` says who calls a route: `browser` routes are the end user's (the identity pool's roles, a user-pool
 * token, or nothing, as the deployment's auth mode says); `backend` routes are the app's own backend's, always
 * IAM-authorized (whatever the browser routes use) and never granted to the identity pool's roles. Backend routes
 * exist only when the construct's `identity` prop is set.
 */
export interface RouteDefinition {
  readonly name: RouteName;
  readonly method: 'GET' | 'POST' | 'DELETE';
  /** The API Gateway resource path, with `{param}` placeholders. */
  readonly path: string;
  readonly audience: RouteAudience;
}

export type RouteAudience = 'browser' | 'backend';

export type BrowserRouteName = 'createSession' | 'getResult';
export type BackendRouteName = 'createIdentityCheck' | 'eraseSubject';
export type RouteName = BrowserRouteName | BackendRouteName;
export type BrowserRoute = RouteDefinition & { readonly name: BrowserRouteName; readonly audience: 'browser' };
export type BackendRoute = RouteDefinition & { readonly name: BackendRouteName; readonly audience: 'backend' };

export const ROUTES = {
  createSession: { name: 'createSession', method: 'POST', path: '/sessions', audience: 'browser' },
  getResult: { name: 'getResult', method: 'GET', path: '/sessions/{sessionId}/result', audience: 'browser' },
  createIdentityCheck: { name: 'createIdentityCheck', method: 'POST', path: '/identity/checks', audience: 'backend' },
  eraseSubject: { name: 'eraseSubject', method: 'DELETE', path: '/identity/subjects/{subject}', audience: 'backend' },
} as const satisfies Record<RouteName, RouteDefinition>;

/** Every route, browser and backend. */
export const ALL_ROUTE_LIST: readonly RouteDefinition[] = Object.values(ROUTES);

/** The browser routes: what the identity pool's roles may invoke, and what every deployment has. */
export const ROUTE_LIST: readonly BrowserRoute[] = ALL_ROUTE_LIST.filter(
  (r): r is BrowserRoute => r.audience === 'browser',
);

/** The backend routes (identity verification): IAM-authorized, granted only with `grantIdentityChecks`. */
export const BACKEND_ROUTE_LIST: readonly BackendRoute[] = ALL_ROUTE_LIST.filter(
  (r): r is BackendRoute => r.audience === 'backend',
);

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
export function matchPath(path: string, routes: readonly RouteDefinition[] = ALL_ROUTE_LIST): RouteMatch[] {
  const segments = path
    .split('?')[0]!
    .split('/')
    .filter((s) => s.length > 0);
  const matches: RouteMatch[] = [];
  for (const route of routes) {
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
