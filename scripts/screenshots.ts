/**
 * `npm run screenshots`: README's pictures of the archive browser, taken from the running
 * sandbox (`npm start`, whose settings .sandbox.json holds) with Debian's Chromium through
 * playwright-core, into docs/screenshots/. Pushes the sample reports and eight calls of the
 * emulator's campaign first (a duplicate is archived once), so the pictures show real rows.
 */
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { type Browser, chromium, type Page } from 'playwright-core';
import { campaignPush } from '../emulators/dyvms/campaign-push';

const root = join(__dirname, '..');
const out = join(root, 'docs', 'screenshots');
const SEED = '1045001/2019-06-14/116950320375^103750100375';

const campaign = campaignPush();

function sandbox(): { base: string; apiKey: string; token: string } {
  const settings = JSON.parse(readFileSync(join(root, '.sandbox.json'), 'utf8'));
  const apiKey = String(settings.env.API_KEYS).split(',')[0] ?? '';
  // localhost, not 127.0.0.1: a secure context, where the Secure session cookie is kept.
  const base = String(settings.base).replace('127.0.0.1', 'localhost');
  return { base, apiKey: apiKey.slice(apiKey.indexOf(':') + 1), token: settings.env.REPORTS_TOKEN };
}

async function signedIn(browser: Browser, base: string, apiKey: string, width: number) {
  const context = await browser.newContext({
    viewport: { width, height: 860 },
    isMobile: width < 600,
  });
  const page = await context.newPage();
  await page.goto(`${base}/app?date=2019-06-14`);
  await page.fill('#api-key', apiKey);
  await page.click('form.sign-in button[type=submit]');
  await page.waitForSelector('table.calls tbody tr');
  return page;
}

async function callPage(page: Page, base: string): Promise<void> {
  await page.goto(`${base}/app?call=${encodeURIComponent(SEED)}`);
  await page.waitForSelector('#waveform div', { state: 'attached' });
  await page.evaluate(async () => {
    const audio = document.querySelector('audio') as HTMLAudioElement;
    await audio.play();
    await new Promise((resolve) => setTimeout(resolve, 1500));
    audio.pause();
  });
}

async function main(): Promise<void> {
  const { base, apiKey, token } = sandbox();
  for (const body of [
    readFileSync(join(root, 'events/http/reports-body.json'), 'utf8'),
    JSON.stringify(campaign),
  ]) {
    const pushed = await fetch(`${base}/reports/${token}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body,
    });
    if (!pushed.ok) throw new Error(`pushing the sample reports: ${pushed.status}`);
  }
  await new Promise((resolve) => setTimeout(resolve, 3000));
  mkdirSync(out, { recursive: true });
  const browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--mute-audio',
      '--autoplay-policy=no-user-gesture-required',
    ],
  });
  try {
    const wide = await signedIn(browser, base, apiKey, 1366);
    await wide.goto(`${base}/app?from=2019-06-14&to=2019-06-15`);
    await wide.waitForSelector('table.calls tbody tr');
    await wide.screenshot({ path: join(out, 'search.png') });
    await callPage(wide, base);
    await wide.screenshot({ path: join(out, 'call.png'), fullPage: true });
    const phone = await signedIn(browser, base, apiKey, 390);
    await phone.screenshot({ path: join(out, 'phone-list.png') });
    await callPage(phone, base);
    await phone.screenshot({ path: join(out, 'phone-call.png') });
  } finally {
    await browser.close();
  }
  console.log(`docs/screenshots/: search.png, call.png, phone-list.png, phone-call.png`);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
