/**
 * Capacity accounting on a DynamoDB client. Every call asks for ReturnConsumedCapacity TOTAL and
 * what the store reports is summed (`reported`). dynalite reports it, but sizes strings in UTF-16
 * code units where DynamoDB counts UTF-8 bytes (an Arabic quote of 1 KB is ~560 code units), and
 * it leaves out index copies; so the meter also sizes items itself, by DynamoDB's rules
 * (`billed`): reads from the items returned, puts from the item written (or what the store
 * reported, if more; each item of a BatchWriteItem as if written alone), an index copy for items carrying gsi1 keys (projection ALL), and one unit
 * for a write refused by its condition (DynamoDB bills those; every conditional write of the
 * tracker targets a small item).
 */
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';

const READS = new Set(['GetItemCommand', 'BatchGetItemCommand', 'QueryCommand', 'ScanCommand']);
const WRITES = new Set(['PutItemCommand', 'UpdateItemCommand', 'DeleteItemCommand', 'BatchWriteItemCommand']);
/** DocumentClient commands carry their own names (and plain values); they map onto the same operations. */
const DOCUMENT_NAMES: Record<string, string> = {
  GetCommand: 'GetItemCommand', BatchGetCommand: 'BatchGetItemCommand', QueryCommand: 'QueryCommand', ScanCommand: 'ScanCommand',
  PutCommand: 'PutItemCommand', UpdateCommand: 'UpdateItemCommand', DeleteCommand: 'DeleteItemCommand', BatchWriteCommand: 'BatchWriteItemCommand',
};

export interface Units {
  read: number;
  write: number;
}

export interface CapacityTotals {
  /** As the store reported it. */
  reported: Units;
  /** As DynamoDB would bill it (see above). */
  billed: Units;
  /** Of billed.write: index copies, and refused conditional writes. */
  indexWriteUnits: number;
  refusedWriteUnits: number;
  calls: number;
  /** Calls by operation (PutItemCommand, BatchWriteItemCommand, ...). */
  byOperation: Record<string, number>;
  /** Calls whose response carried ConsumedCapacity: the store does report it. */
  reportedCalls: number;
}

export interface CapacityMeter {
  reset(): void;
  snapshot(): CapacityTotals;
}

const empty = (): CapacityTotals => ({
  reported: { read: 0, write: 0 }, billed: { read: 0, write: 0 }, indexWriteUnits: 0, refusedWriteUnits: 0, calls: 0, byOperation: {}, reportedCalls: 0,
});

const utf8 = (text: string): number => Buffer.byteLength(text, 'utf8');

const numberSize = (value: string): number => {
  const digits = value.replace(/^-/, '').replace('.', '').replace(/^0+/, '').replace(/e.*$/i, '');
  return Math.ceil(Math.max(digits.length, 1) / 2) + 1;
};

/** Size of a value in DynamoDB's accounting, from a plain (DocumentClient) value. */
const plainSize = (value: unknown): number => {
  if (value === null || value === undefined || typeof value === 'boolean') return 1;
  if (typeof value === 'string') return utf8(value);
  if (typeof value === 'number' || typeof value === 'bigint') return numberSize(String(value));
  if (value instanceof Uint8Array) return value.byteLength;
  if (value instanceof Set) return [...value].reduce((sum: number, v) => sum + plainSize(v), 0);
  if (Array.isArray(value)) return 3 + value.reduce((sum: number, v) => sum + 1 + plainSize(v), 0);
  return 3 + Object.entries(value as Record<string, unknown>).reduce((sum, [k, v]) => sum + 1 + utf8(k) + plainSize(v), 0);
};

/** Size of a value from its wire form ({ S }, { N }, { M }, ...). */
const wireSize = (value: Record<string, unknown>): number => {
  const [type, inner] = Object.entries(value)[0] ?? ['NULL', true];
  switch (type) {
    case 'S': return utf8(inner as string);
    case 'N': return numberSize(inner as string);
    case 'B': return (inner as Uint8Array).byteLength;
    case 'BOOL': case 'NULL': return 1;
    case 'SS': return (inner as string[]).reduce((sum, v) => sum + utf8(v), 0);
    case 'NS': return (inner as string[]).reduce((sum, v) => sum + numberSize(v), 0);
    case 'L': return 3 + (inner as Array<Record<string, unknown>>).reduce((sum, v) => sum + 1 + wireSize(v), 0);
    case 'M': return 3 + Object.entries(inner as Record<string, Record<string, unknown>>).reduce((sum, [k, v]) => sum + 1 + utf8(k) + wireSize(v), 0);
    default: return 0;
  }
};

const WIRE_TYPES = new Set(['S', 'N', 'B', 'BOOL', 'NULL', 'SS', 'NS', 'BS', 'L', 'M']);

