/**
 * The DynamoDB repositories against two independent DynamoDB implementations, dynalite (in this
 * process) and moto (moto_server, a Python process), over HTTP with the real SDK client. The same
 * specification runs on both, so a behaviour the write path relies on (conditions evaluated
 * against the old item, SET operands read before the update, key ordering) is checked twice.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { GetItemCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoQuarantineRepository } from '../../functions/adapters/dynamodb/quarantine.repository.ts';
import { DynamoRegistryRepository } from '../../functions/adapters/dynamodb/registry.repository.ts';
import { DynamoTrackerRepository } from '../../functions/adapters/dynamodb/tracker.repository.ts';
import type { AlertRecord, OpenPointer, StoredEpisode } from '../../functions/application/ports.ts';
import { identityConflicts, statementIdentity } from '../../functions/core/identity.ts';
import { compareSaid } from '../../functions/core/positions.ts';
import { toRegistryUpdate } from '../../functions/application/contracts-v1.ts';
import type { StatementRecord } from '../../functions/core/types.ts';
import type { Stance } from '../../events/common.ts';
import { ACTOR_REGISTERED, BLOC_REGISTERED } from '../../events/registry/registry-events.v1.ts';
import { startDynalite } from '../../support/dynalite.ts';
import { isMotoAvailable, MOTO_SKIP_REASON, startMoto } from '../support/moto.ts';
import { quoteOfBytes } from '../../support/synthetic.ts';

interface Store {
  client: DynamoDBClient;
  createTable(): Promise<string>;
  stop(): Promise<void>;
}

const statement = (id: string, saidAt: string, stance: Stance = 1, overrides: Partial<StatementRecord> = {}): StatementRecord => ({
  statementId: id,
  kind: 'statement',
  actor: 'russia',
  speaker: 'putin',
  issue: 'western-troops-in-ukraine',
  stance,
  hedged: false,
  quote: { text: 'أكدت موسكو أنها ترفض نشر قوات غربية 🇺🇦', lang: 'ar', translation: { text: 'Moscow rejects Western troops', lang: 'en' } },
  saidAt,
  source: { outlet: 'wire', url: 'https://example.org/a' },
  recordedBy: 'desk',
  ...overrides,
});

const at = (minute: number): string => new Date(Date.parse('2026-01-06T14:00:00.000Z') + minute * 60_000).toISOString();

/** The one divergence these specifications store, as opened by s1. */
const russiaVsAllies = {
  issue: 'western-troops-in-ukraine',
  divergenceId: 'actor-vs-bloc:western-troops-in-ukraine:russia:allies',
  kind: 'actor-vs-bloc',
  actor: 'russia',
  bloc: 'allies',
  threshold: 2,
  openedBy: 's1',
  openedAt: at(1),
  actorStance: -2,
  otherStance: 1.5,
  gap: 3.5,
} as const;

const pointer = (episodeId: string, overrides: Partial<OpenPointer> = {}): OpenPointer => ({
  ...russiaVsAllies,
  episodeId,
  ...overrides,
});

const episode = (episodeId: string, status: StoredEpisode['status'], revision = 0): StoredEpisode => ({
  episode: {
    ...russiaVsAllies,
    episodeId,
    evidence: { actor: ['s1'], other: ['f1'] },
  },
  status,
  revision,
  evidenceRefs: {
    actor: [{ issue: 'western-troops-in-ukraine', actor: 'russia', saidAt: at(1), statementId: 's1' }],
    other: [{ issue: 'western-troops-in-ukraine', actor: 'france', saidAt: at(0), statementId: 'f1' }],
  },
});

const alert = (alertId: string, recordedAt = at(10)): AlertRecord => ({
  alertId,
  issue: 'western-troops-in-ukraine',
  episodeId: 'ep-1',
  transition: 'opened',
  detailType: 'Positions Diverged',
  detail: {
    schemaVersion: '1', alertId, episodeId: 'ep-1', divergenceId: 'd', kind: 'actor-vs-bloc', issue: 'western-troops-in-ukraine',
    actor: 'russia', bloc: 'allies', actorStance: -2, otherStance: 1.5, gap: 3.5, threshold: 2, openedAt: at(1),
    evidence: { actor: [], other: [] },
  },
  recordedAt,
  pushed: true,
});

