/// <reference lib="dom" />
// The functions these files hand to page.evaluate run in the page, on the DOM.
/**
 * The desk in a real Chromium against the local runtime with the seed: an editor records a
 * statement and corrects it through the forms, the dashboard follows without a reload, bad input
 * never leaves the page, and the write API refuses readers and callers without a key.
 */
import { expect, it } from 'vitest';
import { cell, describeInBrowser, openApp, seriousViolations, UI_DEADLINE_MS, useBrowserRig, type BrowserRig } from './support.ts';

const TROOPS = 'western-troops-in-ukraine';
const UK_QUOTE = 'قال ستارمر إن بريطانيا «لن ترسل جنوداً» إلى أوكرانيا';
const UK_SPLIT = `bloc-split ${TROOPS} united-kingdom allies`;
const form = '#form-statement-recorded';
const field = (path: string): string => `${form}-${path.replaceAll('.', '-')}`;

/** Fills the Statement Recorded form with Starmer rejecting Western troops, found by a spelling of his Arabic name. */
async function fillUkStatement(rig: BrowserRig): Promise<void> {
  const { page } = rig;
  await page.locator(field('speaker-search')).fill('سـتارمِر');
  await page.locator(`${form} button[data-speaker="starmer"]`).click();
  await page.locator(field('issue')).selectOption(TROOPS);
  await page.locator(field('stance')).selectOption('-2');
  await page.locator(field('quote.text')).fill(UK_QUOTE);
  await page.locator(field('quote.lang')).selectOption('ar');
  await page.locator(field('quote.translation.text')).fill('Starmer said Britain "will not send soldiers" to Ukraine');
  await page.locator(field('quote.translation.lang')).selectOption('en');
  await page.locator(field('saidAt')).fill('2025-09-05T12:00:00');
  await page.locator(field('source.outlet')).fill('Desk test wire');
  await page.locator(field('source.url')).fill('https://example.org/starmer');
}

const alertStatus = (rig: BrowserRig, key: string) =>
  rig.page.locator(`li.alert[data-key="${key}"]`).evaluateAll((items) => items.map((item) => item.getAttribute('data-status')));

