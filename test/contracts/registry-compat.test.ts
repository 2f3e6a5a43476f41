/**
 * The registry contracts grew dated members, a quorum and a status without breaking a publisher:
 * details written to the published v1 snapshots still validate, and mean what they meant.
 */
import { describe, expect, it } from 'vitest';
import { DESK_SOURCE } from '../../events/common.ts';
import { BLOC_REGISTERED, WATCH_REGISTERED } from '../../events/registry/registry-events.v1.ts';
import { parseEvent } from '../../events/validation.ts';

const registryEvent = (detailType: string, detail: Record<string, unknown>) =>
  parseEvent({ source: DESK_SOURCE, 'detail-type': detailType, detail: { schemaVersion: '1', updatedAt: '2025-09-01T00:00:00Z', ...detail } });

const names = { en: 'Allies', ar: 'الحلفاء' };

describe('Bloc Registered v1 members', () => {
  it('still takes plain actor ids, as the published contract does', () => {
    const parsed = registryEvent(BLOC_REGISTERED, { bloc: 'allies', names, members: ['france', 'germany'] });
    expect(parsed.ok && parsed.event.detail).toMatchObject({ members: ['france', 'germany'] });
  });

  it('takes members for a period, mixed with plain ids', () => {
    const parsed = registryEvent(BLOC_REGISTERED, {
      bloc: 'allies', names, members: ['france', { actor: 'poland', since: '2026-02-01T00:00:00Z' }, { actor: 'hungary', until: '2026-03-01T00:00:00+01:00' }],
    });
    expect(parsed.ok).toBe(true);
  });

  it('refuses a period that ends before it starts, naming the field', () => {
    const parsed = registryEvent(BLOC_REGISTERED, {
      bloc: 'allies', names, members: [{ actor: 'poland', since: '2026-02-01T00:00:00Z', until: '2026-01-01T00:00:00Z' }],
    });
    expect(parsed.ok ? [] : parsed.problems).toEqual([expect.objectContaining({ field: 'detail.members.0.until', reason: 'must be later than since' })]);
  });
});

describe('Watch Registered v1 quorum and status', () => {
  it('a watch written before either existed gets quorum 3 and is active', () => {
    const parsed = registryEvent(WATCH_REGISTERED, { watch: 'allies-split', kind: 'bloc-split', bloc: 'allies', threshold: 2 });
    expect(parsed.ok && parsed.event.detail).toMatchObject({ quorum: 3, status: 'active' });
  });

  it('refuses a quorum below one and an unknown status', () => {
    const parsed = registryEvent(WATCH_REGISTERED, { watch: 'w', kind: 'bloc-split', bloc: 'allies', quorum: 0, status: 'paused' });
    expect(parsed.ok ? [] : parsed.problems.map((p) => p.field).sort()).toEqual(['detail.quorum', 'detail.status']);
  });
});
