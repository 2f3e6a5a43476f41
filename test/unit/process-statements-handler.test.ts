/** The processor's Lambda module: importable without an environment, and explicit about what is missing. */
import { describe, expect, it } from 'vitest';
import { ConfigError, readConfig, readList } from '../../functions/shared/config.ts';
import { lambdaContext, sqsBatchOf } from '../../support/sqs-events.ts';

describe('the process-statements handler module', () => {
  it('imports without any environment, fails its first batch naming the missing variables, and recovers once they are set', async () => {
    const saved = { ...process.env };
    delete process.env['TRACKER_TABLE_NAME'];
    delete process.env['TRACKER_EVENT_BUS_NAME'];
    process.env['POWERTOOLS_METRICS_DISABLED'] = 'true';
    process.env['POWERTOOLS_LOG_LEVEL'] = 'SILENT';
    try {
      const { handler } = await import('../../functions/handlers/process-statements.ts');
      await expect(handler(sqsBatchOf([]), lambdaContext())).rejects.toThrow(/TRACKER_TABLE_NAME is not set.*TRACKER_EVENT_BUS_NAME is not set/);

      Object.assign(process.env, { TRACKER_TABLE_NAME: 'tracker', TRACKER_EVENT_BUS_NAME: 'tracker-bus', AWS_REGION: 'eu-west-1' });
      await expect(handler(sqsBatchOf([]), lambdaContext())).resolves.toEqual({ batchItemFailures: [] });
    } finally {
      process.env = saved;
    }
  });
});

describe('readConfig', () => {
  it('names an empty variable and what it is for', () => {
    expect(() => readConfig(['tableName'], { TRACKER_TABLE_NAME: ' ' })).toThrow(ConfigError);
    expect(() => readConfig(['tableName'], { TRACKER_TABLE_NAME: ' ' })).toThrow(/TRACKER_TABLE_NAME is empty \(the name of the tracker DynamoDB table\)/);
  });

  it('reads only what is asked', () => {
    expect(readConfig(['eventBusName'], { TRACKER_EVENT_BUS_NAME: 'bus' })).toEqual({ eventBusName: 'bus' });
  });
});

describe('readList', () => {
  it('reads a comma-separated list, trimmed, without blanks or repeats', () => {
    expect(readList('registrySources', { TRACKER_REGISTRY_SOURCES: ' newsroom.desk, newsroom.registry,,newsroom.desk ' })).toEqual([
      'newsroom.desk',
      'newsroom.registry',
    ]);
  });

  it('gives nothing for an unset or blank variable, so the default applies', () => {
    expect(readList('registrySources', {})).toBeUndefined();
    expect(readList('registrySources', { TRACKER_REGISTRY_SOURCES: ' , ' })).toBeUndefined();
  });
});
