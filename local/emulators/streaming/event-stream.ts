/**
 * AWS event-stream framing as StartFaceLivenessSession speaks it over its WebSocket.
 *
 * Client -> server: every WebSocket message is one SIGNED event-stream message (headers `:date`, `:chunk-signature`)
 * whose body is the encoded event itself (`:message-type: event`, `:event-type`, `:content-type: application/json`,
 * JSON body). Server -> client: the event itself, unsigned; errors as `:message-type: exception` with
 * `:exception-type`, as the SDK's event-stream unmarshaller expects.
 */
import { EventStreamCodec, type Message, type MessageHeaders } from '@smithy/eventstream-codec';
import { fromUtf8, toUtf8 } from '@smithy/util-utf8';

const codec = new EventStreamCodec(toUtf8, fromUtf8);

/** The events a browser may send (LivenessRequestStream). */
export const CLIENT_EVENT_TYPES = ['VideoEvent', 'ClientSessionInformationEvent'] as const;
export type ClientEventType = (typeof CLIENT_EVENT_TYPES)[number];

/** Modeled server events (LivenessResponseStream). */
export type ServerEventType = 'ServerSessionInformationEvent' | 'ChallengeEvent' | 'DisconnectionEvent';

/**
 * Exceptions this emulator sends. The first five are members of LivenessResponseStream, so the SDK throws them as typed
 * errors; the last two are not modeled in the stream, so the SDK throws a plain Error named after them whose message
 * is the frame's body. Either way FaceLivenessDetector reports a SERVER_ERROR.
 */
export type StreamExceptionType =
  | 'ValidationException'
  | 'InternalServerException'
  | 'ThrottlingException'
  | 'ServiceQuotaExceededException'
  | 'ServiceUnavailableException'
  | 'SessionNotFoundException'
  | 'InvalidSignatureException';

/** A frame that is not a well-formed, signed event of a known type. */
export class MalformedFrameError extends Error {
  override readonly name = 'MalformedFrameError';
}

export interface DecodedClientEvent {
  readonly eventType: ClientEventType;
  readonly payload: Record<string, unknown>;
  /** The outer frame's `:date` header. */
  readonly date: Date;
}

/** Decodes one client WebSocket message. Throws MalformedFrameError on anything a real endpoint would refuse. */
export function decodeClientFrame(bytes: Uint8Array): DecodedClientEvent {
  const outer = decodeOrThrow(bytes, 'frame');
  const date = outer.headers[':date'];
  const signature = outer.headers[':chunk-signature'];
  if (date?.type !== 'timestamp') throw new MalformedFrameError('The frame has no :date header');
  if (signature?.type !== 'binary' || signature.value.length === 0) {
    throw new MalformedFrameError('The frame has no :chunk-signature header');
  }
  if (outer.body.length === 0) {
    // A signed empty message is the SDK's end-of-stream marker; the liveness client never sends it.
    throw new MalformedFrameError('Unexpected end-of-stream frame');
  }
  const inner = decodeOrThrow(outer.body, 'event');
  const messageType = stringHeader(inner.headers, ':message-type');
  if (messageType !== 'event') throw new MalformedFrameError(`Unsupported :message-type ${String(messageType)}`);
  const eventType = stringHeader(inner.headers, ':event-type');
  if (!CLIENT_EVENT_TYPES.includes(eventType as ClientEventType)) {
    throw new MalformedFrameError(`Unknown :event-type ${String(eventType)}`);
  }
  const contentType = stringHeader(inner.headers, ':content-type');
  if (contentType !== undefined && contentType !== 'application/json') {
    throw new MalformedFrameError(`Unsupported :content-type ${contentType}`);
  }
  let payload: unknown;
  try {
    payload = JSON.parse(toUtf8(inner.body));
  } catch {
    throw new MalformedFrameError(`The ${String(eventType)} body is not JSON`);
  }
  if (payload === null || typeof payload !== 'object' || Array.isArray(payload)) {
    throw new MalformedFrameError(`The ${String(eventType)} body is not a JSON object`);
  }
  return { eventType: eventType as ClientEventType, payload: payload as Record<string, unknown>, date: date.value };
}

/**
 * Encodes a client event the way the browser does: the event inside a signed envelope. The signature here is
 * random bytes (the emulator checks its presence, not its value); tests and tools use this.
 */
export function encodeClientFrame(eventType: string, payload: unknown, date = new Date()): Uint8Array {
  const inner = codec.encode({
    headers: {
      ':message-type': { type: 'string', value: 'event' },
      ':event-type': { type: 'string', value: eventType },
      ':content-type': { type: 'string', value: 'application/json' },
    },
    body: fromUtf8(JSON.stringify(payload)),
  });
  const signature = new Uint8Array(32);
  crypto.getRandomValues(signature);
  return codec.encode({
    headers: {
      ':date': { type: 'timestamp', value: date },
      ':chunk-signature': { type: 'binary', value: signature },
    },
    body: inner,
  });
}

export function encodeServerEvent(eventType: ServerEventType, payload: unknown): Uint8Array {
  return codec.encode({
    headers: {
      ':message-type': { type: 'string', value: 'event' },
      ':event-type': { type: 'string', value: eventType },
      ':content-type': { type: 'string', value: 'application/json' },
    },
    body: fromUtf8(JSON.stringify(payload)),
  });
}

export function encodeServerException(exceptionType: StreamExceptionType, message: string): Uint8Array {
  return codec.encode({
    headers: {
      ':message-type': { type: 'string', value: 'exception' },
      ':exception-type': { type: 'string', value: exceptionType },
      ':content-type': { type: 'string', value: 'application/json' },
    },
    body: fromUtf8(JSON.stringify({ Message: message })),
  });
}

export interface DecodedServerFrame {
  readonly messageType: 'event' | 'exception';
  /** `:event-type` or `:exception-type`. */
  readonly type: string;
  readonly payload: Record<string, unknown>;
}

/** Decodes what this emulator sends; for tests and tools. */
export function decodeServerFrame(bytes: Uint8Array): DecodedServerFrame {
  const message = decodeOrThrow(bytes, 'frame');
  const messageType = stringHeader(message.headers, ':message-type');
  if (messageType !== 'event' && messageType !== 'exception') {
    throw new MalformedFrameError(`Unsupported :message-type ${String(messageType)}`);
  }
  const type = stringHeader(message.headers, messageType === 'event' ? ':event-type' : ':exception-type') ?? '';
  return { messageType, type, payload: JSON.parse(toUtf8(message.body)) as Record<string, unknown> };
}

function decodeOrThrow(bytes: Uint8Array, what: string): Message {
  try {
    return codec.decode(bytes);
  } catch (err) {
    throw new MalformedFrameError(`The ${what} is not a valid event-stream message: ${(err as Error).message}`);
  }
}

function stringHeader(headers: MessageHeaders, name: string): string | undefined {
  const header = headers[name];
  return header?.type === 'string' ? header.value : undefined;
}
