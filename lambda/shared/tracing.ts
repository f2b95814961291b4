/**
 * X-Ray subsegments for the handlers' AWS SDK calls (Rekognition, DynamoDB, S3 presigning makes no call): the subset
 * of `aws-xray-sdk-core`'s `captureAWSv3Client` this project needs, sending the documents that SDK sends. With
 * `tracing: ACTIVE` Lambda writes the function's own segment; without these, the trace stops there and a slow
 * Rekognition or DynamoDB call cannot be told from slow code.
 *
 * Why not aws-xray-sdk-core (or Powertools Tracer, which wraps it): ~100 KB per bundle (the SDK and the semver it
 * carries), which alone breaks the bundle budget of `npm run bench -- --check` (≤ 1.15× the bare twin). This module
 * adds about 2 KB and loads `dgram` on the first traced call only. Even so, the first subsegments cost about 3 % of
 * cold-start work, over that budget: so it is the `traceAwsCalls` setting, off by default (README, "X-Ray").
 *
 * What is sent: the AWS service, operation, region, request id, attempts and HTTP status, and timings. Never a
 * parameter or a response body, so no biometric data can reach a trace.
 *
 * How: one UDP datagram per call to the daemon Lambda runs (AWS_XRAY_DAEMON_ADDRESS), an independent subsegment whose
 * parent is the function's segment (the Parent of the invocation's _X_AMZN_TRACE_ID). Only sampled invocations are
 * traced; outside Lambda (no daemon address, no trace header) nothing is sent and the middleware costs one check.
 */
import { randomBytes } from 'node:crypto';
import type { Socket } from 'node:dgram';

const DAEMON_HEADER = '{"format":"json","version":1}\n';
const TRACE_HEADER = /(?:^|;)\s*Root=([^;]+);\s*Parent=([0-9a-f]{16});\s*Sampled=([01])/;

export interface TraceContext {
  readonly traceId: string;
  readonly parentId: string;
}

/** The invocation's trace, when Lambda traces it (sampled). Lambda updates the variable for every invocation. */
export function traceContextOf(header: string | undefined): TraceContext | undefined {
  const match = header === undefined ? null : TRACE_HEADER.exec(header);
  if (match?.[3] !== '1') return undefined;
  return { traceId: match[1]!, parentId: match[2]! };
}

/** `host:port`, or `tcp:host:port udp:host:port` as Lambda sets it: the UDP address. */
export function daemonAddressOf(
  value: string | undefined,
): { readonly host: string; readonly port: number } | undefined {
  if (value === undefined || value.trim() === '') return undefined;
  const udp = /udp:([^\s:]+):(\d+)/.exec(value) ?? /^([^\s:]+):(\d+)$/.exec(value.trim());
  return udp ? { host: udp[1]!, port: Number(udp[2]) } : undefined;
}

export interface CallRecord {
  readonly service: string;
  readonly operation: string;
  readonly region: string;
  readonly startTime: number;
  readonly endTime: number;
  readonly requestId?: string;
  readonly attempts?: number;
  readonly httpStatus?: number;
  /** The error's name, for a failed call. */
  readonly errorName?: string;
}

/** The subsegment document X-Ray expects for one AWS call (the shape aws-xray-sdk-core sends). */
export function subsegmentOf(
  call: CallRecord,
  trace: TraceContext,
  id: string = randomBytes(8).toString('hex'),
): Record<string, unknown> {
  const status = call.httpStatus;
  const failed = call.errorName !== undefined;
  return {
    name: call.service,
    id,
    trace_id: trace.traceId,
    parent_id: trace.parentId,
    type: 'subsegment',
    namespace: 'aws',
    start_time: call.startTime / 1000,
    end_time: call.endTime / 1000,
    aws: {
      operation: call.operation,
      region: call.region,
      ...(call.requestId !== undefined && { request_id: call.requestId }),
      ...(call.attempts !== undefined && { retries: Math.max(0, call.attempts - 1) }),
    },
    ...(status !== undefined && { http: { response: { status } } }),
    ...(failed && status === 429 && { throttle: true }),
    ...(failed && (status === undefined || status >= 500) ? { fault: true } : failed ? { error: true } : {}),
    ...(failed && { cause: { exceptions: [{ id, type: call.errorName, remote: true }] } }),
  };
}

export type Send = (datagram: string, host: string, port: number) => void;

let socket: Socket | undefined;
const udpSend: Send = (datagram, host, port) => {
  if (socket === undefined) {
    // Loaded on the first traced call: untraced cold starts never pay for it.
    const dgram = require('node:dgram') as typeof import('node:dgram');
    socket = dgram.createSocket('udp4');
    socket.unref();
    // A daemon that is not there must never fail a request.
    socket.on('error', () => undefined);
  }
  socket.send(datagram, port, host);
};

interface Metadata {
  readonly requestId?: string;
  readonly attempts?: number;
  readonly httpStatusCode?: number;
}

type Handler = (args: unknown) => Promise<{ readonly output?: { readonly $metadata?: Metadata } }>;
interface MiddlewareStack {
  add(
    middleware: (next: Handler, context: Record<string, unknown>) => Handler,
    options: { step: 'initialize'; name: string },
  ): void;
}

export interface TracingOptions {
  readonly env?: Readonly<Record<string, string | undefined>>;
  readonly send?: Send;
  readonly now?: () => number;
}

/**
 * Adds the subsegment middleware to an SDK v3 client; it wraps the whole call, retries included. The service name is
 * X-Ray's (`Rekognition`, `DynamoDB`) so the service map groups the calls as the X-Ray SDK does.
 */
export function traceClient<C extends { readonly middlewareStack: unknown }>(
  client: C,
  service: string,
  region: string,
  { env = process.env, send = udpSend, now = Date.now }: TracingOptions = {},
): C {
  const stack = client.middlewareStack as MiddlewareStack;
  stack.add(
    (next, context) => async (args) => {
      const daemon = daemonAddressOf(env.AWS_XRAY_DAEMON_ADDRESS);
      const trace = daemon && traceContextOf(env._X_AMZN_TRACE_ID);
      if (!daemon || !trace) return next(args);
      const startTime = now();
      const record = (metadata: Metadata | undefined, errorName?: string) => {
        const doc = subsegmentOf(
          {
            service,
            operation: String(context.commandName ?? 'Unknown').replace(/Command$/, ''),
            region,
            startTime,
            endTime: now(),
            ...(metadata?.requestId !== undefined && { requestId: metadata.requestId }),
            ...(metadata?.attempts !== undefined && { attempts: metadata.attempts }),
            ...(metadata?.httpStatusCode !== undefined && { httpStatus: metadata.httpStatusCode }),
            ...(errorName !== undefined && { errorName }),
          },
          trace,
        );
        try {
          send(DAEMON_HEADER + JSON.stringify(doc), daemon.host, daemon.port);
        } catch {
          // Tracing is best effort: it never changes a response.
        }
      };
      try {
        const result = await next(args);
        record(result.output?.$metadata);
        return result;
      } catch (error) {
        const e = error as { name?: unknown; $metadata?: Metadata };
        record(e.$metadata, typeof e.name === 'string' ? e.name : 'Error');
        throw error;
      }
    },
    { step: 'initialize', name: 'xrayTracing' },
  );
  return client;
}
