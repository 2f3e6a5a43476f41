/**
 * Registry changes take effect at once, through the real handler and batch processor on dynalite:
 * a bloc's quorum, a watch added where positions already diverge, a watch retired, a member added
 * with a date, and a record dated far in the future.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SQSRecord } from 'aws-lambda';
import { DESK_SOURCE } from '../../events/common.ts';
import { STANCE_CHANGED } from '../../events/inbound/stance-changed.v1.ts';
import { POSITIONS_CONVERGED, POSITIONS_DIVERGED, type PositionsDivergedV1 } from '../../events/outbound/divergence-alert.v1.ts';
import { BLOC_REGISTERED, ISSUE_REGISTERED, WATCH_REGISTERED } from '../../events/registry/registry-events.v1.ts';
import { DynamoReadRepository } from '../../functions/adapters/dynamodb/read.repository.ts';
import { createPositionReader } from '../../functions/application/read-model.ts';
import { startDynalite, type EmbeddedDynamo } from '../../support/dynalite.ts';
import { seededProcessorRig, type ProcessorRig } from '../../support/processor-rig.ts';
import { sqsRecord } from '../../support/sqs-events.ts';
import { readTableState } from '../support/tracker-table.ts';

/** One embedded DynamoDB for the file, each test on a table of its own with the seed registry. */
let store: EmbeddedDynamo | undefined;
beforeAll(async () => void (store = await startDynalite()));
afterAll(async () => store?.stop());
const seededRig = (): Promise<ProcessorRig> => seededProcessorRig(store!);

const registration = (detailType: string, detail: Record<string, unknown>, updatedAt = '2025-09-02T00:00:00Z'): SQSRecord =>
  sqsRecord({ source: DESK_SOURCE, 'detail-type': detailType, detail: { schemaVersion: '1', updatedAt, ...detail } });

const issue = (id: string): SQSRecord =>
  registration(ISSUE_REGISTERED, { issue: id, title: { en: id, ar: 'قضية' }, proposition: { en: id, ar: 'اقتراح' } });

const change = (changeId: string, actor: string, issueId: string, stance: number, effectiveAt: string): SQSRecord =>
  sqsRecord({
    source: DESK_SOURCE,
    'detail-type': STANCE_CHANGED,
    detail: {
      schemaVersion: '1', changeId, actor, issue: issueId, stance, hedged: false, effectiveAt,
      reason: 'briefing', source: { outlet: 'wire' }, recordedBy: 'desk',
    },
  });

const deliverAll = async (rig: ProcessorRig, records: SQSRecord[]): Promise<void> => {
  for (const record of records) expect((await rig.deliver([record])).batchItemFailures).toEqual([]);
};

const diverged = (rig: ProcessorRig): string[] =>
  rig.publisher.ofType(POSITIONS_DIVERGED).map((e) => (e.detail as PositionsDivergedV1).divergenceId);

describe('quorum', () => {
  it('a bloc with two members who have spoken raises no bloc-split; with a third it does', async () => {
    // Prepare: the seed's allies-split watches every issue at the default quorum, 3.
    const rig = await seededRig();
    await deliverAll(rig, [issue('grain-corridor')]);

    // Act
    await deliverAll(rig, [
      change('de-1', 'germany', 'grain-corridor', -2, '2025-09-05T10:00:00Z'),
      change('fr-1', 'france', 'grain-corridor', 2, '2025-09-05T11:00:00Z'),
    ]);
    const afterTwo = diverged(rig);
    await deliverAll(rig, [change('nl-1', 'netherlands', 'grain-corridor', 2, '2025-09-05T12:00:00Z')]);

    // Assess
    expect(afterTwo).toEqual([]);
    expect(diverged(rig)).toContain('bloc-split:grain-corridor:germany:allies');
  });
});

