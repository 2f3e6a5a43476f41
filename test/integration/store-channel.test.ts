/**
 * The runtime's in-process way to the embedded DynamoDB (local/store/store-channel.ts): the same
 * store, the same answers and errors as over its HTTP port, bytes kept, and a closed store failing
 * requests the way the SDK retries.
 */
import { ConditionalCheckFailedException, DynamoDBClient, GetItemCommand, PutItemCommand, QueryCommand } from '@aws-sdk/client-dynamodb';
import { afterEach, describe, expect, it } from 'vitest';
import { startDynaliteServer, type DynaliteServer } from '../../local/store/embedded-dynamodb.ts';
import { clientFor, createTrackerTable } from '../../support/dynalite.ts';

const opened: Array<{ server: DynaliteServer; clients: DynamoDBClient[] }> = [];

const openStore = async () => {
  const server = await startDynaliteServer({ thread: true });
  const overHttp = clientFor(server.endpoint);
  const inProcess = clientFor(server.endpoint, { requestHandler: server.requestHandler!, maxAttempts: 1 });
  opened.push({ server, clients: [overHttp, inProcess] });
  return { server, overHttp, inProcess, tableName: await createTrackerTable(inProcess) };
};

afterEach(async () => {
  for (const { server, clients } of opened.splice(0)) {
    for (const client of clients) client.destroy();
    await server.close();
  }
});

const QUOTE = 'قال بوتين: «لا قوات غربية في أوكرانيا» — ‏تصريح\u200f مع علامات';

describe('the store channel', () => {
  it('exists on a thread only', async () => {
    const here = await startDynaliteServer();
    try {
      expect(here.requestHandler).toBeUndefined();
    } finally {
      await here.close();
    }
  });

  it('reads and writes the same store as the HTTP port, Arabic byte-exact both ways', async () => {
    // Prepare
    const { overHttp, inProcess, tableName } = await openStore();

    // Act: written through the channel, read over HTTP, and the other way round.
    await inProcess.send(new PutItemCommand({ TableName: tableName, Item: { pk: { S: 'ISSUE#x' }, sk: { S: 'S#1' }, quote: { S: QUOTE } } }));
    await overHttp.send(new PutItemCommand({ TableName: tableName, Item: { pk: { S: 'ISSUE#x' }, sk: { S: 'S#2' }, quote: { S: `${QUOTE} 2` } } }));
    const overHttpRead = await overHttp.send(new GetItemCommand({ TableName: tableName, Key: { pk: { S: 'ISSUE#x' }, sk: { S: 'S#1' } }, ConsistentRead: true }));
    const { Items } = await inProcess.send(
      new QueryCommand({ TableName: tableName, KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': { S: 'ISSUE#x' } }, ConsistentRead: true }),
    );

    // Assess
    expect(Buffer.from(overHttpRead.Item?.['quote']?.S ?? '', 'utf8').equals(Buffer.from(QUOTE, 'utf8'))).toBe(true);
    expect(Items?.map((item) => item['quote']?.S)).toEqual([QUOTE, `${QUOTE} 2`]);
  });

  it("gives the store's errors as the SDK's exceptions, as over HTTP", async () => {
    // Prepare
    const { inProcess, tableName } = await openStore();
    const item = { pk: { S: 'ISSUE#x' }, sk: { S: 'S#1' } };
    await inProcess.send(new PutItemCommand({ TableName: tableName, Item: item }));

    // Act
    const [again, unknown] = await Promise.allSettled([
      inProcess.send(new PutItemCommand({ TableName: tableName, Item: item, ConditionExpression: 'attribute_not_exists(pk)' })),
      inProcess.send(new GetItemCommand({ TableName: 'no-such-table', Key: item })),
    ]);

    // Assess
    expect(again.status === 'rejected' && again.reason).toBeInstanceOf(ConditionalCheckFailedException);
    expect(unknown.status === 'rejected' && unknown.reason).toMatchObject({ name: 'ResourceNotFoundException', $metadata: { httpStatusCode: 400 } });
  });

  it('serves calls side by side, each its own answer', async () => {
    // Prepare
    const { inProcess, tableName } = await openStore();

    // Act
    await Promise.all(Array.from({ length: 40 }, (_, i) =>
      inProcess.send(new PutItemCommand({ TableName: tableName, Item: { pk: { S: 'ISSUE#x' }, sk: { S: `S#${String(i).padStart(2, '0')}` }, n: { N: String(i) } } }))));
    const read = await Promise.all(Array.from({ length: 40 }, (_, i) =>
      inProcess.send(new GetItemCommand({ TableName: tableName, Key: { pk: { S: 'ISSUE#x' }, sk: { S: `S#${String(i).padStart(2, '0')}` } }, ConsistentRead: true }))));

    // Assess
    expect(read.map(({ Item }) => Number(Item?.['n']?.N))).toEqual(Array.from({ length: 40 }, (_, i) => i));
  });

  it('fails requests to a closed store as a refused connection, which the SDK retries', async () => {
    // Prepare
    const { server, inProcess, tableName } = await openStore();
    await server.close();

    // Act
    const afterClose = inProcess.send(new GetItemCommand({ TableName: tableName, Key: { pk: { S: 'ISSUE#x' }, sk: { S: 'S#1' } } }));

    // Assess
    await expect(afterClose).rejects.toMatchObject({ code: 'ECONNREFUSED' });
  });

  it('gives up a request whose caller aborts it', async () => {
    // Prepare
    const { inProcess, tableName } = await openStore();
    const controller = new AbortController();

    // Act
    const call = inProcess.send(new GetItemCommand({ TableName: tableName, Key: { pk: { S: 'ISSUE#x' }, sk: { S: 'S#1' } } }), { abortSignal: controller.signal });
    controller.abort();

    // Assess
    await expect(call).rejects.toMatchObject({ name: 'AbortError' });
  });
});
