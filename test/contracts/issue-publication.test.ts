/**
 * Publication per issue: `published` on Issue Registered v1 decides whether an issue reaches the
 * public feeds. It came after v1 was published, so it must be optional with a default that keeps
 * every earlier publisher's issues exactly as private as they were.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { SCHEMAS_DIR } from '../../events/export-schemas.ts';
import { ISSUE_REGISTERED } from '../../events/registry/registry-events.v1.ts';
import { loadSeedRegistryDetails } from '../../local/seed/seed-files.ts';
import { parseEvent } from '../../events/validation.ts';
import { isRegistryEvent, toRegistryUpdate } from '../../functions/application/contracts-v1.ts';
import { breakingChanges } from './compat.ts';

const readJson = (path: string | URL): Record<string, any> => JSON.parse(readFileSync(path, 'utf8'));

const issueEvent = (extra: Record<string, unknown>) => ({
  version: '0',
  id: 'b1f3c5d7-0000-4000-8000-000000000001',
  'detail-type': ISSUE_REGISTERED,
  source: 'newsroom.desk',
  account: '123456789012',
  time: '2026-01-05T10:00:00Z',
  region: 'eu-west-1',
  resources: [],
  detail: {
    schemaVersion: '1',
    issue: 'energy-sanctions',
    title: { en: 'Energy sanctions', ar: 'عقوبات الطاقة' },
    proposition: { en: 'Energy sanctions stay', ar: 'تبقى عقوبات الطاقة' },
    updatedAt: '2026-01-05T10:00:00Z',
    ...extra,
  },
});

const registryUpdateOf = (extra: Record<string, unknown>) => {
  const result = parseEvent(issueEvent(extra));
  if (!result.ok) throw new Error(JSON.stringify(result.problems));
  if (!isRegistryEvent(result.event)) throw new Error(`${result.event.detailType} is not a registry event`);
  return toRegistryUpdate(result.event);
};

describe('Issue Registered v1: published', () => {
  it('is a compatible addition to the published contract: optional, boolean, default false', () => {
    // Prepare
    const snapshot = readJson(new URL('./published/issue-registered.v1.json', import.meta.url));
    const current = readJson(`${SCHEMAS_DIR}issue-registered.v1.json`);
    // Act / Assess
    expect(breakingChanges(snapshot, current)).toEqual([]);
    expect(current.required).not.toContain('published');
    expect(current.properties.published).toMatchObject({ type: 'boolean', default: false });
  });

  it('leaves an issue sent without it unpublished, as every issue was before', () => {
    // Act
    const update = registryUpdateOf({});
    // Assess
    expect(update).toMatchObject({ type: 'issue', record: { id: 'energy-sanctions', published: false } });
  });

  it('publishes an issue sent with published: true', () => {
    const update = registryUpdateOf({ published: true });
    expect(update).toMatchObject({ type: 'issue', record: { published: true } });
  });

  it('refuses anything but a boolean, naming the field', () => {
    // Act
    const result = parseEvent(issueEvent({ published: 'yes' }));
    // Assess
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.problems.map((p) => p.field)).toContain('detail.published');
  });

  it('is set on every issue of the seed, so a local run shows feeds out of the box', () => {
    const issues = loadSeedRegistryDetails().find((file) => file.detailType === ISSUE_REGISTERED)?.details ?? [];
    expect(issues.length).toBeGreaterThan(0);
    expect(issues.map((issue) => (issue as { published?: unknown }).published)).toEqual(issues.map(() => true));
  });
});
