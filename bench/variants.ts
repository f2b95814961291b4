/** What the bench measures: each deployed handler and its bare twin. */
import type { BrowserRouteName as RouteName } from '../contract/routes';
import { HANDLER_ENTRIES } from '../lib/handler-assets';

export interface Variant {
  /** e.g. `create-session`, `create-session.twin` */
  readonly name: string;
  readonly handler: 'create-session' | 'get-result';
  readonly kind: 'handler' | 'twin';
  readonly route: RouteName;
  /** Entry file, relative to the project root. */
  readonly entry: string;
}

export const VARIANTS: readonly Variant[] = [
  {
    name: 'create-session',
    handler: 'create-session',
    kind: 'handler',
    route: 'createSession',
    entry: HANDLER_ENTRIES['create-session'],
  },
  {
    name: 'create-session.twin',
    handler: 'create-session',
    kind: 'twin',
    route: 'createSession',
    entry: 'bench/twins/create-session.ts',
  },
  {
    name: 'get-result',
    handler: 'get-result',
    kind: 'handler',
    route: 'getResult',
    entry: HANDLER_ENTRIES['get-result'],
  },
  {
    name: 'get-result.twin',
    handler: 'get-result',
    kind: 'twin',
    route: 'getResult',
    entry: 'bench/twins/get-result.ts',
  },
];

export const HANDLERS = ['create-session', 'get-result'] as const;
