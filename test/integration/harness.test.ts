/**
 * The test harness itself: a table it creates can be used at once, and an SDK error in a failing
 * test reads as one line of facts rather than the HTTP socket behind it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DescribeTableCommand, GetItemCommand, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { startDynalite, type EmbeddedDynamo } from '../support/dynalite.ts';

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
