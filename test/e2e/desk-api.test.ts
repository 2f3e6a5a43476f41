/**
 * The desk API on the real local runtime (embedded dynalite, the local bus, the processor), with the
 * seed replayed: what an editor relies on when the web app's desk records a statement. A valid
 * request becomes an event the processor applies; a reader, a missing key or a bad field sends
 * nothing; the preview names the divergence a statement would open and writes nothing.
 */
import { DynamoDBClient, ScanCommand } from '@aws-sdk/client-dynamodb';
import { describe, expect, it } from 'vitest';
import type { Matrix } from '../../functions/api/schemas.ts';
import type { EventBridgeEvent } from '../../local/bus/local-event-bus.ts';
import { apiGet, stancesOf, useSeededRuntime } from './support.ts';

const ARABIC_QUOTE = 'قال ستارمر إن بريطانيا ترفض إرسال قوات إلى أوكرانيا، «لا قوات على الأرض» ‎(-2)';

const starmerRejectsTroops = (statementId: string) => ({
  detailType: 'Statement Recorded',
  detail: {
    schemaVersion: '1',
    statementId,
    speaker: 'starmer',
    issue: 'western-troops-in-ukraine',
    stance: -2,
    hedged: false,
    quote: { text: ARABIC_QUOTE, lang: 'ar', translation: { text: 'Starmer said Britain refuses to send troops', lang: 'en' } },
    saidAt: '2025-09-05T10:00:00Z',
    source: { outlet: 'Desk test wire' },
    recordedBy: 'desk-test',
  },
});

