/** The part of dynalite's API that the local DynamoDB (dynamodb.ts) uses (the package ships no types). */
declare module 'dynalite' {
  import type { Server } from 'node:http';

  interface DynaliteOptions {
    /** LevelDB folder; in memory when absent. */
    readonly path?: string;
    readonly createTableMs?: number;
    readonly deleteTableMs?: number;
    readonly updateTableMs?: number;
    readonly maxItemSizeKb?: number;
  }

  /** An HTTP server answering DynamoDB's JSON protocol; its `close()` also closes the store. */
  function dynalite(options?: DynaliteOptions): Server;
  export = dynalite;
}
