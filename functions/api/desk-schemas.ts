/**
 * The desk API's contract in zod (GET /me, POST /desk/events, POST /desk/preview), registered with
 * the read API's schemas so the OpenAPI document carries both. The request's detail is checked
 * against the event contracts themselves (application/desk/desk-request.ts); here it is described.
 */
import * as z from '../../events/zod.ts';
import { names, slug } from '../../events/common.ts';
import { DESK_DETAIL_TYPES } from '../application/desk/desk-request.ts';
import { apiSchemas } from './schema-registry.ts';
import { API_SCOPES } from './scopes.ts';

export const me = z
  .object({
    role: z.enum(['editor', 'reader']).check(z.describe('editor: may write (the `write` scope); reader: reads only.')),
    scopes: z.array(z.enum(API_SCOPES)).check(z.describe('The kinds of access the caller holds.')),
  })
  .register(apiSchemas, { id: 'Me' });

export const deskRequest = z
  .object({
    detailType: z.enum(DESK_DETAIL_TYPES as [string, ...string[]]).check(z.describe('The event to record: a statement, a stance change, a correction, a retraction or a registry record.')),
    detail: z.looseObject({}).check(z.describe('The detail exactly as its event contract (events/schemas/*.json) defines it, `schemaVersion` included.')),
  })
  .register(apiSchemas, { id: 'DeskRequest' });

export const deskAccepted = z
  .object({
    eventId: z.string().check(z.describe('The event id the bus gave it (locally, GET /_local/events?id= tells its fate).')),
    detailType: z.string(),
    source: z.string().check(z.describe('The event source it was published with, one the processor accepts for its type.')),
  })
  .register(apiSchemas, { id: 'DeskAccepted' });

const stanceOrNone = z.nullable(z.number()).check(z.describe('null: no stance'));

export const previewEffect = z
  .union([
    z.object({ kind: z.literal('position'), actor: slug, issue: slug, from: stanceOrNone, to: stanceOrNone }),
    z.object({
      kind: z.enum(['divergence-opens', 'divergence-closes']),
      watch: z.nullable(z.string()).check(z.describe('The watch that measures it; null for a reversal.')),
      issue: slug,
      divergenceId: z.string(),
      label: names,
    }),
  ])
  .register(apiSchemas, { id: 'PreviewEffect' });

export const deskPreview = z
  .object({
    effects: z.array(previewEffect).check(z.describe('Every stance that moves and every divergence that opens or closes, were the event recorded now.')),
    summary: z.object({ en: z.array(z.string()), ar: z.array(z.string()) }).check(z.describe('One line per effect, names from the registry (or one line saying nothing moves).')),
  })
  .register(apiSchemas, { id: 'DeskPreview' });
