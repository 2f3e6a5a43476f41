import { describe, expect, it } from 'vitest';
import { triage } from '../../../../functions/application/batch/triage.ts';
import { message, speakerEvent, statementEvent } from './fakes.ts';

const SOURCES: ReadonlySet<string> = new Set(['newsroom.registry', 'newsroom.desk']);

describe('triage', () => {
  it('sorts a batch into registry events, statements and refusals, each in the order it came', () => {
    // Prepare
    const first = message(statementEvent({ statementId: 'a' }));
    const registration = message(speakerEvent());
    const broken = message(statementEvent({ stance: 7 }));
    const second = message(statementEvent({ statementId: 'b', speaker: 'قائد الكرملين' }));

    // Act
    const sorted = triage([first, registration, broken, second], SOURCES);

    // Assess
    expect(sorted.registryEvents.map((r) => [r.message.messageId, r.event.detailType])).toEqual([[registration.messageId, 'Speaker Registered']]);
    expect(sorted.statements.map((s) => [s.message.messageId, s.event.detailType === 'Statement Recorded' && s.event.detail.statementId])).toEqual([
      [first.messageId, 'a'],
      [second.messageId, 'b'],
    ]);
    expect(sorted.refused).toEqual([
      {
        message: broken, reason: 'invalid-event', detailType: 'Statement Recorded',
        problems: [{ field: 'detail.stance', reason: 'must be between -2 (reject) and +2 (commit)' }],
      },
    ]);
  });

  it.each([
    ['an unknown detail-type', { source: 'newsroom.desk', 'detail-type': 'Statement Recordet', detail: {} }, 'unknown-detail-type', 'detail-type'],
    ['the tracker\'s own source', statementEvent({}, 'position-tracker'), 'not-an-input', 'source'],
    ['an event the tracker publishes', { source: 'newsroom.desk', 'detail-type': 'Position Changed', detail: { schemaVersion: '1' } }, 'not-an-input', 'detail-type'],
    ['a registry event from a source not allowed', speakerEvent({}, 'wire.ingest'), 'unauthorised-source', 'source'],
    ['an invalid registry event from a source not allowed', speakerEvent({ names: {} }, 'wire.ingest'), 'unauthorised-source', 'source'],
    ['a body that is not JSON', '{"source":', 'invalid-event', 'event'],
  ])('refuses %s', (_case, event, reason, field) => {
    // Act
    const { refused, registryEvents, statements } = triage([message(event)], SOURCES);
    // Assess
    expect([registryEvents, statements]).toEqual([[], []]);
    expect(refused).toHaveLength(1);
    expect(refused[0]).toMatchObject({ reason });
    expect(refused[0]!.problems[0]!.field).toBe(field);
  });
});
