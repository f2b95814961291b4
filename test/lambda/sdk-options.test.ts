/**
 * The options every handler client gets (lambda/shared/sdk-options.ts): the per-call savings they promise hold with
 * the real SDK (one middleware resolution per command type; no filtered log copies built for a logger that drops them).
 */
import { Readable } from 'node:stream';
import { DynamoDBClient, GetItemCommand } from '@aws-sdk/client-dynamodb';
import { SDK_LOGGER, sdkClientOptions } from '../../lambda/shared/sdk-options';

const settings = { region: 'us-east-1', sdkMaxAttempts: 2, sdkTimeoutMs: 1000 };

function clientAnswering(body: string) {
  return new DynamoDBClient({
    ...sdkClientOptions(settings, 'http://127.0.0.1:9'),
    credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'secret' },
    requestHandler: {
      handle: async () => ({
        response: {
          statusCode: 200,
          headers: { 'content-type': 'application/x-amz-json-1.0' },
          body: Readable.from([Buffer.from(body)]),
        },
      }),
    },
  });
}

const getItem = () => new GetItemCommand({ TableName: 't', Key: { pk: { S: 'SESSION#a' } } });

describe('sdkClientOptions', () => {
  it('resolves a command type’s middleware stack once, not on every call', async () => {
    const client = clientAnswering('{"Item":{"pk":{"S":"SESSION#a"}}}');
    const resolve = jest.spyOn(GetItemCommand.prototype, 'resolveMiddleware');
    try {
      for (let i = 0; i < 3; i++) expect((await client.send(getItem())).Item?.pk?.S).toBe('SESSION#a');
      expect(resolve).toHaveBeenCalledTimes(1);
    } finally {
      resolve.mockRestore();
      client.destroy();
    }
  });

  it('gives the SDK a logger without info, so its logger middleware builds no filtered copy of each call', async () => {
    expect('info' in SDK_LOGGER).toBe(false);
    const client = clientAnswering('{}');
    // The filter the logger middleware would call for info: the command's own, read from the handler context.
    const filtered = jest.fn((input: unknown) => input);
    client.middlewareStack.add(
      (next, context) => (args) => {
        context.inputFilterSensitiveLog = filtered;
        return next(args);
      },
      { step: 'initialize', priority: 'high', name: 'spyFilter' },
    );
    try {
      await client.send(getItem());
      expect(filtered).not.toHaveBeenCalled();
    } finally {
      client.destroy();
    }
  });
});
