/**
 * Registry events: actors, speakers, issues, blocs and watches are data that evolve without a
 * redeploy. Each is an upsert keyed by its id; the one with the latest `updatedAt` wins.
 */
import * as z from '../zod.ts';
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
    aliases: z._default(z.array(alias), []).check(z.describe('Other spellings, English or Arabic; Arabic is matched normalised.')),
    updatedAt: isoDateTime,
  })
  .check(z.describe('Actor Registered v1'));

export const speakerRegisteredV1 = z
  .object({
    schemaVersion: schemaVersion('1'),
    speaker: slug,
    actor: slug.check(z.describe('The actor this speaker speaks for.')),
    role: z.optional(names),
    names,
    aliases: z._default(z.array(alias), []),
    updatedAt: isoDateTime,
  })
  .check(z.describe('Speaker Registered v1'));

export const issueRegisteredV1 = z
  .object({
    schemaVersion: schemaVersion('1'),
    issue: slug,
    title: names,
    proposition: names.check(z.describe('The open question phrased as a proposition; stances are relative to it.')),
    status: z._default(z.enum(['open', 'closed']), 'open'),
    published: z
      ._default(z.boolean(), false)
      .check(z.describe('Whether the issue reaches the public feeds for graphics desks (CSV and JSON, no credentials); off unless set.')),
    updatedAt: isoDateTime,
  })
  .check(z.describe('Issue Registered v1'));

/** A member for a period of said time: from `since` (inclusive) until `until` (exclusive). */
export const datedMember = z
  .object({
    actor: slug,
    since: z.optional(isoDateTime).check(z.describe('Member from this said time on; without it, from the start.')),
    until: z.optional(isoDateTime).check(z.describe('Member until this said time (not included); without it, for good.')),
  })
  .check(
    z.superRefine((member, ctx) => {
      if (member.since !== undefined && member.until !== undefined && Date.parse(member.until) <= Date.parse(member.since)) {
        ctx.addIssue({ code: 'custom', path: ['until'], message: 'must be later than since' });
      }
    }),
  );

export const blocRegisteredV1 = z
  .object({
    schemaVersion: schemaVersion('1'),
    bloc: slug,
    names,
    members: z
      .array(z.union([slug, datedMember]))
      .check(
        z.maxLength(1_000, 'must list at most 1000 members'),
        z.describe('Actor ids (a member at every time), or { actor, since, until } for a period; an actor may be listed for several periods.'),
      ),
    updatedAt: isoDateTime,
  })
  .check(z.describe('Bloc Registered v1'));

export const DEFAULT_THRESHOLD = 2;
export const DEFAULT_QUORUM = 3 as const;

export const watchRegisteredV1 = z
  .object({
    schemaVersion: schemaVersion('1'),
    watch: slug,
    kind: z
      .enum(['actor-vs-bloc', 'bloc-split'])
      .check(z.describe('actor-vs-bloc: one actor against a bloc; bloc-split: every member against the rest of its own bloc.')),
    actor: z.optional(slug).check(z.describe('Required for actor-vs-bloc.')),
    bloc: slug,
    issues: z._default(z.union([z.array(slug).check(z.minLength(1)), z.literal('*')]), '*').check(z.describe('Issues watched, or "*" for every issue.')),
    threshold: z._default(z.number().check(z.int(), z.gte(1), z.lte(4)), DEFAULT_THRESHOLD).check(z.describe('Gap that opens a divergence.')),
    quorum: z
      ._default(z.number().check(z.int(), z.gte(1), z.lte(1_000)), DEFAULT_QUORUM)
      .check(z.describe('How many of the bloc\'s members must have a stance on the issue before the bloc has one (and a divergence can be measured against it).')),
    status: z
      ._default(z.enum(['active', 'retired']), 'active')
      .check(z.describe('retired: the watch watches nothing; the record becomes what it would be had it never been registered.')),
    note: z.optional(text(MAX_TEXT_BYTES)),
    updatedAt: isoDateTime,
  })
  .check(
    z.superRefine((watch, ctx) => {
      if (watch.kind === 'actor-vs-bloc' && !watch.actor) {
        ctx.addIssue({ code: 'custom', path: ['actor'], message: 'is required when kind is actor-vs-bloc' });
      }
    }),
  )
  .check(z.describe('Watch Registered v1'));

export type ActorRegisteredV1 = z.infer<typeof actorRegisteredV1>;
export type SpeakerRegisteredV1 = z.infer<typeof speakerRegisteredV1>;
export type IssueRegisteredV1 = z.infer<typeof issueRegisteredV1>;
export type BlocRegisteredV1 = z.infer<typeof blocRegisteredV1>;
export type WatchRegisteredV1 = z.infer<typeof watchRegisteredV1>;
export type DatedMemberV1 = z.infer<typeof datedMember>;
