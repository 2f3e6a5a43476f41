/**
 * Nothing is lost silently: every queue has a dead-letter queue (or is one), every DLQ has an
 * alarm, and each consumer's queue and event source are sized for its function.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import {
  ARCHIVE_BATCH_SIZE, ARCHIVE_BATCHING_WINDOW, ARCHIVE_MAX_CONCURRENCY, PROCESSOR_BATCH_SIZE, PROCESSOR_MAX_CONCURRENCY,
} from '../../infra/constructs/processor.ts';
import { VISIBILITY_PER_TIMEOUT } from '../../infra/constructs/event-queue.ts';
import { LOCAL_ARCHIVE_BATCH } from '../../local/runtime/handlers.ts';
import { functionId, resourcesOf, synthTracker, type SynthesizedTracker } from './synth.ts';

type Ref = { 'Fn::GetAtt'?: [string, string]; Ref?: string };
const logicalIdOf = (ref: Ref): string => ref['Fn::GetAtt']?.[0] ?? ref.Ref ?? JSON.stringify(ref);

describe('queues and dead letters', () => {
  let synth: SynthesizedTracker;
  beforeAll(() => {
    synth = synthTracker({});
  });

  const queues = () => resourcesOf(synth.stateless, 'AWS::SQS::Queue');

  /** Queues something dead-letters into: through an SQS redrive policy or an EventBridge target. */
  const deadLetterQueueIds = (): Set<string> => {
    const ids = new Set<string>();
    for (const queue of Object.values(queues())) {
      const target = queue.Properties?.RedrivePolicy?.deadLetterTargetArn as Ref | undefined;
      if (target !== undefined) ids.add(logicalIdOf(target));
    }
    for (const rule of Object.values(resourcesOf(synth.stateless, 'AWS::Events::Rule'))) {
      for (const target of rule.Properties?.Targets as Array<{ DeadLetterConfig?: { Arn: Ref } }>) {
        if (target.DeadLetterConfig !== undefined) ids.add(logicalIdOf(target.DeadLetterConfig.Arn));
      }
    }
    return ids;
  };

  it('gives every queue a dead-letter queue, unless it is one', () => {
    const dlqs = deadLetterQueueIds();

    for (const [id, queue] of Object.entries(queues())) {
      if (dlqs.has(id)) continue;
      expect(queue.Properties?.RedrivePolicy, id).toMatchObject({ maxReceiveCount: 5 });
    }
    // Five consumer queues (the processor's two) with their DLQs, and seven rule-target DLQs (four rules feed the processor).
    expect(dlqs.size).toBe(12);
    expect(Object.keys(queues())).toHaveLength(17);
  });

  it('encrypts every queue and refuses plain-HTTP access to it', () => {
    const policies = Object.values(resourcesOf(synth.stateless, 'AWS::SQS::QueuePolicy'));

    for (const [id, queue] of Object.entries(queues())) {
      expect(queue.Properties?.SqsManagedSseEnabled === true || queue.Properties?.KmsMasterKeyId !== undefined, id).toBe(true);
      const denyInsecure = policies.some(
        (policy) =>
          (policy.Properties?.Queues as Ref[]).some((q) => logicalIdOf(q) === id) &&
          (policy.Properties?.PolicyDocument.Statement as Array<Record<string, any>>).some(
            (s) => s.Effect === 'Deny' && s.Condition?.Bool?.['aws:SecureTransport'] === 'false',
          ),
      );
      expect(denyInsecure, `${id} enforces TLS`).toBe(true);
    }
  });

  it('alarms on every dead-letter queue', () => {
    const alarmedQueues = new Set(
      Object.values(resourcesOf(synth.stateless, 'AWS::CloudWatch::Alarm'))
        .filter((alarm) => alarm.Properties?.MetricName === 'ApproximateNumberOfMessagesVisible')
        .map((alarm) => logicalIdOf((alarm.Properties?.Dimensions as Array<{ Value: Ref }>)[0]!.Value)),
    );

    for (const dlq of deadLetterQueueIds()) expect(alarmedQueues, dlq).toContain(dlq);
  });

  it('sizes each consumer queue for its function: visibility at least six times the timeout', () => {
    const functions = resourcesOf(synth.stateless, 'AWS::Lambda::Function');
    const mappings = Object.values(resourcesOf(synth.stateless, 'AWS::Lambda::EventSourceMapping'));

    expect(mappings).toHaveLength(5);
    for (const mapping of mappings) {
      const queue = queues()[logicalIdOf(mapping.Properties?.EventSourceArn as Ref)]!;
      const fn = functions[logicalIdOf(mapping.Properties?.FunctionName as Ref)]!;
      const window = (mapping.Properties?.MaximumBatchingWindowInSeconds as number | undefined) ?? 0;
      expect(queue.Properties?.VisibilityTimeout).toBeGreaterThanOrEqual(VISIBILITY_PER_TIMEOUT * fn.Properties?.Timeout + window);
      expect(mapping.Properties?.FunctionResponseTypes).toEqual(['ReportBatchItemFailures']);
    }
  });

  it('feeds the processor batches of ten, reporting item failures, with bounded concurrency', () => {
    const processor = functionId(synth.stateless, 'ProcessorFunction');
    const mappings = Object.values(resourcesOf(synth.stateless, 'AWS::Lambda::EventSourceMapping'))
      .filter((mapping) => logicalIdOf(mapping.Properties?.FunctionName as Ref) === processor)
      .map((mapping): Record<string, unknown> & { queue: string } => ({ queue: logicalIdOf(mapping.Properties?.EventSourceArn as Ref), ...mapping.Properties }));

    // The live queue: batches of ten, handed over as they come (no batching window), so an alert waits for nothing.
    const live = mappings.find((mapping) => mapping.queue.startsWith('ProcessorQueue'));
    expect(live).toMatchObject({ BatchSize: PROCESSOR_BATCH_SIZE, FunctionResponseTypes: ['ReportBatchItemFailures'], ScalingConfig: { MaximumConcurrency: PROCESSOR_MAX_CONCURRENCY } });
    expect(live?.MaximumBatchingWindowInSeconds).toBeUndefined();
    // The archive queue (back-fills): batches of a hundred gathered for up to two seconds, two at a time.
    expect(mappings.find((mapping) => mapping.queue.startsWith('ProcessorArchiveQueue'))).toMatchObject({
      BatchSize: ARCHIVE_BATCH_SIZE,
      MaximumBatchingWindowInSeconds: ARCHIVE_BATCHING_WINDOW.toSeconds(),
      FunctionResponseTypes: ['ReportBatchItemFailures'],
      ScalingConfig: { MaximumConcurrency: ARCHIVE_MAX_CONCURRENCY },
    });
    expect(mappings).toHaveLength(2);
    // The local runtime's archive queue batches as the deployed one does.
    expect(LOCAL_ARCHIVE_BATCH).toEqual({ size: ARCHIVE_BATCH_SIZE, windowMs: ARCHIVE_BATCHING_WINDOW.toMilliseconds() });
    // The limit is the event source's maxConcurrency, not a reservation that would throttle.
    expect(resourcesOf(synth.stateless, 'AWS::Lambda::Function')[processor]!.Properties?.ReservedConcurrentExecutions).toBeUndefined();
  });

  it('alarms on processor errors, on its backlog and on events the processor failed to publish', () => {
    const alarms = Object.values(resourcesOf(synth.stateless, 'AWS::CloudWatch::Alarm')).map((a) => a.Properties!);
    const processor = functionId(synth.stateless, 'ProcessorFunction');

    expect(alarms.some((a) => a.MetricName === 'Errors' && JSON.stringify(a.Dimensions).includes(processor))).toBe(true);
    expect(alarms.some((a) => a.MetricName === 'ApproximateAgeOfOldestMessage' && a.Threshold === 300)).toBe(true);
    expect(
      alarms.some(
        (a) =>
          a.MetricName === 'PutEventsFailed' &&
          a.Namespace === synth.config.metricsNamespace &&
          JSON.stringify(a.Dimensions) === JSON.stringify([{ Name: 'service', Value: 'position-tracker' }]),
      ),
    ).toBe(true);
    const deliveryAlarms = alarms.filter((a) => JSON.stringify(a.Metrics ?? []).includes('FailedInvocations'));
    expect(deliveryAlarms).toHaveLength(7);
  });

  it('sends every alarm to the encrypted ops topic', () => {
    const opsTopic = Object.entries(resourcesOf(synth.stateless, 'AWS::SNS::Topic')).find(([id]) => id.startsWith('ObservabilityOpsTopic'))!;

    for (const [id, alarm] of Object.entries(resourcesOf(synth.stateless, 'AWS::CloudWatch::Alarm'))) {
      expect(alarm.Properties?.AlarmActions, id).toEqual([{ Ref: opsTopic[0] }]);
    }
    expect(opsTopic[1].Properties?.KmsMasterKeyId).toBeDefined();
  });
});
