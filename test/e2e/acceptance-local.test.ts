/**
 * Issue 11's scenarios end to end through the local runtime, published with the AWS CLI as a desk
 * would: a reused id, a bloc's quorum, a watch added where positions already diverge, 30 statements
 * back-filled in random said order, and the change feed that lists every change they made.
 */
import { EventBridgeClient, PutEventsCommand, type PutEventsRequestEntry } from '@aws-sdk/client-eventbridge';
import { describe, expect, it } from 'vitest';
import type { ActorHistory, ChangeItem, ChangesPage, QuarantinePage } from '../../functions/api/schemas.ts';
import { seededRandom, shuffled } from '../../support/shuffle.ts';
import { AWS_CLI_SKIP, HAS_AWS_CLI, apiGet, openAlerts, putWithAwsCli, seedEntries, useSeededRuntime } from './support.ts';

const DESK = 'newsroom.desk';

const stanceChange = (changeId: string, actor: string, issue: string, stance: number, effectiveAt: string): PutEventsRequestEntry => ({
  Source: DESK,
  DetailType: 'Stance Changed',
  Detail: JSON.stringify({
    schemaVersion: '1', changeId, actor, issue, stance, hedged: false, effectiveAt, reason: 'briefing', source: { outlet: 'e2e wire' }, recordedBy: 'e2e',
  }),
});

const registration = (detailType: string, detail: Record<string, unknown>, updatedAt = '2025-09-02T00:00:00Z'): PutEventsRequestEntry => ({
  Source: DESK, DetailType: detailType, Detail: JSON.stringify({ schemaVersion: '1', updatedAt, ...detail }),
});

const issueEntry = (id: string) =>
  registration('Issue Registered', { issue: id, title: { en: id, ar: 'قضية' }, proposition: { en: id, ar: 'اقتراح' } });

