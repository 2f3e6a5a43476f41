import { describe, expect, it } from 'vitest';
import { countOutcomes, type MessageOutcome } from '../../functions/application/process-batch.ts';
import type { RecordOutcome } from '../../functions/application/record-statement.ts';
import { createEventFates, isSettled } from '../../local/delivery/event-fates.ts';

const body = (id: string, detailType = 'Statement Recorded'): string => JSON.stringify({ id, source: 'newsroom.desk', 'detail-type': detailType, detail: {} });

const recorded = (statementId: string, history: 'recorded' | 'duplicate'): RecordOutcome => ({
  statementId, issue: 'western-troops-in-ukraine', actor: 'russia', history, position: 'current', late: false, replayed: false, rounds: 1,
  alerts: { opened: 0, closed: 0, withdrawn: 0, reinstated: 0 }, published: 1,
});

const report = (outcomes: MessageOutcome[]) => ({ outcomes, failedMessageIds: [], counts: countOutcomes(outcomes) });

describe('event fates (what became of each inbound event, by its EventBridge id)', () => {
  it('follows each event from the processor\'s report: applied, duplicate, quarantined with its problems', () => {
    // Prepare
    const fates = createEventFates();
    fates.received('m1', body('e1'));
    fates.received('m2', body('e2'));
    fates.received('m3', body('e3'));
    fates.received('m4', body('e4', 'Actor Registered'));

    // Act
    fates.reported(report([
      { messageId: 'm1', status: 'statement', result: recorded('s1', 'recorded') },
      { messageId: 'm2', status: 'statement', result: recorded('s1', 'duplicate') },
      { messageId: 'm3', status: 'quarantined', reason: 'invalid-event', problems: [{ field: 'detail.stance', reason: 'must be between -2 (reject) and +2 (commit)' }] },
      { messageId: 'm4', status: 'registry', result: 'stale', kind: 'actor', id: 'russia' },
    ]));

    // Assess
    expect(fates.fateOf('e1')).toEqual({ status: 'applied', detailType: 'Statement Recorded', id: 's1' });
    expect(fates.fateOf('e2')).toEqual({ status: 'duplicate', detailType: 'Statement Recorded', id: 's1' });
    expect(fates.fateOf('e3')).toEqual({
      status: 'quarantined', detailType: 'Statement Recorded', reason: 'invalid-event',
      problems: [{ field: 'detail.stance', reason: 'must be between -2 (reject) and +2 (commit)' }],
    });
    expect(fates.fateOf('e4')).toEqual({ status: 'duplicate', detailType: 'Actor Registered', id: 'russia' });
    expect(fates.fateOf('never-sent')).toBeUndefined();
  });

  it('is retrying, not settled, while the processor fails an event, and dead-lettered at the end', () => {
    // Prepare
    const fates = createEventFates();
    fates.received('m1', body('e1'));

    // Act
    fates.reported(report([{ messageId: 'm1', status: 'failed', error: new Error('throttled') }]));
    const retrying = fates.fateOf('e1');
    fates.deadLettered({ messageId: 'm1', queue: 'processor', rule: 'r', body: body('e1'), receiveCount: 5, sentAt: '', deadLetteredAt: '', reason: 'Error: throttled' });

    // Assess
    expect(retrying).toEqual({ status: 'retrying', reason: 'Error: throttled' });
    expect(isSettled(retrying)).toBe(false);
    expect(fates.fateOf('e1')).toEqual({ status: 'dead-lettered', queue: 'processor', reason: 'Error: throttled' });
    expect(isSettled(fates.fateOf('e1'))).toBe(true);
  });

  it('forgets the oldest events beyond its limit', () => {
    // Prepare
    const fates = createEventFates(2);

    // Act
    for (const n of [1, 2, 3]) {
      fates.received(`m${n}`, body(`e${n}`));
      fates.reported(report([{ messageId: `m${n}`, status: 'statement', result: recorded(`s${n}`, 'recorded') }]));
    }

    // Assess
    expect(fates.fateOf('e1')).toBeUndefined();
    expect(fates.fateOf('e3')).toMatchObject({ status: 'applied' });
  });
});
