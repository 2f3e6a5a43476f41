import { describe, expect, it } from 'vitest';
import { replaySeed } from '../../../local/seed/replay.ts';
import { openDivergences } from '../../../functions/core/tracker.ts';
import { loadSeedSamples } from '../../../local/seed/seed-files.ts';

const EXPECTED_OPEN = [
  'actor-vs-bloc:ceasefire-before-peace-deal:russia:allies',
  'actor-vs-bloc:russia-as-guarantor:russia:allies',
  'actor-vs-bloc:western-troops-in-ukraine:russia:allies',
  'bloc-split:western-troops-in-ukraine:germany:allies',
];

const reversed = <T>(items: T[]): T[] => [...items].reverse();

describe('the seed scenario replayed through the core', () => {
  it('leaves exactly the four expected divergences open', () => {
    // Act
    const { issues } = replaySeed();

    // Assess
    expect(openDivergences(issues).map((e) => e.divergenceId).sort()).toEqual(EXPECTED_OPEN);
  });

  it('gives the same divergences and episodes whatever the delivery order', () => {
    // Prepare
    const inOrder = replaySeed();

    // Act
    const backwards = replaySeed(reversed);
    const twice = replaySeed((events) => [...reversed(events), ...events]);

    // Assess
    for (const other of [backwards, twice]) {
      expect([...other.issues.keys()]).toEqual([...inOrder.issues.keys()]);
      for (const [issue, replay] of inOrder.issues) {
        expect(other.issues.get(issue)?.episodes).toEqual(replay.episodes);
        expect(other.issues.get(issue)?.state.positions).toEqual(replay.state.positions);
      }
    }
  });

  it("tracks Trump's 'maybe' on a US backstop as +1, hedged, and raises no alert for it", () => {
    // Act
    const { issues } = replaySeed();
    const backstop = issues.get('us-security-backstop');

    // Assess
    const us = backstop?.state.positions.get('united-states');
    expect(us).toMatchObject({ stance: 1, hedged: true, statementId: 'seed-01-trump-us-security-backstop' });
    expect(backstop?.episodes).toEqual([]);
  });

  it('puts Germany at 0 on Western troops against the rest of its bloc at +2', () => {
    // Act
    const { issues } = replaySeed();
    const germany = openDivergences(issues).find((e) => e.kind === 'bloc-split');

    // Assess
    expect(germany).toMatchObject({ actor: 'germany', bloc: 'allies', actorStance: 0, otherStance: 2, gap: 2 });
    expect(germany?.evidence.actor).toEqual(['seed-09-germany-western-troops-in-ukraine']);
  });

  it('keeps every Arabic quote byte-exact from the published event to the history', () => {
    // Prepare
    const published = new Map(
      loadSeedSamples().map(({ event }) => [String(event.detail.statementId), event.detail.quote as { text: string }]),
    );

    // Act
    const { issues } = replaySeed();
    const history = [...issues.values()].flatMap((replay) => replay.history);

    // Assess
    expect(history).toHaveLength(published.size);
    for (const statement of history) {
      const original = published.get(statement.statementId);
      expect(Buffer.from(statement.quote?.text ?? '', 'utf8').equals(Buffer.from(original?.text ?? '', 'utf8'))).toBe(true);
    }
  });
});