describe.skipIf(!HAS_AWS_CLI)(`issue 11's scenarios through the local runtime, with the AWS CLI${AWS_CLI_SKIP}`, () => {
  const seeded = useSeededRuntime();

  const put = (entries: readonly PutEventsRequestEntry[]): Promise<void> => putWithAwsCli(seeded.test, entries);

  const changesOf = async (query: string): Promise<ChangeItem[]> => {
    const all: ChangeItem[] = [];
    let cursor: string | null = null;
    do {
      const reply: { status: number; body: ChangesPage } =
        await apiGet<ChangesPage>(seeded.test.runtime, `/changes?limit=100${query}${cursor === null ? '' : `&cursor=${encodeURIComponent(cursor)}`}`);
      expect(reply.status).toBe(200);
      all.push(...reply.body.changes);
      cursor = reply.body.nextCursor;
    } while (cursor !== null);
    return all;
  };
  const openKeys = async (issue: string) => (await openAlerts(seeded.test.runtime)).filter((a) => a.issue === issue).map((a) => `${a.kind}:${a.actor}`).sort();
  let feedStart = '';
  /** What the feed held before these scenarios: `since` includes its bound, so the last of them comes again. */
  let seen = new Set<string>();

  it('quarantines a reused id with a different stance, and another with a different said time, as conflicting-id; later late statements still apply', async () => {
    const { runtime } = seeded.test;
    const before = await changesOf('');
    feedStart = before.at(-1)!.recordedAt;
    seen = new Set(before.map((c) => c.changeId));
    const germany = JSON.parse(seedEntries().find((e) => e.Detail!.includes('seed-09-germany'))!.Detail!) as Record<string, unknown>;
    const resend = (changes: Record<string, unknown>): PutEventsRequestEntry => ({ Source: DESK, DetailType: 'Statement Recorded', Detail: JSON.stringify({ ...germany, ...changes }) });

    await put([resend({ stance: -2 }), resend({ saidAt: '2025-09-01T09:00:00Z' })]);
    await put([stanceChange('e2e-late-de', 'germany', 'western-troops-in-ukraine', 1, '2025-08-01T09:00:00Z')]);

    const quarantine = (await apiGet<QuarantinePage>(runtime, '/quarantine?limit=100')).body.events;
    const reused = quarantine.filter((q) => q.reason === 'conflicting-id' && q.body.includes('seed-09-germany'));
    expect(reused.map((q) => q.problems.map((p) => p.field)).sort()).toEqual([['detail.saidAt'], ['detail.stance']]);
    const history = (await apiGet<ActorHistory>(runtime, '/actors/germany/history?issue=western-troops-in-ukraine')).body.statements;
    expect(history.map((s) => [s.statementId, s.stance])).toEqual([['e2e-late-de', 1], ['seed-09-germany-western-troops-in-ukraine', 0]]);
    const since = await changesOf(`&since=${encodeURIComponent(feedStart)}`);
    expect(since.filter((c) => c.kind === 'position-changed' && c.changed['statementId'] === 'seed-09-germany-western-troops-in-ukraine')).toEqual([]);
    expect(await runtime.deadLetters.list()).toEqual([]);
  });

  it('raises no bloc-split with two members of the bloc on record, and raises it with a third', async () => {
    await put([issueEntry('e2e-grain-corridor')]);
    await put([
      stanceChange('e2e-de-1', 'germany', 'e2e-grain-corridor', -2, '2025-09-05T10:00:00Z'),
      stanceChange('e2e-fr-1', 'france', 'e2e-grain-corridor', 2, '2025-09-05T11:00:00Z'),
    ]);
    expect(await openKeys('e2e-grain-corridor')).toEqual([]);

    await put([stanceChange('e2e-nl-1', 'netherlands', 'e2e-grain-corridor', 2, '2025-09-05T12:00:00Z')]);

    expect(await openKeys('e2e-grain-corridor')).toContain('bloc-split:germany');
  });

  it('opens at once, with no statement after it, a divergence a newly registered watch finds', async () => {
    const issue = 'e2e-prisoner-exchange';
    await put([issueEntry(issue), registration('Bloc Registered', { bloc: 'e2e-paris-club', names: { en: 'Paris club', ar: 'نادي باريس' }, members: ['france', 'united-kingdom'] })]);
    await put([stanceChange('e2e-px-fr', 'france', issue, 2, '2025-09-05T10:00:00Z'), stanceChange('e2e-px-de', 'germany', issue, -1, '2025-09-05T11:00:00Z')]);
    expect(await openKeys(issue)).toEqual([]);

    await put([registration('Watch Registered', {
      watch: 'e2e-germany-vs-paris-club', kind: 'actor-vs-bloc', actor: 'germany', bloc: 'e2e-paris-club', issues: [issue], quorum: 1,
    }, '2025-09-06T00:00:00Z')]);

    expect(await openKeys(issue)).toEqual(['actor-vs-bloc:germany']);
  });

  it('tells, for 30 statements back-filled in random said order, each divergence only as it starts and stops standing open, and dead-letters nothing', async () => {
    const { runtime } = seeded.test;
    const random = seededRandom(11);
    const actors = ['russia', 'france', 'germany', 'ukraine', 'netherlands', 'united-kingdom'];
    const stances = new Map(actors.map((actor) => [actor, Math.floor(random() * 5) - 2] as const));
    const said = Array.from({ length: 30 }, (_, i) => {
      const actor = actors[Math.floor(random() * actors.length)]!;
      const stance = Math.max(-2, Math.min(2, stances.get(actor)! + Math.floor(random() * 3) - 1));
      stances.set(actor, stance);
      return { id: `e2e-m${i}`, actor, stance, at: new Date(Date.parse('2025-10-01T09:00:00Z') + i * 86_400_000).toISOString() };
    });
    await put([issueEntry('e2e-in-order'), issueEntry('e2e-back-fill')]);

    // Act: the same month on two issues, one in said order (each applied before the next), one back-filled in random order.
    const client = new EventBridgeClient({ endpoint: runtime.endpoints.bus, region: 'us-east-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' }, maxAttempts: 1 });
    for (const s of said) {
      expect((await client.send(new PutEventsCommand({ Entries: [stanceChange(`${s.id}-in`, s.actor, 'e2e-in-order', s.stance, s.at)] }))).FailedEntryCount).toBe(0);
      await runtime.settle();
    }
    await put(shuffled(said, random).map((s) => stanceChange(`${s.id}-bf`, s.actor, 'e2e-back-fill', s.stance, s.at)));

    // Assess: per divergence, subscribers were told open, then no longer, and so on, ending where it stands; both end alike.
    const toldOf = async (issue: string) => {
      const told = new Map<string, string[]>();
      for (const change of (await changesOf(`&issue=${issue}`)).filter((c) => c.kind.startsWith('divergence-') && c.changed['pushed'] === true)) {
        const kind = String(change.changed['kind']);
        const key = `${kind}:${String(change.changed['actor'])}`;
        told.set(key, [...(told.get(key) ?? []), change.kind === 'divergence-opened' || change.kind === 'divergence-reinstated' ? 'diverged' : 'converged']);
      }
      return told;
    };
    expect((await toldOf('e2e-back-fill')).size, 'the month raises divergences to tell').toBeGreaterThan(0);
    for (const issue of ['e2e-in-order', 'e2e-back-fill']) {
      const open = await openKeys(issue);
      for (const [key, alerts] of await toldOf(issue)) {
        expect(alerts, `${issue} ${key}`).toEqual(alerts.map((_, i) => (i % 2 === 0 ? 'diverged' : 'converged')));
        expect(alerts.length % 2 === 1, `${issue} ${key}`).toBe(open.includes(key));
      }
    }
    expect(await openKeys('e2e-back-fill')).toEqual(await openKeys('e2e-in-order'));
    expect(await runtime.deadLetters.list()).toEqual([]);
  });

  it('GET /changes?since= returns, in the order recorded, every change these scenarios made', async () => {
    const since = (await changesOf(`&since=${encodeURIComponent(feedStart)}`)).filter((c) => !seen.has(c.changeId));
    const recorded = since.map((c) => `${c.recordedAt}#${c.changeId}`);
    expect(recorded).toEqual([...recorded].sort());
    const statements = since.filter((c) => c.kind === 'position-changed' || c.kind === 'statement-applied').map((c) => String(c.changed['statementId']));
    expect(new Set(statements).size).toBe(statements.length);
    const expected = ['e2e-late-de', 'e2e-de-1', 'e2e-fr-1', 'e2e-nl-1', 'e2e-px-fr', 'e2e-px-de',
      ...Array.from({ length: 30 }, (_, i) => [`e2e-m${i}-in`, `e2e-m${i}-bf`]).flat()];
    expect([...statements].sort()).toEqual(expected.sort());
    const registry = since.filter((c) => c.kind === 'registry-changed').map((c) => String(c.changed['id'])).sort();
    expect(registry).toEqual(['e2e-back-fill', 'e2e-germany-vs-paris-club', 'e2e-grain-corridor', 'e2e-in-order', 'e2e-paris-club', 'e2e-prisoner-exchange']);
    expect(since.some((c) => c.kind === 'divergence-opened' && c.issue === 'e2e-grain-corridor')).toBe(true);
    expect(since.some((c) => c.kind === 'divergence-opened' && c.issue === 'e2e-prisoner-exchange')).toBe(true);
  });
});
