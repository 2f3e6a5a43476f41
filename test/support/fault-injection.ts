/**
 * Crashes injected into a DynamoDB client: after the Nth write call has reached the store (whether
 * its condition held or not), the call throws as if the Lambda had died right there. Every crash
 * point of the write path is "after some write", so trying every N covers them all.
 */
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { InjectedCrash } from '../../support/recording-publisher.ts';

const WRITE_COMMANDS = new Set([
  'PutItemCommand', 'UpdateItemCommand', 'DeleteItemCommand', 'BatchWriteItemCommand', 'TransactWriteItemsCommand',
]);

export interface CrashSwitch {
  /** Crash after the nth write from now (1-based); 0 disarms. */
  armAfterWrites(n: number): void;
  /** Writes seen since the last arm. */
  readonly writes: number;
  /** True once the armed crash has fired (until re-armed). */
  readonly fired: boolean;
}

export const injectCrashes = (client: DynamoDBClient): CrashSwitch => {
  let target = 0;
  let writes = 0;
  let fired = false;
  client.middlewareStack.add(
    (next, context) => async (args) => {
      if (!WRITE_COMMANDS.has(context.commandName ?? '')) return next(args);
      let outcome: { ok: true; value: Awaited<ReturnType<typeof next>> } | { ok: false; error: unknown };
      try {
        outcome = { ok: true, value: await next(args) };
      } catch (error) {
        outcome = { ok: false, error };
      }
      writes += 1;
      if (target > 0 && writes === target) {
        fired = true;
        throw new InjectedCrash(`injected crash after write #${writes} (${context.commandName})`);
      }
      if (!outcome.ok) throw outcome.error;
      return outcome.value;
    },
    { step: 'initialize', name: 'injectCrashAfterNthWrite', override: true },
  );
  return {
    armAfterWrites(n: number) {
      target = n;
      writes = 0;
      fired = false;
    },
    get writes() {
      return writes;
    },
    get fired() {
      return fired;
    },
  };
};
