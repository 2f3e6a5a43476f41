/**
 * Checks the seed DATA against the scenario of PRODUCT.md with a reference computation of the
 * product rules (current position = latest said; bloc stance = median of members' known stances;
 * bloc-split compares a member with the median of the OTHER members). It is not the divergence
 * engine's test: it guards that the samples and registry tell the story they are meant to tell.
 */
import { describe, expect, it } from 'vitest';
import { loadSeedRegistryUpdates, loadSeedSamples } from '../../local/seed/seed-files.ts';
import { parseEvent } from '../../events/validation.ts';
import { toReportedStatement } from '../../functions/application/contracts-v1.ts';
import { buildRegistry, watchesFor } from '../../functions/core/registry.ts';
import { resolveStatement } from '../../functions/core/resolution.ts';
import type { StatementRecord } from '../../functions/core/types.ts';

const registry = buildRegistry(loadSeedRegistryUpdates());
const statements: StatementRecord[] = loadSeedSamples()
  .map(({ event }) => {
    const result = parseEvent(event);
    if (!result.ok || result.event.detailType !== 'Statement Recorded') throw new Error(JSON.stringify(result));
    return resolveStatement(toReportedStatement(result.event), registry);
  })
  .sort((a, b) => a.saidAt.localeCompare(b.saidAt) || a.statementId.localeCompare(b.statementId));

const median = (values: number[]): number | undefined => {
  if (values.length === 0) return undefined;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1]! + sorted[mid]!) / 2;
};

/** Open divergences given the statements said so far, as `kind actor/bloc issue` strings. */
const divergences = (said: StatementRecord[]): string[] => {
  const current = new Map<string, number>();
  for (const s of said) current.set(`${s.actor}|${s.issue}`, s.stance);
  const stanceOf = (actor: string, issue: string) => current.get(`${actor}|${issue}`);
  const open: string[] = [];
  for (const issue of registry.issues.keys()) {
    for (const watch of watchesFor(registry, issue)) {
      const members = registry.blocs.get(watch.bloc)?.members ?? [];
      const known = (actors: string[]) => actors.map((a) => stanceOf(a, issue)).filter((v): v is number => v !== undefined);
      if (watch.kind === 'actor-vs-bloc') {
        const mine = stanceOf(watch.actor!, issue);
        const theirs = median(known(members.filter((m) => m !== watch.actor)));
        if (mine !== undefined && theirs !== undefined && Math.abs(mine - theirs) >= watch.threshold) {
          open.push(`actor-vs-bloc ${watch.actor}/${watch.bloc} ${issue}`);
        }
      } else {
        for (const member of members) {
          const mine = stanceOf(member, issue);
          const theirs = median(known(members.filter((m) => m !== member)));
          if (mine !== undefined && theirs !== undefined && Math.abs(mine - theirs) >= watch.threshold) {
            open.push(`bloc-split ${member}/${watch.bloc} ${issue}`);
          }
        }
      }
    }
  }
  return open.sort();
};

const EXPECTED = [
  'actor-vs-bloc russia/allies ceasefire-before-peace-deal',
  'actor-vs-bloc russia/allies russia-as-guarantor',
  'actor-vs-bloc russia/allies western-troops-in-ukraine',
  'bloc-split germany/allies western-troops-in-ukraine',
];

describe('the seed scenario', () => {
  it('ends with exactly the divergences PRODUCT.md expects, at the default threshold', () => {
    expect(divergences(statements)).toEqual(EXPECTED);
  });

  it('never opens any other divergence along the way, in said order', () => {
    // Act: the divergences open after each statement.
    const ever = new Set(statements.flatMap((_, i) => divergences(statements.slice(0, i + 1))));
    // Assess
    expect([...ever].sort()).toEqual(EXPECTED);
  });

  it('has no reversal: no actor moves by the threshold between two of its statements on an issue', () => {
    const last = new Map<string, number>();
    const flips: string[] = [];
    for (const s of statements) {
      const key = `${s.actor} ${s.issue}`;
      const before = last.get(key);
      if (before !== undefined && Math.abs(s.stance - before) >= 2) flips.push(key);
      last.set(key, s.stance);
    }
    expect(flips).toEqual([]);
  });

  it('keeps the US "maybe" on the backstop within the threshold of the allies', () => {
    const us = statements.find((s) => s.actor === 'united-states' && s.issue === 'us-security-backstop');
    expect(us).toMatchObject({ stance: 1, hedged: true, speaker: 'trump' });
  });
});