describe('the desk API on the local runtime', () => {
  const seeded = useSeededRuntime();

  const post = async (path: string, body: unknown, key: string | null = seeded.test.runtime.apiKey) => {
    const response = await fetch(`${seeded.test.runtime.endpoints.api}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(key === null ? {} : { authorization: `Bearer ${key}` }) },
      body: typeof body === 'string' ? body : JSON.stringify(body),
    });
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  };

  /** Every event the bus accepts while `act` runs. */
  const busEventsDuring = async (act: () => Promise<void>): Promise<EventBridgeEvent[]> => {
    const seen: EventBridgeEvent[] = [];
    const unsubscribe = seeded.test.runtime.bus.subscribe((event) => void seen.push(event));
    try {
      await act();
    } finally {
      unsubscribe();
    }
    return seen;
  };

  const tableItems = async (): Promise<number> => {
    const client = new DynamoDBClient({ endpoint: seeded.test.runtime.endpoints.dynamodb, region: 'us-east-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
    try {
      let count = 0;
      let start: Record<string, never> | undefined;
      do {
        const page = await client.send(new ScanCommand({ TableName: seeded.test.runtime.tableName, Select: 'COUNT', ExclusiveStartKey: start }));
        count += page.Count ?? 0;
        start = page.LastEvaluatedKey as typeof start;
      } while (start !== undefined);
      return count;
    } finally {
      client.destroy();
    }
  };

  const fateOf = async (eventId: string): Promise<{ status: string } | null> => {
    const deadline = Date.now() + 30_000;
    for (;;) {
      const { body } = await apiGet<{ events: Array<{ fate: { status: string } | null }> }>(seeded.test.runtime, `/_local/events?id=${encodeURIComponent(eventId)}`);
      const fate = body.events[0]?.fate ?? null;
      if ((fate !== null && fate.status !== 'retrying') || Date.now() > deadline) return fate;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  };

  it('GET /me names the role of each key, and a missing key is a 401', async () => {
    const { runtime } = seeded.test;

    const editor = await apiGet<{ role: string; scopes: string[] }>(runtime, '/me');
    const reader = await apiGet<{ role: string; scopes: string[] }>(runtime, '/me', runtime.readerKey);
    const nobody = await apiGet<{ error: string }>(runtime, '/me', null);

    expect(editor).toEqual({ status: 200, body: { role: 'editor', scopes: ['read', 'quarantine', 'write'] } });
    expect(reader).toEqual({ status: 200, body: { role: 'reader', scopes: ['read'] } });
    expect(nobody.status).toBe(401);
  });

  it('the preview names the divergence a statement would open, and writes and sends nothing', async () => {
    const before = await tableItems();
    let preview: Awaited<ReturnType<typeof post>> | undefined;

    const sent = await busEventsDuring(async () => {
      preview = await post('/desk/preview', starmerRejectsTroops('desk-preview-starmer-1'));
    });

    expect(preview?.status).toBe(200);
    expect(preview?.body['effects']).toEqual(expect.arrayContaining([
      { kind: 'position', actor: 'united-kingdom', issue: 'western-troops-in-ukraine', from: null, to: -2 },
      expect.objectContaining({ kind: 'divergence-opens', watch: 'allies-split', divergenceId: 'bloc-split:western-troops-in-ukraine:united-kingdom:allies' }),
    ]));
    const summary = preview?.body['summary'] as { en: string[]; ar: string[] };
    expect(summary.en).toContain('United Kingdom against its bloc (Ukraine and its Western allies) opens');
    expect(summary.ar.join('\n')).toContain('المملكة المتحدة ضد كتلتها');
    expect(sent).toEqual([]);
    expect(await tableItems()).toBe(before);
  });

  it('a reader may read but not write: 403, and nothing is sent', async () => {
    const { runtime } = seeded.test;
    let refused: Awaited<ReturnType<typeof post>> | undefined;
    let previewRefused: Awaited<ReturnType<typeof post>> | undefined;

    const sent = await busEventsDuring(async () => {
      refused = await post('/desk/events', starmerRejectsTroops('desk-reader-1'), runtime.readerKey);
      previewRefused = await post('/desk/preview', starmerRejectsTroops('desk-reader-1'), runtime.readerKey);
    });
    const read = await apiGet<Matrix>(runtime, '/issues/western-troops-in-ukraine/positions', runtime.readerKey);
    const quarantine = await apiGet<unknown>(runtime, '/quarantine', runtime.readerKey);

    expect(refused?.status).toBe(403);
    expect(refused?.body).toMatchObject({ error: 'Forbidden' });
    expect(previewRefused?.status).toBe(403);
    expect(sent).toEqual([]);
    expect(read.status).toBe(200);
    expect(quarantine.status).toBe(403);
  });

  it('no key is a 401 on the write routes, and nothing is sent', async () => {
    let refused: Awaited<ReturnType<typeof post>> | undefined;

    const sent = await busEventsDuring(async () => {
      refused = await post('/desk/events', starmerRejectsTroops('desk-nokey-1'), null);
    });

    expect(refused?.status).toBe(401);
    expect(sent).toEqual([]);
  });

  it('a bad request gets 400 with every problem, each naming its field, and nothing is sent', async () => {
    const bad = starmerRejectsTroops('desk-bad-1');
    const detail = { ...bad.detail, stance: 5, quote: { text: 'x', lang: 'xx' }, saidAt: undefined };
    const responses: Array<Awaited<ReturnType<typeof post>>> = [];

    const sent = await busEventsDuring(async () => {
      responses.push(await post('/desk/events', { ...bad, detail }));
      responses.push(await post('/desk/events', { detailType: 'Statement Recordet', detail: bad.detail }));
      responses.push(await post('/desk/events', '{"detailType": '));
      responses.push(await post('/desk/preview', { ...bad, detail }));
    });

    const [fields, type, notJson, preview] = responses;
    expect(fields?.status).toBe(400);
    expect(fields?.body['error']).toBe('BadRequest');
    const problems = (fields?.body['problems'] as Array<{ field: string; reason: string }>).map((p) => p.field).sort();
    expect(problems).toEqual(['quote.lang', 'saidAt', 'stance']);
    expect(type?.status).toBe(400);
    expect(type?.body['problems']).toEqual([expect.objectContaining({ field: 'detailType' })]);
    expect(notJson?.status).toBe(400);
    expect(notJson?.body['problems']).toEqual([expect.objectContaining({ field: 'body' })]);
    expect(preview?.status).toBe(400);
    expect(sent).toEqual([]);
  });

  it('a speaker the registry does not know is refused by the preview with its field', async () => {
    const request = starmerRejectsTroops('desk-unknown-speaker-1');

    const { status, body } = await post('/desk/preview', { ...request, detail: { ...request.detail, speaker: 'nobody-we-know' } });

    expect(status).toBe(400);
    expect(body['problems']).toEqual([expect.objectContaining({ field: 'speaker' })]);
  });

  it('records a statement: 202, the processor applies it, the position and the new alert read back, the Arabic quote byte-exact', async () => {
    const { runtime } = seeded.test;

    const accepted = await post('/desk/events', starmerRejectsTroops('desk-starmer-1'));

    expect(accepted.status).toBe(202);
    expect(accepted.body).toMatchObject({ detailType: 'Statement Recorded', source: 'newsroom.desk' });
    expect(await fateOf(String(accepted.body['eventId']))).toMatchObject({ status: 'applied' });
    await runtime.settle();
    const matrix = await apiGet<Matrix>(runtime, '/issues/western-troops-in-ukraine/positions');
    expect(stancesOf(matrix.body)['united-kingdom']).toBe(-2);
    const history = await apiGet<{ statements: Array<{ statementId: string; quote?: { text: string } }> }>(runtime, '/actors/united-kingdom/history');
    const recorded = history.body.statements.find((statement) => statement.statementId === 'desk-starmer-1');
    expect(Buffer.from(recorded?.quote?.text ?? '', 'utf8').equals(Buffer.from(ARABIC_QUOTE, 'utf8'))).toBe(true);
    const alerts = await apiGet<{ alerts: Array<{ divergenceId: string; status: string }> }>(runtime, '/alerts?open=true&limit=100');
    expect(alerts.body.alerts.map((alert) => alert.divergenceId)).toContain('bloc-split:western-troops-in-ukraine:united-kingdom:allies');
  });

  it('previews a retraction of the recorded statement: the divergence it opened closes', async () => {
    const { status, body } = await post('/desk/preview', {
      detailType: 'Statement Retracted',
      detail: { schemaVersion: '1', statementId: 'desk-starmer-1', retractionId: 'desk-retract-1', reason: 'Misattributed', retractedAt: '2025-09-06T10:00:00Z', recordedBy: 'desk-test' },
    });

    expect(status).toBe(200);
    expect(body['effects']).toEqual(expect.arrayContaining([
      { kind: 'position', actor: 'united-kingdom', issue: 'western-troops-in-ukraine', from: -2, to: null },
      expect.objectContaining({ kind: 'divergence-closes', divergenceId: 'bloc-split:western-troops-in-ukraine:united-kingdom:allies' }),
    ]));
  });
});
