/**
 * Named schemas of the read and desk APIs: each becomes a `components.schemas` entry of the
 * OpenAPI document. A module of its own so that the desk API registers its schemas without
 * loading (and building at cold start) the read API's (schemas.ts re-exports it).
 */
import * as z from '../../events/zod.ts';

export const apiSchemas = z.registry<{ id: string }>();
