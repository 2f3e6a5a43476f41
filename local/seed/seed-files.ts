/**
 * The seed scenario's files: the registry (`events/seed/registry/*.json`, arrays of registry event
 * details) and one published event per statement of the Paris summit article (`events/samples/*.json`).
 * The data are the contracts' examples and stay in events/; the code that reads them and turns them
 * into domain records lives here, because events/ depends on nothing. Files are read relative to
 * this module so the loader works from any working directory.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import {
  ACTOR_REGISTERED, BLOC_REGISTERED, ISSUE_REGISTERED, SPEAKER_REGISTERED, WATCH_REGISTERED,
  actorRegisteredV1, blocRegisteredV1, issueRegisteredV1, speakerRegisteredV1, watchRegisteredV1,
} from '../../events/registry/registry-events.v1.ts';
import { toRegistryUpdate, type RegistryDetailV1 } from '../../functions/application/contracts-v1.ts';
import type { RegistryUpdate } from '../../functions/core/registry.ts';
import { describeProblems } from '../../functions/core/errors.ts';
import type * as z from '../../events/zod.ts';

export const SEED_REGISTRY_DIR = fileURLToPath(new URL('../../events/seed/registry/', import.meta.url));
export const SEED_SAMPLES_DIR = fileURLToPath(new URL('../../events/samples/', import.meta.url));
/** A byte-for-byte copy of the article the samples quote; tests check every quote is a slice of it. */
export const SEED_ARTICLE_PATH = fileURLToPath(new URL('../../events/seed/article/paris-summit-article.ar.txt', import.meta.url));

/** Which registry event each registry file holds, in the order they are loaded. */
export const SEED_REGISTRY_FILES = [
  { file: 'actors.json', detailType: ACTOR_REGISTERED, schema: actorRegisteredV1 },
  { file: 'speakers.json', detailType: SPEAKER_REGISTERED, schema: speakerRegisteredV1 },
  { file: 'issues.json', detailType: ISSUE_REGISTERED, schema: issueRegisteredV1 },
  { file: 'blocs.json', detailType: BLOC_REGISTERED, schema: blocRegisteredV1 },
  { file: 'watches.json', detailType: WATCH_REGISTERED, schema: watchRegisteredV1 },
] as const satisfies ReadonlyArray<{ file: string; detailType: string; schema: z.ZodMiniType }>;

/** A sample as publishers send it with PutEvents (EventBridge adds id, time, account…). */
export interface SeedEvent {
  source: string;
  'detail-type': string;
  detail: Record<string, unknown>;
}

const readJson = (path: string): unknown => JSON.parse(readFileSync(path, 'utf8'));

/** The raw registry event details of each file, as committed (before defaults). */
export const loadSeedRegistryDetails = (): Array<{ file: string; detailType: string; details: unknown[] }> =>
  SEED_REGISTRY_FILES.map(({ file, detailType }) => {
    const details = readJson(`${SEED_REGISTRY_DIR}${file}`);
    if (!Array.isArray(details)) throw new Error(`${file} must hold an array of ${detailType} details`);
    return { file, detailType, details };
  });

/** Every seed registry record, validated against its contract and turned into a registry update. */
export const loadSeedRegistryUpdates = (): RegistryUpdate[] =>
  loadSeedRegistryDetails().flatMap(({ file, detailType, details }) => {
    const { schema } = SEED_REGISTRY_FILES.find((entry) => entry.file === file)!;
    return details.map((detail, index) => {
      const parsed = schema.safeParse(detail);
      if (!parsed.success) {
        const problems = parsed.error.issues.map((issue) => ({ field: issue.path.join('.'), reason: issue.message }));
        throw new Error(`${file}[${index}] is not a valid ${detailType}: ${describeProblems(problems)}`);
      }
      return toRegistryUpdate({ detailType, detail: parsed.data } as RegistryDetailV1);
    });
  });

/** Every sample event, sorted by file name (which is also said order). */
export const loadSeedSamples = (): Array<{ file: string; event: SeedEvent }> =>
  readdirSync(SEED_SAMPLES_DIR)
    .filter((file) => file.endsWith('.json'))
    .sort()
    .map((file) => ({ file, event: readJson(`${SEED_SAMPLES_DIR}${file}`) as SeedEvent }));

