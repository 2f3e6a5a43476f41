/**
 * The scaffolding every Lambda entry is built with (functions/shared/lambda.ts): live deps built on
 * the first invocation and kept, a failed build not kept, the same middy stack around every
 * handler; and what SQS consumers share (functions/shared/sqs-batch.ts): bodies read against the
 * contracts, failures reported in the shape ReportBatchItemFailures reads.
 */
import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { DESK_SOURCE, TRACKER_SOURCE } from '../../events/common.ts';
import { POSITION_CHANGED } from '../../events/outbound/position-changed.v1.ts';
import { POSITIONS_CONVERGED, POSITIONS_DIVERGED } from '../../events/outbound/divergence-alert.v1.ts';
import { loadSeedSamples } from '../../local/seed/seed-files.ts';
import { lambdaHandler, type LambdaFunction } from '../../functions/shared/lambda.ts';
import type { Observability } from '../../functions/shared/observability.ts';
import { batchResponse, receiveEvent } from '../../functions/shared/sqs-batch.ts';
import { lambdaContext, sqsRecord, sqsRecordFromBody } from '../../support/sqs-events.ts';

const silent = { debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined, log: () => undefined, trace: () => undefined };

/** Powertools that print nothing, Powertools' own warnings included (no metrics from a failed build, say). */
const quietObservability = (): Observability => ({
  logger: new Logger({ serviceName: 'position-tracker', logLevel: 'SILENT' }),
  metrics: new Metrics({ serviceName: 'position-tracker', namespace: 'PositionTrackerTest', logger: silent }),
});

interface Deps {
  greeting: string;
  observability: Observability;
}

/** A handler that says which deps it was built with, and counts something so metrics have a line to publish. */
const createHandler = (deps: Deps): LambdaFunction<{ name: string }, string> => async ({ name }) => {
  deps.observability.metrics.addMetric('Greeted', MetricUnit.Count, 1);
  return `${deps.greeting}, ${name}`;
};

describe('lambdaHandler', () => {
  beforeEach(() => {
    vi.stubEnv('POWERTOOLS_METRICS_DISABLED', 'true');
  });
  afterEach(() => {
    vi.unstubAllEnvs();
  });

  it('builds nothing on import: the live deps are built on the first invocation, with the observability it runs under', async () => {
    // Prepare
    const observability = quietObservability();
    const liveDeps = vi.fn((given: Observability): Deps => ({ greeting: 'hello', observability: given }));

    // Act
    const handler = lambdaHandler(createHandler, liveDeps, observability);
    const builtBefore = liveDeps.mock.calls.length;
    const answer = await handler({ name: 'desk' }, lambdaContext('greeter'));

    // Assess
    expect(builtBefore).toBe(0);
    expect(answer).toBe('hello, desk');
    expect(liveDeps).toHaveBeenCalledWith(observability);
  });

  it('builds the live deps once per container, however many invocations and however concurrent', async () => {
    // Prepare
    const liveDeps = vi.fn(async (observability: Observability): Promise<Deps> => ({ greeting: 'hello', observability }));
    const handler = lambdaHandler(createHandler, liveDeps, quietObservability());

    // Act
    const answers = await Promise.all([handler({ name: 'a' }, lambdaContext()), handler({ name: 'b' }, lambdaContext())]);
    answers.push(await handler({ name: 'c' }, lambdaContext()));

    // Assess
    expect(answers).toEqual(['hello, a', 'hello, b', 'hello, c']);
    expect(liveDeps).toHaveBeenCalledTimes(1);
  });

  it('fails an invocation whose deps cannot be built with the reason, and builds them again on the next', async () => {
    // Prepare
    let settingPresent = false;
    const liveDeps = vi.fn((observability: Observability): Deps => {
      if (!settingPresent) throw new Error('invalid configuration: TRACKER_TABLE_NAME is not set');
      return { greeting: 'hello', observability };
    });
    const handler = lambdaHandler(createHandler, liveDeps, quietObservability());

    // Act
    const failed = handler({ name: 'a' }, lambdaContext());
    await expect(failed).rejects.toThrow('TRACKER_TABLE_NAME is not set');
    settingPresent = true;
    const answer = await handler({ name: 'b' }, lambdaContext());

    // Assess
    expect(answer).toBe('hello, b');
    expect(liveDeps).toHaveBeenCalledTimes(2);
  });

  it('runs every invocation with the Lambda context on the logger, asks for the ColdStart metric (Powertools emits it once), and flushes the metrics afterwards', async () => {
    // Prepare
    const observability = quietObservability();
    const addContext = vi.spyOn(observability.logger, 'addContext');
    const coldStart = vi.spyOn(observability.metrics, 'captureColdStartMetric');
    const publish = vi.spyOn(observability.metrics, 'publishStoredMetrics');
    const handler = lambdaHandler(createHandler, (given) => ({ greeting: 'hello', observability: given }), observability);
    const context = lambdaContext('greeter');

    // Act
    await handler({ name: 'a' }, context);
    const storedAfterFirst = observability.metrics.hasStoredMetrics();
    await handler({ name: 'b' }, lambdaContext('greeter'));

    // Assess
    expect(addContext).toHaveBeenCalledTimes(2);
    expect(addContext.mock.calls[0]?.[0]).toBe(context);
    expect(coldStart).toHaveBeenCalledTimes(2);
    expect(coldStart).toHaveBeenCalledWith('greeter');
    expect(publish).toHaveBeenCalledTimes(2);
    expect(storedAfterFirst).toBe(false);
  });

  it('flushes the metrics of an invocation that fails too', async () => {
    // Prepare
    const observability = quietObservability();
    const publish = vi.spyOn(observability.metrics, 'publishStoredMetrics');
    const failing = (): LambdaFunction<object, never> => async () => {
      observability.metrics.addMetric('Failed', MetricUnit.Count, 1);
      throw new Error('throttled');
    };
    const handler = lambdaHandler(failing, () => undefined, observability);

    // Act
    const invocation = handler({}, lambdaContext());

    // Assess
    await expect(invocation).rejects.toThrow('throttled');
    expect(publish).toHaveBeenCalledTimes(1);
    expect(observability.metrics.hasStoredMetrics()).toBe(false);
  });
});