describe('a watch registered or retired', () => {
  const ISSUE = 'prisoner-exchange';
  const PAIR = `actor-vs-bloc:${ISSUE}:germany:paris-club`;
  const bloc = registration(BLOC_REGISTERED, { bloc: 'paris-club', names: { en: 'Paris club', ar: 'نادي باريس' }, members: ['france', 'united-kingdom'] });
  const watch = (status: 'active' | 'retired', updatedAt: string) =>
    registration(WATCH_REGISTERED, { watch: 'germany-vs-paris-club', kind: 'actor-vs-bloc', actor: 'germany', bloc: 'paris-club', issues: [ISSUE], quorum: 1, status }, updatedAt);

  it('opens at once a divergence the positions already show, and a retirement withdraws it', async () => {
    // Prepare: Germany and France apart on an issue nobody watches them on yet.
    const rig = await seededRig();
    await deliverAll(rig, [issue(ISSUE), bloc]);
    await deliverAll(rig, [change('fr-1', 'france', ISSUE, 2, '2025-09-05T10:00:00Z'), change('de-1', 'germany', ISSUE, -1, '2025-09-05T11:00:00Z')]);
    expect(diverged(rig)).toEqual([]);

    // Act: the watch is registered, with no statement after it.
    await deliverAll(rig, [watch('active', '2025-09-06T00:00:00Z')]);

    // Assess
    expect(diverged(rig)).toEqual([PAIR]);
    const opened = await readTableState(rig.client, rig.tableName);
    expect(opened.episodes.filter((e) => e.episode.divergenceId === PAIR).map((e) => [e.status, e.episode.openedBy])).toEqual([['open', 'de-1']]);

    // Act: the watch is retired.
    rig.publisher.published.length = 0;
    await deliverAll(rig, [watch('retired', '2025-09-07T00:00:00Z')]);

    // Assess: one Positions Converged withdrawing it, the episode kept as withdrawn, nothing open.
    const converged = rig.publisher.ofType(POSITIONS_CONVERGED);
    expect(converged.map((e) => (e.detail as { divergenceId: string }).divergenceId)).toEqual([PAIR]);
    const retired = await readTableState(rig.client, rig.tableName);
    const episode = retired.episodes.find((e) => e.episode.divergenceId === PAIR);
    expect(episode).toMatchObject({ status: 'withdrawn', withdrawnReason: expect.stringContaining('registry change watch:germany-vs-paris-club') });
    expect(retired.pointers.filter((p) => p.divergenceId === PAIR)).toEqual([]);

    // Act / Assess: a redelivery of the retirement publishes nothing more.
    rig.publisher.published.length = 0;
    await deliverAll(rig, [watch('retired', '2025-09-07T00:00:00Z')]);
    expect(rig.publisher.published).toEqual([]);
  });
});

describe('a member added with since', () => {
  it('changes the bloc stance only from that date, in the divergences and in as-of reads', async () => {
    // Prepare: the Netherlands joins the club on 10 September; Germany is measured against it.
    const ISSUE = 'energy-price-cap';
    const rig = await seededRig();
    await deliverAll(rig, [
      issue(ISSUE),
      registration(BLOC_REGISTERED, {
        bloc: 'paris-club', names: { en: 'Paris club', ar: 'نادي باريس' },
        members: ['france', { actor: 'netherlands', since: '2025-09-10T00:00:00Z' }],
      }),
      registration(WATCH_REGISTERED, { watch: 'germany-vs-club', kind: 'actor-vs-bloc', actor: 'germany', bloc: 'paris-club', issues: [ISSUE], quorum: 1 }),
    ]);

    // Act
    await deliverAll(rig, [
      change('fr-1', 'france', ISSUE, 2, '2025-09-05T10:00:00Z'),
      change('nl-1', 'netherlands', ISSUE, -2, '2025-09-06T10:00:00Z'),
      change('de-1', 'germany', ISSUE, 0, '2025-09-07T10:00:00Z'),
    ]);
    const beforeJoining = diverged(rig).filter((id) => id.endsWith(':paris-club'));
    await deliverAll(rig, [change('de-2', 'germany', ISSUE, 0, '2025-09-11T10:00:00Z')]);

    // Assess: before the Netherlands joined the club stood at +2 (France alone), 2 from Germany.
    expect(beforeJoining).toEqual([`actor-vs-bloc:${ISSUE}:germany:paris-club`]);
    const table = await readTableState(rig.client, rig.tableName);
    const club = table.episodes.filter((e) => e.episode.bloc === 'paris-club');
    expect(club.map((e) => [e.status, e.episode.openedBy, e.episode.closedBy])).toEqual([['closed', 'de-1', 'de-2']]);
    const reader = createPositionReader({ store: new DynamoReadRepository({ tableName: rig.tableName, client: rig.client }) });
    const clubAsOf = async (asOf: string) => (await reader.issueMatrix(ISSUE, asOf)).blocs.find((b) => b.bloc === 'paris-club');
    expect(await clubAsOf('2025-09-08T00:00:00Z')).toMatchObject({ stance: 2, members: ['france'], basis: 1, quorum: 1 });
    expect(await clubAsOf('2025-09-12T00:00:00Z')).toMatchObject({ stance: 0, members: ['france', 'netherlands'], basis: 2, quorum: 1 });
  });
});

describe('a registry record dated far ahead of the processing clock', () => {
  it('is quarantined as invalid-event on detail.updatedAt, saying why, and changes nothing', async () => {
    // Prepare
    const rig = await seededRig();
    const typo = registration(WATCH_REGISTERED, { watch: 'allies-split', kind: 'bloc-split', bloc: 'allies', threshold: 4 }, '2925-09-01T00:00:00Z');

    // Act
    const response = await rig.deliver([typo]);

    // Assess
    expect(response.batchItemFailures).toEqual([]);
    expect(rig.reports.at(-1)?.outcomes).toEqual([
      expect.objectContaining({
        status: 'quarantined', reason: 'invalid-event',
        problems: [{ field: 'detail.updatedAt', reason: expect.stringMatching(/more than a day ahead of the processing clock/) }],
      }),
    ]);
    expect((await rig.ports.registry.loadRegistry()).watches.get('allies-split')?.threshold).toBe(2);
  });
});
