/**
 * Content of the EventBridge schema registry, derived from the zod contracts in the catalog (the
 * same source as the committed events/schemas/*.json).
 *
 * Type JSONSchemaDraft4, generated with zod's `draft-4` target rather than converted from the
 * committed 2020-12 files: zod knows how each construct maps to draft 4 (const → enum,
 * exclusive bounds, nullable), a hand-written converter would have to re-learn it. The schema
 * describes the whole EventBridge event, the contract being its `detail`, because that is what
 * the registry's code bindings and discovered schemas describe.
 */
import { z } from 'zod';
import type { Contract } from '../events/catalog.ts';
import { TRACKER_SOURCE } from '../events/common.ts';

export const REGISTRY_SCHEMA_TYPE = 'JSONSchemaDraft4';
const DRAFT_4 = 'http://json-schema.org/draft-04/schema#';

type JsonObject = Record<string, unknown>;

export function registrySchemaContent(contract: Contract): JsonObject {
  // Publishers send the input shape (defaults may be left out); the tracker publishes the output shape.
  const io = contract.direction === 'outbound' ? 'output' : 'input';
  const { $schema: _schema, definitions, ...detail } = z.toJSONSchema(contract.schema, {
    target: 'draft-4',
    io,
    unrepresentable: 'any',
  }) as JsonObject;

  return {
    $schema: DRAFT_4,
    title: `${contract.detailType} v${contract.version}`,
    description: `EventBridge event "${contract.detailType}" (schema version ${contract.version}); the contract is its detail.`,
    type: 'object',
    required: ['detail-type', 'source', 'detail'],
    properties: {
      version: { type: 'string' },
      id: { type: 'string' },
      'detail-type': { type: 'string', enum: [contract.detailType] },
      source:
        contract.direction === 'outbound'
          ? { type: 'string', enum: [TRACKER_SOURCE] }
          : { type: 'string', not: { enum: [TRACKER_SOURCE] } },
      account: { type: 'string' },
      time: { type: 'string', format: 'date-time' },
      region: { type: 'string' },
      resources: { type: 'array', items: { type: 'string' } },
      detail,
    },
    // Refs inside the detail point at #/definitions/…, which must stay at the document root.
    ...(definitions === undefined ? {} : { definitions }),
  };
}
