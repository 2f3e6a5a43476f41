/**
 * The test harness itself: a table it creates can be used at once, and an SDK error in a failing
 * test reads as one line of facts rather than the HTTP socket behind it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DescribeTableCommand, GetItemCommand, PutItemCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { clientFor, startDynalite, type EmbeddedDynamo } from '../../support/dynalite.ts';
import { startDynaliteServer, startEmbeddedDynamoDb } from '../../local/store/embedded-dynamodb.ts';

describe('a store that takes its time to activate a new table', () => {
  let store: EmbeddedDynamo;
  beforeAll(async () => {
    // Prepare: dynalite keeps each new table CREATING for 300 ms, as a loaded machine may.
    store = await startDynalite({ createTableMs: 300 });
  });
  afterAll(async () => {
    await store.stop();
  });

  it('hands out the table only once it and its index are ACTIVE, so the first write succeeds', async () => {
    // Act
    const tableName = await store.createTable();
    await store.client.send(new PutItemCommand({ TableName: tableName, Item: { pk: { S: 'ISSUE#x' }, sk: { S: 'POS#a' } } }));

    // Assess
    const { Table } = await store.client.send(new DescribeTableCommand({ TableName: tableName }));
    expect(Table?.TableStatus).toBe('ACTIVE');
    expect((Table?.GlobalSecondaryIndexes ?? []).map((index) => index.IndexStatus)).not.toContain('CREATING');
  });

  it('refuses to hand out a table name that is already taken', async () => {
    const tableName = await store.createTable();
    await expect(store.createTable(tableName)).rejects.toThrow(/already exists/);
  });
});

describe('an SDK error in a failing test', () => {
  let store: EmbeddedDynamo;
  beforeAll(async () => {
    store = await startDynalite();
  });
  afterAll(async () => {
    await store.stop();
  });

  it('serialises to its name, message, status and request id, without the HTTP response', async () => {
    // Act
    const error = await store.client
      .send(new GetItemCommand({ TableName: 'tracker-missing', Key: { pk: { S: 'a' }, sk: { S: 'b' } } }))
      .then(() => undefined, (thrown: unknown) => thrown);

    // Assess: what Vitest prints is the error's JSON.
    const printed = JSON.parse(JSON.stringify(error)) as Record<string, unknown>;
    expect(printed).toMatchObject({ name: 'ResourceNotFoundException', httpStatusCode: 400 });
    expect(printed['requestId']).toMatch(/^[A-Z0-9]{20,}$/);
    // The default reporter prints only name, message and stack: the request id must be in the message.
    expect(printed['message']).toBe(`Requested resource not found (HTTP 400, request id ${String(printed['requestId'])}, 1 attempt(s))`);
    expect(Object.keys(printed)).not.toContain('$response');
    expect(JSON.stringify(printed).length).toBeLessThan(4_000);
  });
});

describe('the one embedded DynamoDB, on the caller\'s event loop or on a thread of its own', () => {
  const roundTrip = async (client: DynamoDBClient, tableName: string): Promise<string | undefined> => {
    await client.send(new PutItemCommand({ TableName: tableName, Item: { pk: { S: 'ISSUE#x' }, sk: { S: 'S#POS#a' }, quote: { S: 'قائد الكرملين' } } }));
    const { Item } = await client.send(new GetItemCommand({ TableName: tableName, Key: { pk: { S: 'ISSUE#x' }, sk: { S: 'S#POS#a' } }, ConsistentRead: true }));
    return Item?.['quote']?.S;
  };

  it.each([false, true])('serves the tracker table over HTTP with thread: %s, and frees its port on close', async (thread) => {
    // Prepare
    const store = await startDynalite({ thread });
    const tableName = await store.createTable();

    // Act, Assess: Arabic comes back byte-exact.
    expect(await roundTrip(store.client, tableName)).toBe('قائد الكرملين');
    const port = Number(new URL(store.endpoint).port);
    await store.stop();

    // Assess: the port is free again; a server may listen on it at once.
    const again = await startDynaliteServer({ port, thread });
    expect(again.port).toBe(port);
    await again.close();
  });

  it('refuses a port in use with the error code kept, on a thread as on the caller\'s loop', async () => {
    const taken = await startDynaliteServer();
    try {
      await expect(startDynaliteServer({ port: taken.port })).rejects.toMatchObject({ code: 'EADDRINUSE' });
      await expect(startDynaliteServer({ port: taken.port, thread: true })).rejects.toMatchObject({ code: 'EADDRINUSE' });
    } finally {
      await taken.close();
    }
  });

  it('closes once however many times it is asked', async () => {
    const server = await startDynaliteServer({ thread: true });
    await Promise.all([server.close(), server.close()]);
    await server.close();
  });
});

describe('the local runtime\'s store (startEmbeddedDynamoDb)', () => {
  const KEY = { pk: { S: 'ISSUE#x' }, sk: { S: 'S#POS#a' } };
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'tracker-store-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('creates the table once, keeps the data in its directory across restarts, and locks the directory while it runs', async () => {
    // Prepare: a first run writes.
    const dataDir = join(dir, 'dynamodb');
    const first = await startEmbeddedDynamoDb({ tableName: 'tracker-local', port: 0, dataDir });
    const writer = clientFor(first.endpoint);
    await writer.send(new PutItemCommand({ TableName: 'tracker-local', Item: { ...KEY, quote: { S: 'ميلوني' } } }));
    writer.destroy();

    // Assess: a second store on the same directory is refused while the first runs.
    expect(first.table).toBe('created');
    expect(await readFile(join(dataDir, 'dynalite.pid'), 'utf8')).toBe(`${process.pid}\n`);
    await expect(startEmbeddedDynamoDb({ tableName: 'tracker-local', port: 0, dataDir })).rejects.toThrow(/is in use by another process/);
    await first.close();

    // Act: a restart reads what the first run wrote.
    const second = await startEmbeddedDynamoDb({ tableName: 'tracker-local', port: 0, dataDir });
    const reader = clientFor(second.endpoint);
    try {
      const { Item } = await reader.send(new GetItemCommand({ TableName: 'tracker-local', Key: KEY, ConsistentRead: true }));

      // Assess
      expect(second.table).toBe('existing');
      expect(Item?.['quote']?.S).toBe('ميلوني');
    } finally {
      reader.destroy();
      await second.close();
    }
  });

  it('names the flag to use when its port is taken', async () => {
    const taken = await startDynaliteServer();
    try {
      await expect(startEmbeddedDynamoDb({ tableName: 'tracker-local', port: taken.port })).rejects.toThrow(
        `the embedded DynamoDB cannot listen on 127.0.0.1:${taken.port}: the port is in use (choose another with --dynamodb-port, or 0 for any)`,
      );
    } finally {
      await taken.close();
    }
  });
});