/**
 * `atomic`: whether two conditional writes to one item sent at the same instant are serialised, as
 * in DynamoDB. dynalite locks the item; moto_server handles requests on several threads and checks a
 * condition and writes without a lock, so concurrent writers are only specified against dynalite.
 */
const repositorySpecification = (name: string, atomic: boolean, start: () => Promise<Store>) => {
  let store: Store;
  let tracker: DynamoTrackerRepository;
  let registry: DynamoRegistryRepository;
  let quarantine: DynamoQuarantineRepository;

  let tableName: string;

  const freshTable = async () => {
    tableName = await store.createTable();
    tracker = new DynamoTrackerRepository({ tableName, client: store.client });
    registry = new DynamoRegistryRepository({ tableName, client: store.client });
    quarantine = new DynamoQuarantineRepository({ tableName, client: store.client });
  };

  beforeAll(async () => {
    store = await start();
  });

  afterAll(async () => {
    await store?.stop();
  });

  describe(`${name}: history`, () => {
    it('records a statement once, byte-exact, and reads it back by key and by window', async () => {
      await freshTable();
      const said = statement('s1', at(1));
      expect(await tracker.recordStatement(said)).toBe('recorded');
      expect(await tracker.recordStatement(said)).toBe('duplicate');
      await tracker.recordStatement(statement('s2', at(2)));
      await tracker.recordStatement(statement('s3', at(3)));
      await tracker.recordStatement(statement('x1', at(2), 2, { actor: 'russia-today' }));

      expect(await tracker.loadStatements([{ issue: said.issue, actor: 'russia', saidAt: at(1), statementId: 's1' }])).toEqual([said]);
      const window = await tracker.loadHistoryWindow(said.issue, 'russia', { saidAt: at(1), statementId: 's1' }, { saidAt: at(3), statementId: 's3' });
      expect(window.map((s) => s.statementId)).toEqual(['s2', 's3']);
      expect((await tracker.loadHistory(said.issue)).map((s) => s.statementId).sort()).toEqual(['s1', 's2', 's3', 'x1']);
    });

    it('loads more statements than one BatchGetItem carries', async () => {
      await freshTable();
      const many = Array.from({ length: 130 }, (_, i) => statement(`b${i}`, at(i)));
      for (const s of many) await tracker.recordStatement(s);
      const loaded = await tracker.loadStatements(many.map((s) => ({ issue: s.issue, actor: s.actor, saidAt: s.saidAt, statementId: s.statementId })));
      expect(loaded.map((s) => s.statementId).sort()).toEqual(many.map((s) => s.statementId).sort());
    });

    it('writes the history of first claims many at a time, more than one BatchWriteItem carries, as one write each would', async () => {
      await freshTable();
      const many = Array.from({ length: 30 }, (_, i) => statement(`n${i}`, at(i), 1, { quote: { text: quoteOfBytes(1_024), lang: 'ar' } }));
      await tracker.recordNewStatements(many);

      const refs = many.map((s) => ({ issue: s.issue, actor: s.actor, saidAt: s.saidAt, statementId: s.statementId }));
      expect((await tracker.loadStatements(refs)).sort(compareSaid)).toEqual(many);
      // A redelivery (its claim no longer first) finds each one there.
      expect(await tracker.recordStatement(many[29] as StatementRecord)).toBe('duplicate');
      expect(await tracker.recordStatement(statement('n30', at(30)))).toBe('recorded');
    });

    it('lists the changes of first claims many at a time, each once in the change feed, and a redelivery keeps them', async () => {
      await freshTable();
      const change = (i: number) => ({
        statementId: `c${i}`,
        change: {
          changeId: `c${i}`, kind: 'statement-applied' as const, recordedAt: at(i), issue: 'western-troops-in-ukraine',
          changed: { statementId: `c${i}`, actor: 'russia', stance: 1, saidAt: at(i) },
        },
      });
      await tracker.recordNewStatementChanges(Array.from({ length: 27 }, (_, i) => change(i)));

      expect(await tracker.recordStatementChange('c26', { ...change(26).change, recordedAt: at(99) })).toBe(false);
      const { Item } = await store.client.send(
        new GetItemCommand({ TableName: tableName, Key: { pk: { S: 'ISSUE#western-troops-in-ukraine' }, sk: { S: 'CH#c26' } }, ConsistentRead: true }),
      );
      expect([Item?.['gsi1pk']?.S, Item?.['gsi1sk']?.S]).toEqual(['CHANGES', `${at(26)}#c26`]);
    });

    it('pages through an issue history larger than one Query page (1 MB)', async () => {
      await freshTable();
      const big = Array.from({ length: 40 }, (_, i) => statement(`big${i}`, at(i), 1, { quote: { text: quoteOfBytes(8_000), lang: 'ar' }, reason: 'x'.repeat(20_000) }));
      await Promise.all(big.map((s) => tracker.recordStatement(s)));
      expect(await tracker.loadHistory(big[0]!.issue)).toHaveLength(40);
    });
  });

  describe(`${name}: statement claims`, () => {
    /** GetItem calls the tracker sends while `act` runs. */
    const countingReads = async (act: () => Promise<void>): Promise<number> => {
      let reads = 0;
      const probe = `countReads-${Math.random()}`;
      store.client.middlewareStack.add(
        (next, context) => async (args) => {
          if (context.commandName === 'GetItemCommand' || context.commandName === 'GetCommand') reads += 1;
          return next(args);
        },
        { step: 'initialize', name: probe },
      );
      try {
        await act();
      } finally {
        store.client.middlewareStack.remove(probe);
      }
      return reads;
    };

    it('claims an id for its content once; the same content claims again, other content finds what was claimed', async () => {
      await freshTable();
      const first = statementIdentity(statement('s1', at(1), 2));
      const moved = statementIdentity(statement('s1', at(9), -1, { actor: 'france' }));

      expect(await tracker.claimStatement(first)).toEqual({ status: 'claimed', first: true });
      expect(await tracker.claimStatement(statementIdentity(statement('s1', at(1), 2)))).toEqual({ status: 'claimed' });
      let conflict: unknown;
      const reads = await countingReads(async () => {
        conflict = await tracker.claimStatement(moved);
      });

      expect(conflict).toEqual({ status: 'conflict', recorded: first });
      expect(identityConflicts(first, moved).map((p) => p.field)).toEqual(['detail.actor', 'detail.stance', 'detail.saidAt']);
      // DynamoDB and moto hand the claim back with the failed condition; dynalite is asked once.
      expect(reads).toBe(name === 'moto' ? 0 : 1);
      expect(await tracker.claimStatement(statementIdentity(statement('s2', at(1), 2)))).toEqual({ status: 'claimed', first: true });
    });

    it('keeps a claim of the largest statement a contract allows under one write unit', async () => {
      await freshTable();
      const id = `x${'y'.repeat(127)}`;
      const slug = (c: string) => c.repeat(64);
      const largest = statement(id, at(1), -2, {
        actor: slug('a'), speaker: slug('s'), issue: slug('i'), hedged: true, recordedAt: at(2), recordedBy: 'd'.repeat(2_048),
        quote: { text: quoteOfBytes(8_192), lang: 'ar-EG', translation: { text: 't'.repeat(8_192), lang: 'en-GB' } },
        source: { outlet: 'o'.repeat(2_048), url: `https://example.org/${'p'.repeat(4_000)}` },
      });

      await tracker.claimStatement(statementIdentity(largest));

      const { Item } = await store.client.send(
        new GetItemCommand({ TableName: tableName, Key: { pk: { S: `STATEMENT#${id}` }, sk: { S: 'CLAIM' } }, ConsistentRead: true }),
      );
      const bytes = Object.entries(Item ?? {}).reduce((sum, [attribute, value]) =>
        sum + Buffer.byteLength(attribute, 'utf8') + (value.S !== undefined ? Buffer.byteLength(value.S, 'utf8') : value.N !== undefined ? 21 : 1), 0);
      expect(Item?.['fp']?.S).toBe(statementIdentity(largest).fingerprint);
      expect(bytes).toBeLessThanOrEqual(1_024);
    });

    it.skipIf(!atomic)('lets exactly one of 8 concurrent claims with different content under one id land', async () => {
      await freshTable();
      const contenders = Array.from({ length: 8 }, (_, i) => statementIdentity(statement('race', at(i), ((i % 5) - 2) as Stance)));

      const results = await Promise.all(contenders.map((identity) => tracker.claimStatement(identity)));

      const winners = contenders.filter((_, i) => results[i]?.status === 'claimed');
      expect(winners).toHaveLength(1);
      for (const result of results.filter((r) => r.status === 'conflict')) expect(result).toEqual({ status: 'conflict', recorded: winners[0] });
    });
  });

  describe(`${name}: positions`, () => {
    it('keeps the latest said current and the one before it previous, whatever the order of writes', async () => {
      const runs = name === 'moto' ? 4 : 12;
      await fc.assert(
        fc.asyncProperty(
          fc.uniqueArray(fc.integer({ min: 0, max: 500 }), { minLength: 1, maxLength: 7 }),
          fc.integer({ min: 0, max: 1_000 }),
          async (minutes, seed) => {
            await freshTable();
            const said = minutes.map((m, i) => statement(`p${i}`, at(m), (((m + seed) % 5) - 2) as Stance));
            const outcomes = [];
            for (const s of said) outcomes.push(await tracker.applyPosition(s));
            for (const s of said) expect(await tracker.applyPosition(s)).toBe('unchanged');
            const sorted = [...said].sort((a, b) => compareSaid(b, a));
            const snapshot = await tracker.loadIssueState(said[0]!.issue);
            const position = snapshot.positions.get('russia');
            expect(position?.statementId).toBe(sorted[0]?.statementId);
            expect(position?.stance).toBe(sorted[0]?.stance);
            expect(position?.previous?.statementId).toBe(sorted[1]?.statementId);
            expect(snapshot.watermark).toEqual({ saidAt: sorted[0]?.saidAt, statementId: sorted[0]?.statementId });
            expect(outcomes.filter((o) => o === 'current').length).toBeGreaterThanOrEqual(1);
          },
        ),
        { numRuns: runs, seed: 20260106 },
      );
    });

    it.skipIf(!atomic)('loses no update under 16 concurrent writers on one position', async () => {
      await freshTable();
      const said = Array.from({ length: 16 }, (_, i) => statement(`w${i}`, at(i), ((i % 5) - 2) as Stance));
      await Promise.all([...said].reverse().map((s) => tracker.applyPosition(s)));
      const position = (await tracker.loadIssueState(said[0]!.issue)).positions.get('russia');
      expect(position?.statementId).toBe('w15');
      expect(position?.previous?.statementId).toBe('w14');
    });

    it('tells the position a statement replaced when it became current, and nothing otherwise', async () => {
      await freshTable();
      expect(await tracker.advancePosition(statement('r1', at(1), -1))).toEqual({ write: 'current' });
      await tracker.applyPosition(statement('r2', at(2), 2));
      const advance = await tracker.advancePosition(statement('r3', at(3), 2));
      expect(advance.write).toBe('current');
      expect(advance.replaced).toEqual({
        issue: 'western-troops-in-ukraine', actor: 'russia', stance: 2, hedged: false, statementId: 'r2', saidAt: at(2),
        previous: { stance: -1, hedged: false, statementId: 'r1', saidAt: at(1) },
      });
      expect(await tracker.advancePosition(statement('r0', at(0), 0))).toEqual({ write: 'unchanged' });
      expect(await tracker.advancePosition(statement('r3', at(3), 2))).toEqual({ write: 'unchanged' });
    });

    it('orders statements said in the same millisecond by id', async () => {
      await freshTable();
      await tracker.applyPosition(statement('b', at(1), 2));
      expect(await tracker.applyPosition(statement('a', at(1), -2))).toBe('previous');
      expect(await tracker.applyPosition(statement('c', at(1), 0))).toBe('current');
      const position = (await tracker.loadIssueState('western-troops-in-ukraine')).positions.get('russia');
      expect([position?.statementId, position?.previous?.statementId]).toEqual(['c', 'b']);
    });
  });

  describe(`${name}: divergence state`, () => {
    it('opens a pointer once, replaces it only from the episode it points at, closes it only for that episode', async () => {
      await freshTable();
      expect(await tracker.openPointer(pointer('ep-1'))).toBe(true);
      expect(await tracker.openPointer(pointer('ep-2'))).toBe(false);
      expect(await tracker.openPointer(pointer('ep-2'), 'ep-9')).toBe(false);
      expect(await tracker.openPointer(pointer('ep-2'), 'ep-1')).toBe(true);
      expect(await tracker.closePointer('western-troops-in-ukraine', pointer('x').divergenceId, 'ep-1')).toBe(false);
      const snapshot = await tracker.loadIssueState('western-troops-in-ukraine');
      expect([...snapshot.open.values()]).toEqual([pointer('ep-2')]);
      expect(await tracker.closePointer('western-troops-in-ukraine', pointer('x').divergenceId, 'ep-2')).toBe(true);
      expect((await tracker.loadIssueState('western-troops-in-ukraine')).open.size).toBe(0);
    });

    it('creates an episode once and replaces it only at the revision it was read at', async () => {
      await freshTable();
      expect(await tracker.createEpisode(episode('ep-1', 'open'))).toBe(true);
      expect(await tracker.createEpisode(episode('ep-1', 'closed'))).toBe(false);
      expect(await tracker.replaceEpisode(episode('ep-1', 'withdrawn', 1), 1)).toBe(false);
      expect(await tracker.replaceEpisode(episode('ep-1', 'withdrawn', 1), 0)).toBe(true);
      expect(await tracker.replaceEpisode(episode('ep-1', 'open', 2), 0)).toBe(false);
      expect(await tracker.loadEpisodes('western-troops-in-ukraine')).toEqual([episode('ep-1', 'withdrawn', 1)]);
      expect(await tracker.loadEpisode('western-troops-in-ukraine', pointer('ep-1'))).toEqual(episode('ep-1', 'withdrawn', 1));
    });

    it('records an alert once, queues it in the outbox until cleared, and revises its detail in place', async () => {
      await freshTable();
      expect(await tracker.recordAlert(alert('al-1'))).toBe(true);
      expect(await tracker.recordAlert(alert('al-1', at(20)))).toBe(false);
      await tracker.recordAlert(alert('al-2'));
      expect((await tracker.loadIssueState('western-troops-in-ukraine')).outbox.sort()).toEqual(['al-1', 'al-2']);
      const revised = { ...alert('al-1', at(30)), detail: { ...alert('al-1').detail, gap: 4 } } as AlertRecord;
      expect(await tracker.reviseAlert(revised)).toBe(true);
      expect(await tracker.reviseAlert(alert('al-9'))).toBe(false);
      const [stored] = await tracker.loadAlerts('western-troops-in-ukraine', ['al-1']);
      expect(stored?.recordedAt).toBe(at(10));
      expect(stored?.detail.gap).toBe(4);
      await tracker.clearOutbox('western-troops-in-ukraine', ['al-1', 'al-2']);
      expect((await tracker.loadIssueState('western-troops-in-ukraine')).outbox).toEqual([]);
      expect((await tracker.loadAlerts('western-troops-in-ukraine', ['al-1', 'al-2'])).map((a) => a.alertId)).toEqual(['al-1', 'al-2']);
    });

    it('queues an entry ahead of its alert, and clears more entries than one batch takes', async () => {
      await freshTable();
      const issue = 'western-troops-in-ukraine';
      await tracker.queueAlert(issue, 'al-3');
      expect((await tracker.loadIssueState(issue)).outbox).toEqual(['al-3']);
      expect(await tracker.recordAlert(alert('al-3'), { queued: true })).toBe(true);
      const many = Array.from({ length: 30 }, (_, i) => `al-q${String(i).padStart(2, '0')}`);
      await Promise.all(many.map((id) => tracker.queueAlert(issue, id)));
      expect((await tracker.loadIssueState(issue)).outbox.sort()).toEqual(['al-3', ...many].sort());
      await tracker.clearOutbox(issue, [...many, 'al-3', 'al-3']);
      expect((await tracker.loadIssueState(issue)).outbox).toEqual([]);
      expect((await tracker.loadAlerts(issue, ['al-3'])).map((a) => a.alertId)).toEqual(['al-3']);
    });
  });

  describe(`${name}: registry`, () => {
    const actor = (updatedAt: string, en: string) =>
      toRegistryUpdate({
        detailType: ACTOR_REGISTERED,
        detail: { schemaVersion: '1', actor: 'france', kind: 'state', names: { en, ar: 'فرنسا' }, aliases: ['باريس'], updatedAt },
      });

    it('keeps the latest updatedAt whatever the order, and settles ties as the core does', async () => {
      await freshTable();
      expect(await registry.applyUpdate(actor('2026-01-02T00:00:00Z', 'France (new)'))).toBe('applied');
      expect(await registry.applyUpdate(actor('2026-01-01T00:00:00Z', 'France (old)'))).toBe('stale');
      expect(await registry.applyUpdate(actor('2026-01-02T00:00:00Z', 'France (new)'))).toBe('stale');
      const tieWinner = ['France (new)', 'France (tie)'].sort().at(-1) as string;
      await registry.applyUpdate(actor('2026-01-02T00:00:00Z', 'France (tie)'));
      await registry.applyUpdate(
        toRegistryUpdate({
          detailType: BLOC_REGISTERED,
          detail: { schemaVersion: '1', bloc: 'allies', names: { en: 'Allies', ar: 'الحلفاء' }, members: ['france', 'germany'], updatedAt: '2026-01-01T00:00:00Z' },
        }),
      );
      const loaded = await registry.loadRegistry();
      expect(loaded.actors.get('france')?.names.en).toBe(tieWinner);
      expect(loaded.actors.get('france')?.names.ar).toBe('فرنسا');
      expect(loaded.blocs.get('allies')?.members).toEqual(['france', 'germany']);
    });
  });

  describe(`${name}: quarantine`, () => {
    it('keeps a rejected event once, byte-exact, with its reasons, newest first', async () => {
      await freshTable();
      const body = '{"detail-type":"Statement Recorded","detail":{"quote":{"text":"قال بوتين 🚫"}}}';
      const entry = { body, messageId: 'm-1', reason: 'invalid-event' as const, problems: [{ field: 'detail.stance', reason: 'is required' }], receivedAt: at(1) };
      expect(await quarantine.quarantine(entry)).toBe(true);
      expect(await quarantine.quarantine({ ...entry, messageId: 'm-2', receivedAt: at(2) })).toBe(false);
      await quarantine.quarantine({ ...entry, body: `${body} `, messageId: 'm-3', receivedAt: at(3) });
      const listed = await quarantine.list();
      expect(listed.map((q) => q.messageId)).toEqual(['m-3', 'm-1']);
      expect(listed[1]?.body).toBe(body);
      expect(listed[1]?.problems).toEqual(entry.problems);
    });
  });
};

describe('dynalite', () => {
  repositorySpecification('dynalite', true, async () => {
    const dynamo = await startDynalite();
    return { client: dynamo.client, createTable: () => dynamo.createTable(), stop: () => dynamo.stop() };
  });
});

if (isMotoAvailable()) {
  describe('moto', () => {
    repositorySpecification('moto', false, async () => {
      const moto = await startMoto();
      return { client: moto.client, createTable: () => moto.createTable(), stop: () => moto.stop() };
    });
  });
} else {
  describe.skip(`moto (${MOTO_SKIP_REASON})`, () => {
    it('runs the same repository specification against moto_server', () => undefined);
  });
}