describeInBrowser('the desk, in Chromium, on the seeded local runtime', () => {
  const rigs = useBrowserRig();

  it('refuses a bad field next to it, with the contract’s reason, and sends nothing', async () => {
    const rig = rigs.rig;
    await openApp(rig, rig.test.runtime.apiKey);
    await rig.page.locator('#nav-desk').click();
    await fillUkStatement(rig);
    await rig.page.locator(field('source.url')).fill('javascript:alert(1)');
    await rig.page.locator(field('stance')).selectOption('');
    const sentBefore = rig.deskRequests.length;

    await rig.page.locator(`${form} button[type="submit"]`).click();
    await rig.page.getByRole('button', { name: 'Preview' }).click();

    const url = rig.page.locator(field('source.url'));
    expect(await url.getAttribute('aria-invalid')).toBe('true');
    const describedBy = await url.getAttribute('aria-describedby');
    expect(await rig.page.locator(`#${describedBy}`).innerText()).toBe('must be an http(s) URL');
    expect(await rig.page.locator(`${field('stance')}-error`).innerText()).toBe('is required');
    expect(await rig.page.locator(`${form} [data-field="source.url"] .field-error`).count()).toBe(1);
    expect(rig.deskRequests.length).toBe(sentBefore);
  });

  it('previews the divergence the statement would open, before anything is sent', async () => {
    const rig = rigs.rig;
    await rig.page.locator(field('source.url')).fill('https://example.org/starmer');
    await rig.page.locator(field('stance')).selectOption('-2');

    await rig.page.getByRole('button', { name: 'Preview' }).click();
    const preview = rig.page.locator(`${form} .preview`);
    await preview.waitFor({ timeout: UI_DEADLINE_MS });

    const lines = await preview.locator('li').allInnerTexts();
    expect(lines).toContain('United Kingdom against its bloc (Ukraine and its Western allies) opens');
    expect(rig.deskRequests.every((request) => request.includes('/desk/preview'))).toBe(true);
    expect(await rig.page.locator(`li.alert[data-key="${UK_SPLIT}"]`).count()).toBe(0);
  });

  it('records the statement; the matrix and the new alert follow on the dashboard without a reload', async () => {
    const rig = rigs.rig;
    const { page } = rig;
    await page.evaluate(() => ((window as unknown as { notReloaded: boolean }).notReloaded = true));
    const statementId = await page.locator(field('statementId')).inputValue();

    await page.locator(`${form} button[type="submit"]`).click();
    await page.locator(`${form} .sent`).waitFor({ timeout: UI_DEADLINE_MS });
    const sentAt = Date.now();
    await page.locator('#nav-dashboard').click();

    await expect.poll(() => alertStatus(rig, UK_SPLIT), { timeout: UI_DEADLINE_MS }).toEqual(['open']);
    console.info(`desk send → open alert on the dashboard: ${Date.now() - sentAt} ms (the app polls the change feed every 2 s)`);
    expect(await cell(page, 'united-kingdom', TROOPS).getAttribute('data-stance')).toBe('-2');
    expect(await cell(page, 'united-kingdom', TROOPS).getAttribute('class')).toContain('diverged');
    expect(await page.evaluate(() => (window as unknown as { notReloaded?: boolean }).notReloaded)).toBe(true);

    await cell(page, 'united-kingdom', TROOPS).click();
    const quote = page.locator(`#evidence article[data-statement="${statementId}"] blockquote`);
    await quote.waitFor({ timeout: UI_DEADLINE_MS });
    expect(await quote.evaluate((element) => element.textContent)).toBe(UK_QUOTE);
    rigStatement = statementId;
  });

  let rigStatement = '';

  it('corrects it through the desk: the alert is withdrawn, with the correction’s reason', async () => {
    const rig = rigs.rig;
    const { page } = rig;
    await page.locator('#nav-desk').click();
    await page.locator('button[data-form="Statement Corrected"]').click();
    const correction = '#form-statement-corrected';
    await page.locator(`${correction}-statementId`).fill(rigStatement);
    await page.locator(`${correction}-changes-stance`).selectOption('2');
    await page.locator(`${correction}-reason`).fill('Misheard: Starmer said Britain will send soldiers');
    await page.locator(`${correction} button[type="submit"]`).click();
    await page.locator(`${correction} .sent`).waitFor({ timeout: UI_DEADLINE_MS });
    await page.locator('#nav-dashboard').click();

    await expect.poll(() => alertStatus(rig, UK_SPLIT), { timeout: UI_DEADLINE_MS }).toEqual(['withdrawn']);
    await expect.poll(() => cell(page, 'united-kingdom', TROOPS).getAttribute('data-stance'), { timeout: UI_DEADLINE_MS }).toBe('2');
    expect(await page.locator(`li.alert[data-key="${UK_SPLIT}"] > p.revision`).innerText()).toContain('Misheard');
  });

  it('reports no serious or critical accessibility violation on the desk (axe-core), problems shown', async () => {
    const { page } = rigs.rig;
    await page.locator('#nav-desk').click();
    await page.locator(`${form} button[type="submit"]`).click();
    await page.locator(`${form} .field-error`).first().waitFor({ timeout: UI_DEADLINE_MS });
    expect(await seriousViolations(page)).toEqual([]);
  });

  it('gives a reader no desk, and the write API refuses the reader’s key and a missing key', async () => {
    const rig = rigs.rig;
    const reader = await rig.browser.newPage();
    try {
      await reader.goto(`${rig.base}/#key=${encodeURIComponent(rig.test.runtime.readerKey)}`);
      await reader.locator('table.matrix').waitFor({ timeout: UI_DEADLINE_MS });
      expect(await reader.locator('#nav-desk').isDisabled()).toBe(true);
      expect(await reader.locator('.session').innerText()).toContain('reader');

      const answers = await reader.evaluate(async (readerKey) => {
        const body = JSON.stringify({ detailType: 'Stance Changed', detail: {} });
        const post = (headers: Record<string, string>) => fetch('/desk/events', { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });
        const asReader = await post({ authorization: `Bearer ${readerKey}` });
        const anonymous = await post({});
        return { reader: asReader.status, readerError: ((await asReader.json()) as { error?: string }).error, anonymous: anonymous.status };
      }, rig.test.runtime.readerKey);
      expect(answers).toEqual({ reader: 403, readerError: 'Forbidden', anonymous: 401 });
    } finally {
      await reader.close();
    }
  });
});
