/**
 * The flags of `npm start` (local/main.ts): parsed into RuntimeOptions, with the documented
 * environment fallbacks (AWS_ENDPOINT_URL_DYNAMODB, TRACKER_API_KEY, TRACKER_TABLE_NAME,
 * TRACKER_REGISTRY_SOURCES).
 */
import { parseArgs } from 'node:util';
import { TRACKER_SOURCE } from '../events/common.ts';
import { DEFAULT_REGISTRY_SOURCES } from '../events/common.ts';
import { readList } from '../functions/shared/config.ts';
import { DEFAULT_PUT_EVENTS_PORT } from './bus/put-events-server.ts';
import { DEFAULT_API_PORT } from './http/api-server.ts';
import { DEFAULT_FEEDS_DIR, DEFAULT_SNAPSHOTS_DIR, DEFAULT_TABLE_NAME, type RuntimeOptions } from './runtime.ts';
import { DEFAULT_DYNAMODB_PORT } from './store/embedded-dynamodb.ts';

export const HELP = `npm start -- [options]     (or: npx tsx local/main.ts [options])

Runs the position tracker locally: an embedded DynamoDB, the local EventBridge bus with its
PutEvents endpoint, the processor, notifier and snapshot writer (the Lambda handler modules) fed
by SQS-like queues with retries and dead-letter queues, and the read API. Loads the registry,
replays the seed scenario, prints each issue's positions and the alerts, then serves until Ctrl-C.

Options:
  --once                      exit after the replay: 0 when every event was applied (none refused,
                              quarantined or dead-lettered), 1 otherwise, with the reason
  --no-replay                 load the registry only
  --data-dir DIR              keep the store and the dead letters in DIR across runs (default: in memory)
  --dynamodb-endpoint URL     use this DynamoDB instead of the embedded one (LocalStack, moto, a dev
                              table in AWS); env AWS_ENDPOINT_URL_DYNAMODB. The table is created if missing
  --table NAME                table name (default ${DEFAULT_TABLE_NAME}; env TRACKER_TABLE_NAME)
  --bus-port PORT             PutEvents endpoint (default ${DEFAULT_PUT_EVENTS_PORT}; 0 = any free port)
  --api-port PORT             read API and /_local admin routes (default ${DEFAULT_API_PORT}; 0 = any)
  --dynamodb-port PORT        embedded DynamoDB (default ${DEFAULT_DYNAMODB_PORT}; 0 = any)
  --api-key KEY               the editor's key: read API, desk API, admin (env TRACKER_API_KEY; generated and printed if absent)
  --reader-key KEY            a reader's key: the read routes only (env TRACKER_READER_KEY; generated and printed if absent)
  --no-web                    do not build and serve the web app at /
  --registry-sources LIST     comma-separated event sources allowed to publish registry events
                              (default ${DEFAULT_REGISTRY_SOURCES.join(',')}; env TRACKER_REGISTRY_SOURCES); the seed
                              registry is published with the first
  --alerts-webhook URL        POST each alert (Positions Diverged / Converged detail) as JSON to URL
  --snapshots-dir DIR         where the snapshot writer puts <issue>.json (default ${DEFAULT_SNAPSHOTS_DIR})
  --feeds-dir DIR             where the feed writer puts the public feeds, served under /feeds/ (default ${DEFAULT_FEEDS_DIR})
  --verbose                   handlers' info logs, retries, full notifier messages
  -h, --help                  this help

Everything listens on 127.0.0.1. Publish with any EventBridge client by endpoint override, e.g.
  aws events put-events --endpoint-url http://127.0.0.1:${DEFAULT_PUT_EVENTS_PORT} --entries file://events.json
or with the CLI: npm run tracker -- --help`;

export class UsageError extends Error {}

const port = (value: string | undefined, flag: string): number | undefined => {
  if (value === undefined) return undefined;
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed < 0 || parsed > 65_535) throw new UsageError(`${flag} must be a port number from 0 to 65535, not '${value}'`);
  return parsed;
};

