/**
 * Registry events: actors, speakers, issues, blocs and watches are data that evolve without a
 * redeploy. Each is an upsert keyed by its id; the one with the latest `updatedAt` wins.
 */
import { z } from 'zod';
import { isoDateTime, names, schemaVersion, slug, text, MAX_TEXT_BYTES } from '../common.ts';

export const ACTOR_REGISTERED = 'Actor Registered';
export const SPEAKER_REGISTERED = 'Speaker Registered';
export const ISSUE_REGISTERED = 'Issue Registered';
export const BLOC_REGISTERED = 'Bloc Registered';
export const WATCH_REGISTERED = 'Watch Registered';

const alias = text(256);

export const actorRegisteredV1 = z
  .object({
    schemaVersion: schemaVersion('1'),
    actor: slug,
    kind: z.enum(['state', 'organisation', 'group']),
    names,
    aliases: z.array(alias).default([]).describe('Other spellings, English or Arabic; Arabic is matched normalised.'),
    updatedAt: isoDateTime,
  })
  .describe('Actor Registered v1');

export const speakerRegisteredV1 = z
  .object({
    schemaVersion: schemaVersion('1'),
    speaker: slug,
    actor: slug.describe('The actor this speaker speaks for.'),
    role: names.optional(),
    names,
    aliases: z.array(alias).default([]),
    updatedAt: isoDateTime,
  })
  .describe('Speaker Registered v1');

export const issueRegisteredV1 = z
  .object({
    schemaVersion: schemaVersion('1'),
    issue: slug,
    title: names,
    proposition: names.describe('The open question phrased as a proposition; stances are relative to it.'),
    status: z.enum(['open', 'closed']).default('open'),
    updatedAt: isoDateTime,
  })
  .describe('Issue Registered v1');

export const blocRegisteredV1 = z
  .object({
    schemaVersion: schemaVersion('1'),
    bloc: slug,
    names,
    members: z.array(slug).max(1_000, 'must list at most 1000 members'),
    updatedAt: isoDateTime,
  })
  .describe('Bloc Registered v1');

export const DEFAULT_THRESHOLD = 2;

export const watchRegisteredV1 = z
  .object({
    schemaVersion: schemaVersion('1'),
    watch: slug,
    kind: z
      .enum(['actor-vs-bloc', 'bloc-split'])
      .describe('actor-vs-bloc: one actor against a bloc; bloc-split: every member against the rest of its own bloc.'),
    actor: slug.optional().describe('Required for actor-vs-bloc.'),
    bloc: slug,
    issues: z.array(slug).min(1).or(z.literal('*')).default('*').describe('Issues watched, or "*" for every issue.'),
    threshold: z.number().int().min(1).max(4).default(DEFAULT_THRESHOLD).describe('Gap that opens a divergence.'),
    note: text(MAX_TEXT_BYTES).optional(),
    updatedAt: isoDateTime,
  })
  .superRefine((watch, ctx) => {
    if (watch.kind === 'actor-vs-bloc' && !watch.actor) {
      ctx.addIssue({ code: 'custom', path: ['actor'], message: 'is required when kind is actor-vs-bloc' });
    }
  })
  .describe('Watch Registered v1');

export type ActorRegisteredV1 = z.infer<typeof actorRegisteredV1>;
export type SpeakerRegisteredV1 = z.infer<typeof speakerRegisteredV1>;
export type IssueRegisteredV1 = z.infer<typeof issueRegisteredV1>;
export type BlocRegisteredV1 = z.infer<typeof blocRegisteredV1>;
export type WatchRegisteredV1 = z.infer<typeof watchRegisteredV1>;
