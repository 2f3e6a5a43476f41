/// <reference lib="dom" />
// The functions these files hand to page.evaluate run in the page, on the DOM.
/**
 * The dashboard in a real Chromium against the local runtime with the seed: what a reader of the
 * matrix sees, in English and in Arabic, and that hostile text stays text.
 */
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';
import { EXPECTED_DIVERGENCES, EXPECTED_STANCES, seedQuotes } from '../e2e/support.ts';
import { toPutEventsEntry } from '../../local/events-file.ts';
import { cell, describeInBrowser, openApp, seriousViolations, UI_DEADLINE_MS, useBrowserRig } from './support.ts';

const SCREENSHOT = fileURLToPath(new URL('../../docs/dashboard.png', import.meta.url));
const TROOPS = 'western-troops-in-ukraine';
const HOSTILE_QUOTE = '<img src=x onerror=alert(1)> <script>alert(2)</script> =HYPERLINK("http://x") @channel';

describeInBrowser('the dashboard, in Chromium, on the seeded local runtime', () => {
  const rigs = useBrowserRig();

  it('signs in from the #key= link, then takes the key out of the address bar', async () => {
    const rig = rigs.rig;
    await openApp(rig, rig.test.runtime.apiKey);

    expect(new URL(rig.page.url()).hash).toBe('');
    expect(await rig.page.evaluate(() => sessionStorage.getItem('tracker.apiKey'))).toBe(rig.test.runtime.apiKey);
  });

  it('shows the four issues, every seed stance, and Russia at -2 on Western troops', async () => {
    const rig = rigs.rig;
    const { page } = rig;
    const issues = await page.locator('th[data-issue-head]').evaluateAll((heads) => heads.map((head) => head.getAttribute('data-issue-head')));
    expect(issues.sort()).toEqual(Object.keys(EXPECTED_STANCES).sort());
    for (const [issue, stances] of Object.entries(EXPECTED_STANCES)) {
      for (const [actor, stance] of Object.entries(stances)) {
        expect(await cell(page, actor, issue).getAttribute('data-stance'), `${actor} on ${issue}`).toBe(String(stance));
      }
    }
    expect(await cell(page, 'russia', TROOPS).locator('.cell-value').innerText()).toBe('-2');
  });

  it('highlights the four open divergences in the matrix, with a legend, and lists them as open alerts', async () => {
    const rig = rigs.rig;
    const { page } = rig;
    const open = await page.locator('li.alert[data-status="open"]').evaluateAll((items) => items.map((item) => item.getAttribute('data-key')));
    expect(open.sort()).toEqual([...EXPECTED_DIVERGENCES].sort());
    for (const key of EXPECTED_DIVERGENCES) {
      const [, issue, actor] = key.split(' ') as [string, string, string, string];
      expect(await cell(page, actor, issue).getAttribute('class'), key).toContain('diverged');
    }
    expect(await page.locator('button.cell.diverged').count()).toBeGreaterThanOrEqual(4);
    expect(await cell(page, 'france', TROOPS).getAttribute('class')).not.toContain('diverged');
    expect(await page.locator('.legend-diverged').innerText()).toContain('open divergence');
  });

  it('takes the screenshot of the dashboard with the seed (docs/dashboard.png when UPDATE_SCREENSHOT=1)', async () => {
    const rig = rigs.rig;
    const path = process.env['UPDATE_SCREENSHOT'] === '1' ? SCREENSHOT : join(await mkdtemp(join(tmpdir(), 'dashboard-')), 'dashboard.png');
    const image = await rig.page.screenshot({ path, fullPage: true });
    expect(image.subarray(1, 4).toString('latin1')).toBe('PNG');
  });

  it('opens a cell’s evidence: the Arabic quote byte-exact, in a right-to-left element, with its translation, speaker, source and timeline', async () => {
    const rig = rigs.rig;
    const { page } = rig;
    await cell(page, 'russia', TROOPS).click();
    const quote = page.locator('#evidence li.current blockquote.quote');
    await quote.waitFor({ timeout: UI_DEADLINE_MS });

    const seed = seedQuotes().get('seed-03-russia-western-troops-in-ukraine');
    const shown = await quote.evaluate((element) => ({ text: element.textContent, direction: getComputedStyle(element).direction, lang: element.getAttribute('lang') }));
    expect(Buffer.from(shown.text ?? '', 'utf8').equals(Buffer.from(seed ?? '-', 'utf8'))).toBe(true);
    expect(shown).toMatchObject({ direction: 'rtl', lang: 'ar' });
    const panel = await page.locator('#evidence').innerText();
    expect(panel).toContain('Moscow confirmed that it rejects the deployment of Western troops');
    expect(panel).toContain('Russian government');
    expect(panel).toContain('Paris summit report');
    expect(await page.locator('#evidence svg circle.point').count()).toBe(1);
  });

  it('shows the matrix as it stood on an earlier date, then comes back to now', async () => {
    const rig = rigs.rig;
    const { page } = rig;
    await page.locator('#as-of-date').fill('2025-09-03');
    await expect.poll(() => cell(page, 'russia', TROOPS).count(), { timeout: UI_DEADLINE_MS }).toBe(0);
    // Said 2025-09-03 10:00 UTC: Putin's statement on a ceasefire stood then.
    expect(await cell(page, 'russia', 'ceasefire-before-peace-deal').getAttribute('data-stance')).toBe('-2');
    expect(await page.locator('.as-of-banner').innerText()).toContain('3 Sept 2025');

    await page.getByRole('button', { name: 'Now' }).click();
    await expect.poll(() => cell(page, 'russia', TROOPS).count(), { timeout: UI_DEADLINE_MS }).toBe(1);
  });

  it('reports no serious or critical accessibility violation (axe-core), evidence and alert evidence open', async () => {
    const rig = rigs.rig;
    const { page } = rig;
    await page.locator('li.alert details').first().evaluate((details) => ((details as HTMLDetailsElement).open = true));
    expect(await seriousViolations(page)).toEqual([]);
  });

  it('switches to Arabic: html dir=rtl, names from the registry in Arabic, the first column moved to the right', async () => {
    const rig = rigs.rig;
    const { page } = rig;
    const before = await page.locator('table.matrix thead th').first().boundingBox();
    const issueBefore = await page.locator('th[data-issue-head]').first().boundingBox();
    await page.locator('#language-switch').click();
    await expect.poll(() => page.evaluate(() => [document.documentElement.dir, document.documentElement.lang].join(' ')), { timeout: UI_DEADLINE_MS }).toBe('rtl ar');
    const after = await page.locator('table.matrix thead th').first().boundingBox();
    const issueAfter = await page.locator('th[data-issue-head]').first().boundingBox();

    expect(before!.x).toBeLessThan(issueBefore!.x);
    expect(after!.x).toBeGreaterThan(issueAfter!.x);
    expect(await page.locator('[data-actor-row="russia"] th').innerText()).toBe('روسيا');
    expect(await page.locator('th[data-issue-head="western-troops-in-ukraine"]').innerText()).toBe('نشر قوات غربية في أوكرانيا');
    expect(await seriousViolations(page)).toEqual([]);

    await page.locator('#language-switch').click();
    await expect.poll(() => page.evaluate(() => document.documentElement.dir), { timeout: UI_DEADLINE_MS }).toBe('ltr');
  });

  it('renders a quote of markup as text, live: no element made of it, nothing run', async () => {
    const rig = rigs.rig;
    const { page, test } = rig;
    const detail = {
      schemaVersion: '1', statementId: 'hostile-quote-1', speaker: 'healey', issue: 'us-security-backstop', stance: 1, hedged: false,
      quote: { text: HOSTILE_QUOTE, lang: 'en' }, saidAt: '2025-09-05T10:00:00Z',
      source: { outlet: '<b onmouseover=alert(3)>outlet</b>', url: 'https://example.org/?q=<script>' }, recordedBy: 'browser-test',
    };
    const outcome = await test.runtime.run('hostile', [{ origin: 'hostile', entry: toPutEventsEntry({ source: 'newsroom.desk', 'detail-type': 'Statement Recorded', detail }, 'hostile') }]);
    expect(outcome.problems).toEqual([]);

    // The page was not reloaded: the live poll brings the new cell in.
    await cell(page, 'united-kingdom', 'us-security-backstop').waitFor({ timeout: UI_DEADLINE_MS });
    await cell(page, 'united-kingdom', 'us-security-backstop').click();
    const quote = page.locator('#evidence li.current blockquote.quote');
    await quote.waitFor({ timeout: UI_DEADLINE_MS });

    expect(await quote.evaluate((element) => element.textContent)).toBe(HOSTILE_QUOTE);
    expect(await page.locator('#evidence a').first().innerText()).toBe('<b onmouseover=alert(3)>outlet</b>');
    expect(await page.locator('img, script:not([src]), b').count()).toBe(0);
    await page.locator('#evidence a').first().hover();
    expect(rig.dialogs).toEqual([]);
    expect(rig.pageErrors).toEqual([]);
  });
});
