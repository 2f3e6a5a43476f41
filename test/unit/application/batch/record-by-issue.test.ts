import { describe, expect, it } from 'vitest';
import { BatchLedger } from '../../../../functions/application/batch/ledger.ts';
import { recordByIssue, type StatementRecorder } from '../../../../functions/application/batch/record-by-issue.ts';
import type { RecordOutcome, WrittenStatement } from '../../../../functions/application/record-statement.ts';
import type { Registry } from '../../../../functions/core/types.ts';
import { ConflictingIdError } from '../../../../functions/core/errors.ts';
import type { StatementRecord } from '../../../../functions/core/types.ts';
import { KeptQuarantine, MemoryRegistry, RememberingLogger, clock, message } from './fakes.ts';

const statement = (statementId: string, issue: string, saidAt: string): StatementRecord => ({
  statementId, kind: 'stance-change', actor: 'germany', issue, stance: 1, hedged: false, reason: 'r', saidAt,
  source: { outlet: 'o' }, recordedBy: 'desk',
});

const outcome = (s: StatementRecord): RecordOutcome => ({
  statementId: s.statementId, issue: s.issue, actor: s.actor, history: 'recorded', position: 'current', late: false, replayed: false, rounds: 1,
  alerts: { opened: 0, closed: 0, withdrawn: 0, reinstated: 0 }, published: 1,
});

type RecordOne = (statement: StatementRecord, registry: Registry) => Promise<RecordOutcome>;

/** A recorder whose statements are all in order (current for their actor): each settles alone, through `record`. */
const inOrder = (record: RecordOne, overrides: Partial<StatementRecorder> = {}): StatementRecorder => ({
  claim: async () => ({ revised: false, first: false }),
  recordNew: async () => {
    throw new Error('no claim here is first');
  },
  rewriteRevised: async () => {
    throw new Error('no claim here was revised meanwhile');
  },
  write: async (statement) => ({ statement, history: 'recorded', advance: { write: 'current' } }),
  quiet: () => undefined,
  recordQuiet: async () => {
    throw new Error('no statement here is quiet');
  },
  settle: (written, registry) => record(written.statement, registry),
  settleLate: async () => {
    throw new Error('no statement here is late');
  },
  ...overrides,
});

const setUp = (statements: StatementRecord[]) => {
  const quarantine = new KeptQuarantine();
  const ledger = new BatchLedger(quarantine, clock, new RememberingLogger());
  const resolved = statements.map((s) => ({ message: message({}), statement: s }));
  return { quarantine, ledger, resolved, messages: resolved.map((r) => r.message), registry: new MemoryRegistry().registry };
};