/** Whether the item is in wire form: the middleware may sit outside or inside the DocumentClient's marshalling. */
const isWire = (item: Record<string, unknown>): boolean =>
  Object.values(item).every((value) => {
    if (value === null || typeof value !== 'object' || Array.isArray(value) || value instanceof Set) return false;
    const keys = Object.keys(value);
    return keys.length === 1 && WIRE_TYPES.has(keys[0] as string);
  });

export const itemSize = (item: Record<string, unknown>, wire = isWire(item)): number =>
  Object.entries(item).reduce(
    (sum, [name, value]) => sum + utf8(name) + (wire ? wireSize(value as Record<string, unknown>) : plainSize(value)),
    0,
  );

const unitsOf = (consumed: unknown): number => {
  if (Array.isArray(consumed)) return consumed.reduce((sum: number, c) => sum + unitsOf(c), 0);
  const units = (consumed as { CapacityUnits?: number } | undefined)?.CapacityUnits;
  return typeof units === 'number' ? units : 0;
};

const readUnits = (name: string, output: Record<string, unknown>, consistent: boolean): number => {
  const factor = consistent ? 1 : 0.5;
  if (name === 'GetItemCommand') {
    const item = output['Item'] as Record<string, unknown> | undefined;
    return Math.max(1, Math.ceil((item ? itemSize(item) : 0) / 4096)) * factor;
  }
  if (name === 'BatchGetItemCommand') {
    const responses = Object.values((output['Responses'] ?? {}) as Record<string, Array<Record<string, unknown>>>).flat();
    return responses.reduce((sum, item) => sum + Math.ceil(itemSize(item) / 4096) * factor, 0);
  }
  const items = (output['Items'] ?? []) as Array<Record<string, unknown>>;
  const bytes = items.reduce((sum, item) => sum + itemSize(item), 0);
  return Math.max(1, Math.ceil(bytes / 4096)) * factor;
};

/** A single-item write: the item's size (or what the store reported, for updates and deletes), and as much again for its gsi1 copy. */
const itemWriteUnits = (item: Record<string, unknown> | undefined, reported: number): { table: number; index: number } => {
  const units = item ? Math.max(reported, Math.ceil(itemSize(item) / 1024)) : reported;
  return { table: units, index: item !== undefined && 'gsi1pk' in item ? units : 0 };
};

/** BatchWriteItem is billed per item as if each were written alone (unprocessed items, which dynalite never leaves, aside). */
const batchWriteUnits = (input: Record<string, unknown>): { table: number; index: number } => {
  const requests = Object.values((input['RequestItems'] ?? {}) as Record<string, Array<{ PutRequest?: { Item?: Record<string, unknown> } }>>).flat();
  return requests.reduce((sum, request) => {
    const units = itemWriteUnits(request.PutRequest?.Item, 1);
    return { table: sum.table + units.table, index: sum.index + units.index };
  }, { table: 0, index: 0 });
};

export const meterCapacity = (client: DynamoDBClient): CapacityMeter => {
  let totals = empty();
  client.middlewareStack.add(
    (next, context) => async (args) => {
      const name = DOCUMENT_NAMES[context.commandName ?? ''] ?? context.commandName ?? '';
      const isRead = READS.has(name);
      const isWrite = WRITES.has(name);
      if (!isRead && !isWrite) return next(args);
      const input = args.input as Record<string, unknown>;
      input['ReturnConsumedCapacity'] = 'TOTAL';
      totals.calls += 1;
      totals.byOperation[name] = (totals.byOperation[name] ?? 0) + 1;
      try {
        const result = await next(args);
        const output = result.output as unknown as Record<string, unknown>;
        const consumed = output['ConsumedCapacity'];
        if (consumed !== undefined) totals.reportedCalls += 1;
        const reported = unitsOf(consumed);
        if (isRead) {
          totals.reported.read += reported;
          const consistent = name === 'BatchGetItemCommand'
            ? Object.values((input['RequestItems'] ?? {}) as Record<string, { ConsistentRead?: boolean }>).some((r) => r.ConsistentRead === true)
            : input['ConsistentRead'] === true;
          totals.billed.read += readUnits(name, output, consistent);
        } else {
          totals.reported.write += reported;
          const billed = name === 'BatchWriteItemCommand' ? batchWriteUnits(input) : itemWriteUnits(input['Item'] as Record<string, unknown> | undefined, reported);
          totals.billed.write += billed.table + billed.index;
          totals.indexWriteUnits += billed.index;
        }
        return result;
      } catch (error) {
        if (isWrite && (error as Error).name === 'ConditionalCheckFailedException') {
          totals.billed.write += 1;
          totals.refusedWriteUnits += 1;
        }
        throw error;
      }
    },
    { step: 'initialize', name: 'meterConsumedCapacity', override: true },
  );
  return {
    reset() {
      totals = empty();
    },
    snapshot() {
      return structuredClone(totals);
    },
  };
};
