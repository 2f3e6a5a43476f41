/**
 * The statement processor's ports on one DynamoDB table: the tracker, registry and quarantine
 * repositories, with the publisher and clock the caller chooses. The deployed handler (EventBridge),
 * the local runtime (its bus) and the test and bench rigs (a recording publisher, a stepping clock)
 * all build them here, so they run the processor on the same adapters.
 */
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { Clock, EventPublisher } from '../application/ports.ts';
import type { ProcessorPorts } from '../application/process-batch.ts';
import { DynamoQuarantineRepository } from './dynamodb/quarantine.repository.ts';
import { DynamoRegistryRepository } from './dynamodb/registry.repository.ts';
import { DynamoTrackerRepository } from './dynamodb/tracker.repository.ts';

export interface ProcessorPortsOptions {
  client: DynamoDBClient;
  tableName: string;
  publisher: EventPublisher;
  /** @default the wall clock */
  clock?: Clock;
}

export const systemClock: Clock = { now: () => new Date().toISOString() };

export const processorPorts = ({ client, tableName, publisher, clock = systemClock }: ProcessorPortsOptions): ProcessorPorts => ({
  tracker: new DynamoTrackerRepository({ tableName, client }),
  // Registry versions are listed in the change feed at the processor's clock, like everything else it records.
  registry: new DynamoRegistryRepository({ tableName, client, now: () => clock.now() }),
  quarantine: new DynamoQuarantineRepository({ tableName, client }),
  publisher,
  clock,
});
