import { describe, expect, it } from 'vitest';
import { BatchLedger } from '../../../../functions/application/batch/ledger.ts';
import { ValidationError } from '../../../../functions/core/errors.ts';
import { KeptQuarantine, NOW, RememberingLogger, clock, message } from './fakes.ts';

const newLedger = () => {
  const quarantine = new KeptQuarantine();
  const log = new RememberingLogger();
  return { quarantine, log, ledger: new BatchLedger(quarantine, clock, log) };
};

describe('BatchLedger', () => {
  it('keeps a quarantined event with its body as received, its reason and its problems', async () => {
    // Prepare
    const { ledger, quarantine, log } = newLedger();
    const received = message('{"detail-type":"Statement Recorded","قائد":1}');

    // Act
    await ledger.quarantine(received, 'invalid-event', [{ field: 'detail.stance', reason: 'is required' }], 'Statement Recorded');

    // Assess
    expect(quarantine.kept).toEqual([{
      body: received.body, messageId: received.messageId, reason: 'invalid-event', receivedAt: NOW, detailType: 'Statement Recorded',
      problems: [{ field: 'detail.stance', reason: 'is required' }],
    }]);
    expect(ledger.report([received]).outcomes).toEqual([
      { messageId: received.messageId, status: 'quarantined', reason: 'invalid-event', problems: [{ field: 'detail.stance', reason: 'is required' }] },
    ]);
    expect(log.lines.map((l) => l.level)).toEqual(['warn']);
  });

  it('cuts a hostile field name and reason, never between the halves of a surrogate pair', async () => {
    // Prepare: a field of 255 letters and an emoji straddling the cut, a reason of 5,000 letters.
    const { ledger, quarantine } = newLedger();
    const field = `${'f'.repeat(255)}😀tail`;

    // Act
    await ledger.quarantine(message('{}'), 'invalid-event', [{ field, reason: 'r'.repeat(5_000) }]);

    // Assess
    const [problem] = quarantine.kept[0]!.problems;
    expect(problem!.field).toBe(`${'f'.repeat(255)}…`);
    expect(problem!.field.isWellFormed()).toBe(true);
    expect(problem!.reason).toBe(`${'r'.repeat(1_024)}…`);
    expect(quarantine.kept[0]).not.toHaveProperty('detailType');
  });

  it('fails the message back when the quarantine cannot be written: nothing is acknowledged without its reason', async () => {
    // Prepare
    const { ledger, quarantine, log } = newLedger();
    quarantine.failWith = new Error('ThrottlingException: rate exceeded');
    const received = message('{}');

    // Act
    await ledger.quarantine(received, 'invalid-event', [{ field: 'event', reason: 'x' }]);

    // Assess
    const report = ledger.report([received]);
    expect(report.failedMessageIds).toEqual([received.messageId]);
    expect(log.lines).toEqual([expect.objectContaining({ level: 'error', extra: expect.objectContaining({ while: 'quarantining', message: 'ThrottlingException: rate exceeded' }) })]);
  });

  it('quarantines what resolution throws: a ValidationError with its problems, anything else naming the detail, loudly', async () => {
    // Prepare
    const { ledger, quarantine, log } = newLedger();
    const invalid = message('{}');
    const buggy = message('{}');

    // Act
    await ledger.quarantineUnresolved(invalid, 'Actor Registered', new ValidationError([{ field: 'detail.updatedAt', reason: 'not storable' }]));
    await ledger.quarantineUnresolved(buggy, 'Statement Recorded', new TypeError('cannot read x'));

    // Assess
    expect(quarantine.kept.map((q) => [q.reason, q.problems])).toEqual([
      ['invalid-event', [{ field: 'detail.updatedAt', reason: 'not storable' }]],
      ['invalid-event', [{ field: 'detail', reason: 'could not be resolved (TypeError: cannot read x)' }]],
    ]);
    expect(log.lines.filter((l) => l.level === 'error').map((l) => l.message)).toEqual(['event could not be resolved; quarantined']);
  });

  it('reports outcomes in the order the messages came, with the failed ones to hand back, and counts them', async () => {
    // Prepare
    const { ledger } = newLedger();
    const [a, b, c] = [message('{}'), message('{}'), message('{}')];

    // Act
    ledger.fail(c!.messageId, new Error('network'));
    ledger.settle({ messageId: b!.messageId, status: 'registry', result: 'applied', kind: 'actor', id: 'italy' });
    await ledger.quarantine(a!, 'unknown-reference', []);
    const report = ledger.report([a!, b!, c!]);

    // Assess
    expect(report.outcomes.map((o) => [o.messageId, o.status])).toEqual([[a!.messageId, 'quarantined'], [b!.messageId, 'registry'], [c!.messageId, 'failed']]);
    expect(report.failedMessageIds).toEqual([c!.messageId]);
    expect(report.counts).toMatchObject({ received: 3, applied: 1, registry: 1, quarantined: 1, failed: 1 });
  });
});
