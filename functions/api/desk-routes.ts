/**
 * The desk API's routes: who is calling, and the two write routes behind the web app's desk. Like
 * the read API's table (routes.ts), the one list the local server, the CDK construct (routes and
 * JWT scopes) and the OpenAPI document read.
 */
import type * as z from '../../events/zod.ts';
import { deskAccepted, deskPreview, deskRequest, me } from './desk-schemas.ts';
import type { RouteErrors } from './routes.ts';
import type { ApiScope } from './routes.ts';

export type DeskRouteId = 'me' | 'deskEvents' | 'deskPreview';

export interface DeskRouteSpec {
  id: DeskRouteId;
  method: 'GET' | 'POST';
  path: string;
  scope: ApiScope;
  summary: string;
  description?: string;
  /** The JSON body a POST takes. */
  request?: z.ZodMiniType;
  status: 200 | 202;
  response: z.ZodMiniType;
  errors: RouteErrors & Partial<Record<'BadRequest' | 'Forbidden', string>>;
}

const BAD_REQUEST =
  'Every problem at once in `problems`: `field` is a dotted path inside `detail` (`quote.lang`), `detailType` for an unknown type, or `body` (not JSON, not UTF-8, over 256 KB). Nothing is sent.';

export const DESK_ROUTES: readonly DeskRouteSpec[] = [
  {
    id: 'me',
    method: 'GET',
    path: '/me',
    scope: 'read',
    summary: "The caller's role and scopes",
    status: 200,
    response: me,
    errors: {},
  },
  {
    id: 'deskEvents',
    method: 'POST',
    path: '/desk/events',
    scope: 'write',
    summary: 'Record a statement, a stance change, a correction, a retraction or a registry record',
    description:
      'Checked against the event contract the processor reads it with, then put on the tracker bus as one event (the processor records it, as any other publisher\'s). 202 once the bus has it.',
    request: deskRequest,
    status: 202,
    response: deskAccepted,
    errors: { BadRequest: BAD_REQUEST, Forbidden: 'The caller has no `write` scope (a reader).' },
  },
  {
    id: 'deskPreview',
    method: 'POST',
    path: '/desk/preview',
    scope: 'write',
    summary: 'What recording the event would change: stances that move, divergences that open or close (a dry run)',
    description:
      'Computed by the processor\'s core on the issue\'s current record; nothing is written or sent. A name the registry does not know is a 400 here, as it would be quarantined.',
    request: deskRequest,
    status: 200,
    response: deskPreview,
    errors: { BadRequest: BAD_REQUEST, Forbidden: 'The caller has no `write` scope (a reader).' },
  },
];
