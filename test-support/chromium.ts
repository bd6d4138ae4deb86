import { existsSync, mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type Page } from 'playwright-core';

/** Debian's Chromium (installed by .ci/run); never a downloaded browser. */
export const CHROMIUM = '/usr/bin/chromium';

/**
 * Whether the browser tests can run: true when /usr/bin/chromium exists. Without it they are skipped with a
 * visible message — and under CI=true its absence is an error.
 */
export function chromiumAvailable(): boolean {
  if (existsSync(CHROMIUM)) return true;
  if (process.env.CI === 'true') throw new Error(`${CHROMIUM} is missing — required when CI=true (.ci/run installs it)`);
  // eslint-disable-next-line no-console
  console.warn(`SKIPPED: ${CHROMIUM} not found; the report is not checked in a browser`);
  return false;
}

/** Where screenshots go: $CONCEPTLAB_ARTIFACTS, or a temporary directory. */
export const ARTIFACTS = process.env.CONCEPTLAB_ARTIFACTS ?? mkdtempSync(join(tmpdir(), 'conceptlab-artifacts-'));

/**
 * Open a local HTML file in headless Chromium (playwright-core, a fresh profile, no network), run `check` on
 * the loaded page, save a full-page screenshot as `ARTIFACTS/<screenshot>`, and return the console errors,
 * page errors and any request that left file:/data: (a self-contained page makes none).
 */
export async function inChromium(file: string, screenshot: string, check: (page: Page) => Promise<void>): Promise<{ errors: string[]; external: string[]; screenshot: string }> {
  const profile = mkdtempSync(join(tmpdir(), 'chromium-profile-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    viewport: { width: 1400, height: 1000 },
  });
  try {
    const page = await context.newPage();
    const errors: string[] = [];
    const external: string[] = [];
    page.on('console', (m) => {
      if (m.type() === 'error') errors.push(m.text());
    });
    page.on('pageerror', (e) => errors.push(e.message));
    page.on('request', (r) => {
      if (!/^(file|data):/.test(r.url())) external.push(r.url());
    });
    await page.goto(pathToFileURL(file).href, { waitUntil: 'load' });
    await check(page);
    const shot = join(ARTIFACTS, screenshot);
    mkdirSync(dirname(shot), { recursive: true });
    await page.screenshot({ path: shot, fullPage: true });
    return { errors, external, screenshot: shot };
  } finally {
    await context.close();
  }
}