const sourceList = (value: string): string[] => {
  const sources = [...new Set(value.split(',').map((source) => source.trim()).filter((source) => source !== ''))];
  if (sources.length === 0) throw new UsageError('--registry-sources must name at least one event source');
  return sources;
};

export function parseMainArgs(argv: readonly string[], env: NodeJS.ProcessEnv = process.env): { help: boolean; once: boolean; options: RuntimeOptions } {
  let values;
  try {
    ({ values } = parseArgs({
      args: [...argv],
      strict: true,
      allowPositionals: false,
      options: {
        once: { type: 'boolean' },
        'no-replay': { type: 'boolean' },
        'data-dir': { type: 'string' },
        'dynamodb-endpoint': { type: 'string' },
        table: { type: 'string' },
        'bus-port': { type: 'string' },
        'api-port': { type: 'string' },
        'dynamodb-port': { type: 'string' },
        'api-key': { type: 'string' },
        'reader-key': { type: 'string' },
        'no-web': { type: 'boolean' },
        'alerts-webhook': { type: 'string' },
        'registry-sources': { type: 'string' },
        'snapshots-dir': { type: 'string' },
        'feeds-dir': { type: 'string' },
        verbose: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
    }));
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  const dynamodbEndpoint = values['dynamodb-endpoint'] ?? (env['AWS_ENDPOINT_URL_DYNAMODB'] || undefined);
  if (dynamodbEndpoint !== undefined && !URL.canParse(dynamodbEndpoint)) throw new UsageError(`--dynamodb-endpoint must be a URL, not '${dynamodbEndpoint}'`);
  if (dynamodbEndpoint !== undefined && values['dynamodb-port'] !== undefined) {
    throw new UsageError('--dynamodb-port configures the embedded DynamoDB, which --dynamodb-endpoint replaces');
  }
  const apiKey = values['api-key'] ?? (env['TRACKER_API_KEY'] || undefined);
  const readerKey = values['reader-key'] ?? (env['TRACKER_READER_KEY'] || undefined);
  if (apiKey !== undefined && readerKey === apiKey) throw new UsageError('--reader-key must differ from --api-key, or a reader could write');
  const registrySources = values['registry-sources'] === undefined ? readList('registrySources', env) : sourceList(values['registry-sources']);
  const tableName = values.table ?? (env['TRACKER_TABLE_NAME'] || undefined);
  const options: RuntimeOptions = {
    replay: values['no-replay'] !== true,
    verbose: values.verbose === true,
    ...(values['data-dir'] === undefined ? {} : { dataDir: values['data-dir'] }),
    ...(dynamodbEndpoint === undefined ? {} : { dynamodbEndpoint }),
    ...(tableName === undefined ? {} : { tableName }),
    ...(apiKey === undefined ? {} : { apiKey }),
    ...(readerKey === undefined ? {} : { readerKey }),
    ...(values['no-web'] === true ? { webApp: false } : {}),
    ...(values['alerts-webhook'] === undefined ? {} : { alertsWebhook: values['alerts-webhook'] }),
    ...(values['snapshots-dir'] === undefined ? {} : { snapshotsDir: values['snapshots-dir'] }),
    ...(values['feeds-dir'] === undefined ? {} : { feedsDir: values['feeds-dir'] }),
    ...(registrySources === undefined ? {} : { registrySources }),
  };
  if (registrySources?.includes(TRACKER_SOURCE)) {
    throw new UsageError(`--registry-sources must not name '${TRACKER_SOURCE}': the tracker's own events are outputs, never inputs`);
  }
  const ports = { busPort: port(values['bus-port'], '--bus-port'), apiPort: port(values['api-port'], '--api-port'), dynamodbPort: port(values['dynamodb-port'], '--dynamodb-port') };
  for (const [key, value] of Object.entries(ports)) if (value !== undefined) Object.assign(options, { [key]: value });
  return { help: values.help === true, once: values.once === true, options };
}
