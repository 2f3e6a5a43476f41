/// <reference lib="dom" />
// The functions these files hand to page.evaluate run in the page, on the DOM.
/**
 * What the browser tests share: Debian's Chromium driven by playwright-core (no browser download),
 * the local runtime with the seed serving the app at its own origin, and the checks a user relies
 * on (axe-core's serious and critical violations, polling the page with a generous deadline).
 *
 * Without a browser the tests skip and say how to install one; in CI (`CI` set) they fail instead.
 */
import { existsSync } from 'node:fs';
import axe from 'axe-core';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, it } from 'vitest';
import { startTestRuntime, type TestRuntime } from '../e2e/support.ts';

export const CHROMIUM_PATH = process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium';
export const HAS_CHROMIUM = existsSync(CHROMIUM_PATH);
const INSTALL_HINT = `no Chromium at ${CHROMIUM_PATH}: install it with \`apt-get install -y chromium fonts-noto-core\` (or set CHROMIUM_PATH)`;

/** A generous deadline for what the page must show: the machine is slow, the app polls every 2 s. */
export const UI_DEADLINE_MS = 60_000;

/**
 * `describe` when Chromium is there; otherwise a skipped block that says how to install it, or,
 * in CI, a failing test, so a CI image without the browser cannot pass silently.
 */
export const describeInBrowser = (name: string, body: () => void): void => {
  if (HAS_CHROMIUM) {
    describe(name, body);
  } else if (process.env['CI'] !== undefined && process.env['CI'] !== '') {
    describe(name, () => it('needs Chromium in CI', () => {
      throw new Error(INSTALL_HINT);
    }));
  } else {
    describe.skip(`${name} [skipped: ${INSTALL_HINT}]`, body);
  }
};

export interface BrowserRig {
  test: TestRuntime;
  browser: Browser;
  page: Page;
  /** The app's origin: the runtime's API server, which serves it at `/`. */
  base: string;
  /** Every JavaScript dialog the page opened (alert, confirm, prompt): none is expected, ever. */
  dialogs: string[];
  /** Every request the page sent to the desk's write routes. */
  deskRequests: string[];
  /** Uncaught errors in the page. */
  pageErrors: string[];
}

/** One seeded runtime and one browser page for the tests of a describe block. */
export const useBrowserRig = (): { readonly rig: BrowserRig } => {
  let rig: BrowserRig | undefined;
  beforeAll(async () => {
    const test = await startTestRuntime({ replay: true, report: false, webApp: true });
    const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: ['--no-sandbox', '--disable-dev-shm-usage'] });
    const context = await browser.newContext({ viewport: { width: 1400, height: 1000 }, locale: 'en-GB', timezoneId: 'UTC' });
    const page = await context.newPage();
    const started: BrowserRig = { test, browser, page, base: test.runtime.endpoints.api, dialogs: [], deskRequests: [], pageErrors: [] };
    page.on('dialog', (dialog) => {
      started.dialogs.push(`${dialog.type()}: ${dialog.message()}`);
      void dialog.dismiss();
    });
    page.on('request', (request) => {
      if (new URL(request.url()).pathname.startsWith('/desk/')) started.deskRequests.push(`${request.method()} ${request.url()}`);
    });
    page.on('pageerror', (error) => void started.pageErrors.push(error.message));
    rig = started;
  });
  afterAll(async () => {
    await rig?.browser.close();
    await rig?.test.stop();
  });
  return {
    get rig() {
      if (rig === undefined) throw new Error('the browser rig is read before it started');
      return rig;
    },
  };
};

/** Opens the app signed in with a key, through the `#key=` link the runtime prints, and waits for the matrix. */
export async function openApp(rig: BrowserRig, key: string): Promise<void> {
  await rig.page.goto(`${rig.base}/#key=${encodeURIComponent(key)}`);
  await rig.page.locator('table.matrix').waitFor({ timeout: UI_DEADLINE_MS });
}

export interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  targets: string[];
}

/** axe-core's serious and critical violations on the page as it is now. */
export async function seriousViolations(page: Page): Promise<AxeViolation[]> {
  // Evaluated through the DevTools protocol: an inline <script> tag would be refused by the page's CSP, as it should be.
  await page.evaluate(axe.source);
  return page.evaluate(async () => {
    const { violations } = await (window as unknown as { axe: typeof axe }).axe.run(document, { resultTypes: ['violations'] });
    return violations
      .filter((violation) => violation.impact === 'serious' || violation.impact === 'critical')
      .map((violation) => ({ id: violation.id, impact: violation.impact ?? null, help: violation.help, targets: violation.nodes.map((node) => node.target.join(' ')) }));
  });
}

/** The cell of an actor's position on an issue. */
export const cell = (page: Page, actor: string, issue: string) => page.locator(`button.cell[data-actor="${actor}"][data-issue="${issue}"]`).first();