describe('recordByIssue', () => {
  it('records each issue in said order, issues side by side, never more at once than the limit', async () => {
    // Prepare: three issues, delivered out of said order.
    const statements = [
      statement('a2', 'a', '2025-09-02T00:00:00.000Z'), statement('b1', 'b', '2025-09-01T00:00:00.000Z'),
      statement('a1', 'a', '2025-09-01T00:00:00.000Z'), statement('c1', 'c', '2025-09-01T00:00:00.000Z'),
    ];
    const { ledger, resolved, messages, registry } = setUp(statements);
    const order: string[] = [];
    let inFlight = 0;
    let most = 0;
    const record: RecordOne = async (s, given) => {
      expect(given).toBe(registry);
      inFlight += 1;
      most = Math.max(most, inFlight);
      await new Promise((resolve) => setTimeout(resolve, 5));
      order.push(s.statementId);
      inFlight -= 1;
      return outcome(s);
    };

    // Act
    await recordByIssue({ registry, statements: resolved }, inOrder(record), 2, ledger);

    // Assess
    expect(order.filter((id) => id.startsWith('a'))).toEqual(['a1', 'a2']);
    expect(most).toBe(2);
    expect(ledger.report(messages).counts).toMatchObject({ applied: 4, failed: 0 });
  });

  it('quarantines a reused id with other content as conflicting-id, fails back what broke, and records the rest', async () => {
    // Prepare
    const statements = [
      statement('taken', 'a', '2025-09-01T00:00:00.000Z'), statement('broken', 'a', '2025-09-02T00:00:00.000Z'), statement('fine', 'a', '2025-09-03T00:00:00.000Z'),
    ];
    const { ledger, quarantine, resolved, messages, registry } = setUp(statements);
    const record: RecordOne = async (s) => {
      if (s.statementId === 'broken') throw new Error('ThrottlingException');
      return outcome(s);
    };
    const claim: StatementRecorder['claim'] = async (s) => {
      if (s.statementId === 'taken') throw new ConflictingIdError('taken', [{ field: 'detail.stance', reason: 'differs' }]);
      return { revised: false, first: false };
    };

    // Act
    await recordByIssue({ registry, statements: resolved }, inOrder(record, { claim }), 4, ledger);

    // Assess
    expect(quarantine.kept.map((q) => [q.messageId, q.reason, q.detailType])).toEqual([[messages[0]!.messageId, 'conflicting-id', 'Stance Changed']]);
    expect(ledger.report(messages).outcomes.map((o) => o.status)).toEqual(['quarantined', 'failed', 'statement']);
  });

  it('settles the late statements of an issue together, before its next statement that settles', async () => {
    // Prepare: l1 and l2 arrive said before their actor's current statement; n1 is in order.
    const statements = [
      statement('l1', 'a', '2025-09-01T00:00:00.000Z'), statement('l2', 'a', '2025-09-02T00:00:00.000Z'), statement('n1', 'a', '2025-09-03T00:00:00.000Z'),
      statement('l3', 'a', '2025-09-04T00:00:00.000Z'),
    ];
    const { ledger, resolved, messages, registry } = setUp(statements);
    const steps: string[] = [];
    const recorder = inOrder(async () => { throw new Error('unused'); }, {
      write: async (s): Promise<WrittenStatement> => {
        steps.push(`write ${s.statementId}`);
        return { statement: s, history: 'recorded', advance: { write: s.statementId.startsWith('l') ? 'previous' : 'current' } };
      },
      settle: async (written) => {
        steps.push(`settle ${written.statement.statementId}`);
        return outcome(written.statement);
      },
      settleLate: async (late) => {
        steps.push(`replay ${late.map((w) => w.statement.statementId).join(' ')}`);
        return late.map((w) => ({ ...outcome(w.statement), late: true, replayed: true }));
      },
    });

    // Act
    await recordByIssue({ registry, statements: resolved }, recorder, 4, ledger);

    // Assess
    expect(steps).toEqual(['write l1', 'write l2', 'write n1', 'replay l1 l2', 'settle n1', 'write l3', 'replay l3']);
    expect(ledger.report(messages).counts).toMatchObject({ applied: 4, late: 3, failed: 0 });
  });

  it('fails a late group that cannot settle, and the statements of its issue after it, not those of other issues', async () => {
    // Prepare
    const statements = [
      statement('l1', 'a', '2025-09-01T00:00:00.000Z'), statement('n1', 'a', '2025-09-02T00:00:00.000Z'), statement('b1', 'b', '2025-09-01T00:00:00.000Z'),
    ];
    const { ledger, resolved, messages, registry } = setUp(statements);
    const recorder = inOrder(async (s) => outcome(s), {
      write: async (s) => ({ statement: s, history: 'recorded', advance: { write: s.statementId === 'l1' ? 'previous' : 'current' } }),
      settleLate: async () => {
        throw new Error('ThrottlingException');
      },
    });

    // Act
    await recordByIssue({ registry, statements: resolved }, recorder, 4, ledger);

    // Assess
    expect(ledger.report(messages).outcomes.map((o) => o.status)).toEqual(['failed', 'failed', 'statement']);
  });

  it('claims every id of an issue before writing any, and records quiet restatements together before the next statement that settles', async () => {
    // Prepare: q1, q2 and q4 restate; s3 moves a stance.
    const statements = ['q1', 'q2', 's3', 'q4'].map((id, i) => statement(id, 'a', `2025-09-0${i + 1}T00:00:00.000Z`));
    const { ledger, resolved, messages, registry } = setUp(statements);
    const steps: string[] = [];
    const recorder = inOrder(async (s) => {
      steps.push(`settle ${s.statementId}`);
      return outcome(s);
    }, {
      claim: async (s) => {
        steps.push(`claim ${s.statementId}`);
        return { revised: false, first: false };
      },
      write: async (s) => {
        steps.push(`write ${s.statementId}`);
        return { statement: s, history: 'recorded', advance: { write: 'current' } };
      },
      quiet: (written) => (written.statement.statementId.startsWith('q') ? { statement: written.statement, current: { ...written.statement } } : undefined),
      recordQuiet: async (quiet) => {
        steps.push(`quiet ${quiet.map(({ written }) => written.statement.statementId).join(' ')}`);
        return quiet.map(({ written }) => ({ ...outcome(written.statement), rounds: 0 }));
      },
    });

    // Act
    await recordByIssue({ registry, statements: resolved }, recorder, 4, ledger);

    // Assess
    expect(steps).toEqual(['claim q1', 'claim q2', 'claim s3', 'claim q4', 'write q1', 'write q2', 'write s3', 'quiet q1 q2', 'settle s3', 'write q4', 'quiet q4']);
    expect(ledger.report(messages).counts).toMatchObject({ applied: 4, failed: 0 });
  });

  it('writes the history of the first claims of an issue in one call before any position; a redelivered or duplicated id writes its own', async () => {
    // Prepare: f1 and f3 are new ids; r2 was claimed before (a redelivery); d4 comes twice in the batch.
    const statements = ['f1', 'r2', 'f3', 'd4', 'd4'].map((id, i) => statement(id, 'a', `2025-09-0${Math.min(i, 3) + 1}T00:00:00.000Z`));
    const { ledger, resolved, messages, registry } = setUp(statements);
    const steps: string[] = [];
    const claimed: Array<{ id: string; inHistory: boolean | undefined; first: boolean }> = [];
    const recorder = inOrder(async (s) => outcome(s), {
      claim: async (s) => ({ revised: false, first: s.statementId !== 'r2' }),
      recordNew: async (news) => {
        steps.push(`history ${news.map((s) => s.statementId).join(' ')}`);
        return new Set<string>();
      },
      write: async (s, claim) => {
        steps.push(`write ${s.statementId}`);
        claimed.push({ id: s.statementId, inHistory: claim.inHistory, first: claim.first });
        return { statement: s, history: 'recorded', advance: { write: 'current' }, ...(claim.first ? { first: true as const } : {}) };
      },
    });

    // Act
    await recordByIssue({ registry, statements: resolved }, recorder, 4, ledger);

    // Assess
    expect(steps).toEqual(['history f1 f3', 'write f1', 'write r2', 'write f3', 'write d4', 'write d4']);
    expect(claimed).toEqual([
      { id: 'f1', inHistory: true, first: true }, { id: 'r2', inHistory: undefined, first: false }, { id: 'f3', inHistory: true, first: true },
      { id: 'd4', inHistory: undefined, first: false }, { id: 'd4', inHistory: undefined, first: false },
    ]);
    expect(ledger.report(messages).counts).toMatchObject({ applied: 5, failed: 0 });
  });

  it('rewrites the history of a first claim revised meanwhile before writing it on as a statement whose revisions came first', async () => {
    // Prepare: f1 and f2 are new ids; a revision of f2 was kept between its claim and the history write.
    const statements = ['f1', 'f2'].map((id, i) => statement(id, 'a', `2025-09-0${i + 1}T00:00:00.000Z`));
    const { ledger, resolved, messages, registry } = setUp(statements);
    const steps: string[] = [];
    const claimed: Array<{ id: string; revised: boolean; inHistory: boolean | undefined; first: boolean }> = [];
    const recorder = inOrder(async (s) => outcome(s), {
      claim: async () => ({ revised: false, first: true }),
      recordNew: async (news) => {
        steps.push(`history ${news.map((s) => s.statementId).join(' ')}`);
        return new Set(['f2']);
      },
      rewriteRevised: async (s) => {
        steps.push(`rewrite ${s.statementId}`);
        return { revised: true, first: false };
      },
      write: async (s, claim) => {
        steps.push(`write ${s.statementId}`);
        claimed.push({ id: s.statementId, revised: claim.revised, inHistory: claim.inHistory, first: claim.first });
        return { statement: s, history: 'recorded', advance: { write: 'current' } };
      },
    });

    // Act
    await recordByIssue({ registry, statements: resolved }, recorder, 4, ledger);

    // Assess
    expect(steps).toEqual(['history f1 f2', 'rewrite f2', 'write f1', 'write f2']);
    expect(claimed).toEqual([
      { id: 'f1', revised: false, inHistory: true, first: true },
      { id: 'f2', revised: true, inHistory: true, first: false },
    ]);
    expect(ledger.report(messages).counts).toMatchObject({ applied: 2, failed: 0 });
  });

  it('fails back the statements whose history write together failed, and records the others of the issue', async () => {
    // Prepare
    const statements = ['f1', 'r2'].map((id, i) => statement(id, 'a', `2025-09-0${i + 1}T00:00:00.000Z`));
    const { ledger, resolved, messages, registry } = setUp(statements);
    const recorder = inOrder(async (s) => outcome(s), {
      claim: async (s) => ({ revised: false, first: s.statementId === 'f1' }),
      recordNew: async () => {
        throw new Error('ThrottlingException: BatchWriteItem left 1 items unprocessed after 8 rounds');
      },
    });

    // Act
    await recordByIssue({ registry, statements: resolved }, recorder, 4, ledger);

    // Assess
    const report = ledger.report(messages);
    expect(report.outcomes.map((o) => o.status)).toEqual(['failed', 'statement']);
    expect(String((report.outcomes[0] as { error?: unknown }).error)).toContain('unprocessed');
  });

  it('does nothing for a batch without statements', async () => {
    const { ledger } = setUp([]);
    await recordByIssue(undefined, inOrder(async () => { throw new Error('must not be called'); }), 4, ledger);
    expect(ledger.report([]).outcomes).toEqual([]);
  });
});
