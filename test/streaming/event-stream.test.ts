import { EventStreamCodec } from '@smithy/eventstream-codec';
import { fromUtf8, toUtf8 } from '@smithy/util-utf8';
import {
  decodeClientFrame,
  decodeServerFrame,
  encodeClientFrame,
  encodeServerEvent,
  encodeServerException,
  MalformedFrameError,
} from '../../local/emulators/streaming/event-stream';

const codec = new EventStreamCodec(toUtf8, fromUtf8);

describe('client frames', () => {
  test('a signed VideoEvent round-trips', () => {
    // GIVEN
    const date = new Date('2026-11-21T12:00:00.000Z');
    const payload = {
      VideoChunk: Buffer.from([0x1a, 0x45, 0xdf, 0xa3, 1, 2]).toString('base64'),
      TimestampMillis: 1234,
    };

    // WHEN
    const decoded = decodeClientFrame(encodeClientFrame('VideoEvent', payload, date));

    // THEN
    expect(decoded).toEqual({ eventType: 'VideoEvent', payload, date });
  });

  test('the envelope carries :date and :chunk-signature and wraps the event', () => {
    const outer = codec.decode(encodeClientFrame('ClientSessionInformationEvent', { Challenge: {} }));
    expect(outer.headers[':date']?.type).toBe('timestamp');
    expect(outer.headers[':chunk-signature']?.type).toBe('binary');
    const inner = codec.decode(outer.body);
    expect(inner.headers[':event-type']).toEqual({ type: 'string', value: 'ClientSessionInformationEvent' });
    expect(inner.headers[':message-type']).toEqual({ type: 'string', value: 'event' });
  });

  test('an unsigned event is refused', () => {
    const unsigned = encodeServerEvent('DisconnectionEvent', { TimestampMillis: 1 });
    expect(() => decodeClientFrame(unsigned)).toThrow(/:date/);
  });

  test('a corrupted frame fails its checksum', () => {
    const frame = encodeClientFrame('VideoEvent', { TimestampMillis: 1 });
    frame[frame.length - 10]! ^= 0xff;
    expect(() => decodeClientFrame(frame)).toThrow(MalformedFrameError);
  });

  test('random bytes are refused', () => {
    expect(() => decodeClientFrame(new Uint8Array([1, 2, 3, 4, 5]))).toThrow(MalformedFrameError);
  });

  test('an unknown event type is refused', () => {
    expect(() => decodeClientFrame(encodeClientFrame('AudioEvent', {}))).toThrow(/Unknown :event-type AudioEvent/);
  });

  test('a body that is not a JSON object is refused', () => {
    const inner = codec.encode({
      headers: {
        ':message-type': { type: 'string', value: 'event' },
        ':event-type': { type: 'string', value: 'VideoEvent' },
      },
      body: fromUtf8('not json'),
    });
    const outer = codec.encode({
      headers: {
        ':date': { type: 'timestamp', value: new Date() },
        ':chunk-signature': { type: 'binary', value: new Uint8Array([1]) },
      },
      body: inner,
    });
    expect(() => decodeClientFrame(outer)).toThrow(/not JSON/);
  });

  test('the signed end-of-stream marker (empty body) is refused', () => {
    const outer = codec.encode({
      headers: {
        ':date': { type: 'timestamp', value: new Date() },
        ':chunk-signature': { type: 'binary', value: new Uint8Array([1]) },
      },
      body: new Uint8Array(0),
    });
    expect(() => decodeClientFrame(outer)).toThrow(/end-of-stream/);
  });
});

describe('server frames', () => {
  test('an event round-trips with the headers the SDK unmarshaller reads', () => {
    const bytes = encodeServerEvent('DisconnectionEvent', { TimestampMillis: 42 });
    const message = codec.decode(bytes);
    expect(message.headers[':message-type']).toEqual({ type: 'string', value: 'event' });
    expect(message.headers[':event-type']).toEqual({ type: 'string', value: 'DisconnectionEvent' });
    expect(decodeServerFrame(bytes)).toEqual({
      messageType: 'event',
      type: 'DisconnectionEvent',
      payload: { TimestampMillis: 42 },
    });
  });

  test('an exception carries :exception-type and a Message body', () => {
    const bytes = encodeServerException('ValidationException', 'Session has already been used');
    expect(codec.decode(bytes).headers[':exception-type']).toEqual({ type: 'string', value: 'ValidationException' });
    expect(decodeServerFrame(bytes)).toEqual({
      messageType: 'exception',
      type: 'ValidationException',
      payload: { Message: 'Session has already been used' },
    });
  });
});
