/**
 * `npm start` flags, with the environment fallbacks the README documents.
 */
import { describe, expect, it } from 'vitest';
import { UsageError, parseMainArgs } from '../../local/flags.ts';

describe('npm start flags', () => {
  it('defaults to the seed replay, serving, embedded store and documented ports', () => {
    expect(parseMainArgs([], {})).toEqual({ help: false, once: false, options: { replay: true, verbose: false } });
  });

  it('reads every flag', () => {
    const parsed = parseMainArgs(
      [
        '--once', '--no-replay', '--data-dir', 'd', '--dynamodb-endpoint', 'http://127.0.0.1:5000', '--table', 't', '--bus-port', '0',
        '--api-port', '3001', '--api-key', 'k', '--alerts-webhook', 'http://127.0.0.1:9/h', '--snapshots-dir', 's', '--verbose',
      ],
      {},
    );
    expect(parsed).toEqual({
      help: false,
      once: true,
      options: {
        replay: false,
        verbose: true,
        dataDir: 'd',
        dynamodbEndpoint: 'http://127.0.0.1:5000',
        tableName: 't',
        apiKey: 'k',
        alertsWebhook: 'http://127.0.0.1:9/h',
        snapshotsDir: 's',
        busPort: 0,
        apiPort: 3001,
      },
    });
  });

  it('falls back to AWS_ENDPOINT_URL_DYNAMODB, TRACKER_API_KEY and TRACKER_TABLE_NAME; flags win', () => {
    const env = { AWS_ENDPOINT_URL_DYNAMODB: 'http://localhost:4566', TRACKER_API_KEY: 'from-env', TRACKER_TABLE_NAME: 'dev-table' };
    expect(parseMainArgs([], env).options).toMatchObject({ dynamodbEndpoint: 'http://localhost:4566', apiKey: 'from-env', tableName: 'dev-table' });
    expect(parseMainArgs(['--api-key', 'flag'], env).options.apiKey).toBe('flag');
    // An empty variable is unset, as shells and CI often leave them.
    expect(parseMainArgs([], { TRACKER_API_KEY: '' }).options.apiKey).toBeUndefined();
  });

  it('takes the reader key from --reader-key or TRACKER_READER_KEY, refuses it equal to the API key, and --no-web', () => {
    expect(parseMainArgs([], { TRACKER_READER_KEY: 'reader-env' }).options.readerKey).toBe('reader-env');
    expect(parseMainArgs(['--reader-key', 'r'], { TRACKER_READER_KEY: 'reader-env' }).options.readerKey).toBe('r');
    expect(() => parseMainArgs(['--api-key', 'same', '--reader-key', 'same'], {})).toThrow(/--reader-key must differ/);
    expect(parseMainArgs(['--no-web'], {}).options.webApp).toBe(false);
    expect(parseMainArgs([], {}).options.webApp).toBeUndefined();
  });

  it('reads the registry allow-list from --registry-sources or TRACKER_REGISTRY_SOURCES; the flag wins', () => {
    const env = { TRACKER_REGISTRY_SOURCES: 'newsroom.registry, newsroom.desk' };
    expect(parseMainArgs([], env).options.registrySources).toEqual(['newsroom.registry', 'newsroom.desk']);
    expect(parseMainArgs(['--registry-sources', 'wire.registry'], env).options.registrySources).toEqual(['wire.registry']);
    expect(parseMainArgs([], {}).options.registrySources).toBeUndefined();
  });

  it("refuses an empty allow-list, and one that names the tracker's own source", () => {
    expect(() => parseMainArgs(['--registry-sources', ' , '], {})).toThrow('--registry-sources must name at least one event source');
    expect(() => parseMainArgs(['--registry-sources', 'newsroom.desk,position-tracker'], {})).toThrow(/must not name 'position-tracker'/);
    expect(() => parseMainArgs([], { TRACKER_REGISTRY_SOURCES: 'position-tracker' })).toThrow(UsageError);
  });

  it('refuses bad ports, unknown flags and a port for the store --dynamodb-endpoint replaces', () => {
    expect(() => parseMainArgs(['--api-port', '70000'], {})).toThrow(UsageError);
    expect(() => parseMainArgs(['--bus-port', 'x'], {})).toThrow('--bus-port must be a port number');
    expect(() => parseMainArgs(['--nope'], {})).toThrow(UsageError);
    expect(() => parseMainArgs(['--dynamodb-endpoint', 'http://127.0.0.1:1', '--dynamodb-port', '8001'], {})).toThrow(/replaces/);
  });
});