describe('batchResponse', () => {
  it('lists each failed message as an itemIdentifier, in order, and nothing for a batch that succeeded', () => {
    expect(batchResponse(['m-2', 'm-5'])).toEqual({ batchItemFailures: [{ itemIdentifier: 'm-2' }, { itemIdentifier: 'm-5' }] });
    expect(batchResponse(new Set(['m-1']))).toEqual({ batchItemFailures: [{ itemIdentifier: 'm-1' }] });
    expect(batchResponse([])).toEqual({ batchItemFailures: [] });
  });
});

describe('receiveEvent', () => {
  const statement = loadSeedSamples()[0]!.event;
  const ALERTS = [POSITIONS_DIVERGED, POSITIONS_CONVERGED] as const;

  it('accepts a valid event of a detail-type it takes, typed by its contract', () => {
    // Act
    const received = receiveEvent(sqsRecord(statement).body, ['Statement Recorded']);

    // Assess
    expect(received.kind).toBe('accepted');
    if (received.kind !== 'accepted') return;
    expect(received.event.detailType).toBe('Statement Recorded');
    expect(received.event.source).toBe(statement.source);
  });

  it('calls a valid event of another detail-type other, naming it', () => {
    expect(receiveEvent(sqsRecord(statement).body, ALERTS)).toEqual({ kind: 'other', detailType: 'Statement Recorded' });
  });

  it('calls an event of another detail-type other even when it would not pass its own contract: that is not this consumer to judge', () => {
    // Prepare
    const brokenChange = sqsRecord({ source: TRACKER_SOURCE, 'detail-type': POSITION_CHANGED, detail: { schemaVersion: '1' } });
    const unknownType = sqsRecord({ source: DESK_SOURCE, 'detail-type': 'Lunch Ordered', detail: {} });

    // Act
    const results = [receiveEvent(brokenChange.body, ALERTS), receiveEvent(unknownType.body, ALERTS)];

    // Assess
    expect(results).toEqual([
      { kind: 'other', detailType: POSITION_CHANGED },
      { kind: 'other', detailType: 'Lunch Ordered' },
    ]);
  });

  it('rejects an event of a detail-type it takes that breaks the contract, naming the fields', () => {
    // Act
    const received = receiveEvent(sqsRecord({ source: TRACKER_SOURCE, 'detail-type': POSITION_CHANGED, detail: { schemaVersion: '1' } }).body, [POSITION_CHANGED]);

    // Assess
    expect(received.kind).toBe('invalid');
    if (received.kind !== 'invalid') return;
    expect(received.problems.map((problem) => problem.field)).toContain('detail.issue');
  });

  it('rejects a body that is not JSON, or names no detail-type, with the contract validation reasons', () => {
    expect(receiveEvent(sqsRecordFromBody('{not json').body, ALERTS)).toEqual({
      kind: 'invalid',
      problems: [{ field: 'event', reason: 'is a string that is not valid JSON' }],
    });
    expect(receiveEvent(JSON.stringify({ source: TRACKER_SOURCE, detail: {} }), ALERTS)).toMatchObject({
      kind: 'invalid',
      problems: [{ field: 'detail-type', reason: 'is required' }],
    });
  });
});
