import { describe, expect, it } from 'vitest';
import { issuesToReevaluate, reevaluateIssues, type ReevaluateOne } from '../../../../functions/application/batch/reevaluate-issues.ts';
import { BatchLedger } from '../../../../functions/application/batch/ledger.ts';
import { loadSeedRegistryUpdates } from '../../../../local/seed/seed-files.ts';
import { buildRegistry, type RegistryUpdate } from '../../../../functions/core/registry.ts';
import { KeptQuarantine, RememberingLogger, clock } from './fakes.ts';

const registry = buildRegistry(loadSeedRegistryUpdates());
const seed = (type: RegistryUpdate['type'], id: string): RegistryUpdate => {
  const found = loadSeedRegistryUpdates().find((u) => u.type === type && u.record.id === id);
  if (found === undefined) throw new Error(`no seed ${type} ${id}`);
  return found;
};
const ISSUES = [...registry.issues.keys()].sort();

const recording = () => {
  const calls: Array<[string, string[]]> = [];
  const reevaluate: ReevaluateOne = async (issue, _registry, cause) => {
    calls.push([issue, cause.records]);
    return { issue, rounds: 1, alerts: { opened: 0, closed: 0, withdrawn: 0, reinstated: 0 }, published: 0 };
  };
  return { calls, reevaluate };
};

describe('issuesToReevaluate', () => {
  it('a watch re-evaluates every issue, a bloc those watched against it, an issue itself, names nothing', () => {
    // Act
    const asked = issuesToReevaluate([
      { messageId: 'm1', update: seed('issue', 'russia-as-guarantor') },
      { messageId: 'm2', update: seed('actor', 'russia') },
      { messageId: 'm3', update: seed('bloc', 'coalition-of-the-willing') },
    ], registry);

    // Assess: nothing watches the coalition.
    expect([...asked].map(([issue, a]) => [issue, [...a.records], [...a.messageIds]])).toEqual([
      ['russia-as-guarantor', ['issue:russia-as-guarantor'], ['m1']],
    ]);
    expect([...issuesToReevaluate([{ messageId: 'm4', update: seed('watch', 'allies-split') }], registry).keys()]).toEqual(ISSUES);
  });

  it('leaves out a record a later one replaced', () => {
    // Prepare
    const older = seed('watch', 'allies-split');
    const replaced = { ...older, record: { ...older.record, threshold: 3, updatedAt: '2020-01-01T00:00:00.000Z' } } as RegistryUpdate;

    // Act / Assess
    expect(issuesToReevaluate([{ messageId: 'm1', update: replaced }], registry).size).toBe(0);
  });
});

describe('reevaluateIssues', () => {
  const ledgerOf = () => new BatchLedger(new KeptQuarantine(), clock, new RememberingLogger());
  const messages = (...ids: string[]) => ids.map((messageId) => ({ messageId, body: '{}' }));

  it('re-evaluates each issue once, naming every record that asked for it', async () => {
    // Prepare
    const { calls, reevaluate } = recording();
    const delivered = [
      { messageId: 'm1', update: seed('watch', 'allies-split') },
      { messageId: 'm2', update: seed('issue', 'russia-as-guarantor') },
    ];

    // Act
    await reevaluateIssues(delivered, async () => registry, reevaluate, 2, ledgerOf());

    // Assess
    expect(calls.map(([issue]) => issue).sort()).toEqual(ISSUES);
    expect(calls.find(([issue]) => issue === 'russia-as-guarantor')?.[1]).toEqual(['issue:russia-as-guarantor', 'watch:allies-split']);
  });

  it('loads no registry for names only, and fails back only the records that needed it when the load fails', async () => {
    // Prepare
    const { calls, reevaluate } = recording();
    const ledger = ledgerOf();
    let loads = 0;
    const failing = async () => {
      loads += 1;
      throw new Error('ThrottlingException: rate exceeded');
    };

    // Act
    await reevaluateIssues([{ messageId: 'm1', update: seed('actor', 'russia') }], failing, reevaluate, 2, ledger);
    const before = loads;
    await reevaluateIssues([{ messageId: 'm2', update: seed('watch', 'allies-split') }], failing, reevaluate, 2, ledger);

    // Assess
    expect(before).toBe(0);
    expect(calls).toEqual([]);
    expect(ledger.report(messages('m1', 'm2')).failedMessageIds).toEqual(['m2']);
  });

  it('fails back the messages behind an issue that cannot be re-evaluated now, and no other', async () => {
    // Prepare
    const ledger = ledgerOf();
    const reevaluate: ReevaluateOne = async (issue) => {
      if (issue === 'russia-as-guarantor') throw new Error('ProvisionedThroughputExceededException');
      return { issue, rounds: 1, alerts: { opened: 0, closed: 0, withdrawn: 0, reinstated: 0 }, published: 0 };
    };
    const delivered = [
      { messageId: 'm1', update: seed('issue', 'russia-as-guarantor') },
      { messageId: 'm2', update: seed('issue', 'western-troops-in-ukraine') },
    ];

    // Act
    await reevaluateIssues(delivered, async () => registry, reevaluate, 2, ledger);

    // Assess
    expect(ledger.report(messages('m1', 'm2')).failedMessageIds).toEqual(['m1']);
  });
});
