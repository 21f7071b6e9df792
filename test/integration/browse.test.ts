/// <reference lib="dom" />
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Browser, chromium, type Page } from 'playwright-core';
import { indexRowOf } from '../../lib/layout/index-row-of';
import { DetailForIndexSchema, pendingRowKey } from '../../lib/layout/index-rows';
import { type SandboxProcess, sandboxEnv, startSandbox } from '../support/sandbox-process';
import { waitUntil } from '../support/wait';

const root = join(__dirname, '..', '..');
const shots = join(root, 'test-results');

jest.setTimeout(180_000);

/** A call whose upstream text is hostile: it must show as text and run nothing. */
const HOSTILE = '<img src=x onerror="window.__xss=1">';

function writeHostileCall(archive: string): void {
  const dir = join(archive, '1045001', '2019-06-14', '999_1');
  const seed = JSON.parse(
    readFileSync(join(archive, '1045001/2019-06-14/116950320376_103750100376/detail.json'), 'utf8'),
  );
  seed.call.callId = '999^1';
  seed.call.callee = '13900000009';
  seed.call.callResult = '<b>bold?</b>';
  seed.call.labels = ['<script>window.__xss=2</script>'];
  seed.call.dialog = [
    { role: 'robot', content: '您好，这里是回访 (Chinese text)', spokenAt: null },
    { role: 'user', content: HOSTILE, spokenAt: null },
  ];
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'detail.json'), JSON.stringify(seed));
  // Written by hand, so its index row too: browse lists calls from the index.
  const row = indexRowOf(DetailForIndexSchema.parse(seed), '1045001/2019-06-14/999_1/detail.json');
  const rowKey = pendingRowKey('2019-06-14', row);
  mkdirSync(join(archive, ...rowKey.split('/').slice(0, -1)), { recursive: true });
  writeFileSync(join(archive, ...rowKey.split('/')), JSON.stringify(row));
}

describe('browse in a real browser (Debian chromium through playwright-core)', () => {
  let sandbox: SandboxProcess;
  let archive: string;
  let browser: Browser;
  let page: Page;
  let base: string;

  beforeAll(async () => {
    archive = mkdtempSync(join(tmpdir(), 'browse-archive-'));
    sandbox = await startSandbox(sandboxEnv(archive));
    // localhost: a secure context, where the Secure session cookie is kept.
    base = `http://localhost:${sandbox.port}`;
    const pushed = await fetch(`${sandbox.base}/reports/${sandbox.token}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: readFileSync(join(root, 'events', 'http', 'reports-body.json')),
    });
    expect(pushed.status).toBe(200);
    await waitUntil(
      () => {
        try {
          readFileSync(join(archive, '1045001/2019-06-14/116950320375_103750100375/detail.json'));
          readFileSync(join(archive, '1045001/2019-06-14/116950320376_103750100376/detail.json'));
          return true;
        } catch {
          return false;
        }
      },
      'the sample calls archived',
      30_000,
    );
    writeHostileCall(archive);
    mkdirSync(shots, { recursive: true });
    browser = await chromium.launch({
      executablePath: '/usr/bin/chromium',
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--autoplay-policy=no-user-gesture-required',
        '--mute-audio',
      ],
    });
    page = await (await browser.newContext({ viewport: { width: 1366, height: 800 } })).newPage();
  });
  afterAll(async () => {
    await browser?.close();
    sandbox.child.kill('SIGINT');
    await sandbox.exited;
    rmSync(archive, { recursive: true, force: true });
  });

  it('given a wrong key, then sign-in is refused; the right one lands on the day linked to, and the API refuses a caller without a session', async () => {
    await page.goto(`${base}/app?date=2019-06-14`);
    await page.fill('#api-key', 'not-a-key');
    await page.click('button[type=submit]');
    await page.waitForSelector('text=not one this archive accepts');

    await page.fill('#api-key', sandbox.apiKey);
    await page.click('button[type=submit]');
    await page.waitForSelector('table tbody tr');

    expect(await page.locator('h1').textContent()).toBe('Calls of 2019-06-14');
    expect(await page.locator('table tbody tr').count()).toBe(3);
    expect((await fetch(`${sandbox.base}/archive/days/2019-06-14/calls`)).status).toBe(401);
    // No full phone number anywhere in the list view.
    expect(await page.locator('body').textContent()).not.toMatch(/1[3-9]\d{9}/);
    await page.screenshot({ path: join(shots, 'browse-day.png'), fullPage: true });
  });

  it('given filters, then the list narrows', async () => {
    await page.selectOption('#f-recording', 'yes');
    await page.click('form.filters button[type=submit]');
    await page.waitForFunction(() => document.querySelectorAll('table tbody tr').length === 1);
    expect(page.url()).toContain('recording=yes');

    await page.selectOption('#f-recording', '');
    await page.fill('#f-q', '0001');
    await page.click('form.filters button[type=submit]');
    await page.waitForFunction(() => document.querySelectorAll('table tbody tr').length === 1);
    expect(await page.locator('table tbody tr td').nth(2).textContent()).toBe('130****0001');
  });

  it('given a call, then its recording plays, seeks, and the transcript follows it', async () => {
    await page.goto(
      `${base}/app?call=${encodeURIComponent('1045001/2019-06-14/116950320375^103750100375')}`,
    );
    await page.waitForSelector('audio');
    await page.waitForSelector('#waveform div, #waveform canvas', { state: 'attached' });

    await page.evaluate(() => (document.querySelector('audio') as HTMLAudioElement).play());
    await page.waitForFunction(
      () => (document.querySelector('audio') as HTMLAudioElement).currentTime > 0.3,
    );
    await page.evaluate(() => {
      (document.querySelector('audio') as HTMLAudioElement).currentTime = 20;
    });
    await page.waitForFunction(
      () => (document.querySelector('audio') as HTMLAudioElement).currentTime >= 20,
    );
    await page.waitForSelector('ol.transcript li[aria-current="true"]');

    const turns = await page.locator('ol.transcript li').allTextContents();
    expect(turns).toEqual([expect.stringContaining('开场白')]);
    expect(await page.locator('dd').allTextContents()).toContain('邀约, 有房, 无车');
    await page.screenshot({ path: join(shots, 'browse-call.png'), fullPage: true });
  });

  it('given a call page with its waveform, when a person clicks Download detail.json and then the way back with the mouse, then the download is the stored bytes and the day opens', async () => {
    // Prepare
    await page.goto(
      `${base}/app?call=${encodeURIComponent('1045001/2019-06-14/116950320375^103750100375')}`,
    );
    await page.waitForSelector('#waveform div, #waveform canvas', { state: 'attached' });
    await page.waitForFunction(
      () => (document.querySelector('#waveform') as HTMLElement).getBoundingClientRect().height > 0,
    );
    const link = page.getByRole('link', { name: 'Download detail.json' });

    // Act: a real click at the link's centre (an overlay there would take it instead).
    const box = await link.boundingBox();
    if (!box) throw new Error('the download link is not laid out');
    const downloading = page.waitForEvent('download');
    await page.mouse.click(box.x + box.width / 2, box.y + box.height / 2);
    const download = await downloading;

    // Assess
    const saved = await download.path();
    const stored = readFileSync(
      join(archive, '1045001/2019-06-14/116950320375_103750100375/detail.json'),
      'utf8',
    );
    expect(JSON.parse(readFileSync(saved, 'utf8')).call.callId).toBe(
      JSON.parse(stored).call.callId,
    );

    const back = await page.getByRole('link', { name: /Calls of 2019-06-14/ }).boundingBox();
    if (!back) throw new Error('the way back is not laid out');
    await page.mouse.click(back.x + back.width / 2, back.y + back.height / 2);
    await page.waitForSelector('table tbody tr');
    expect(page.url()).toContain('date=2019-06-14');
  });

  it('given upstream text that is HTML, then it shows as text and runs nothing', async () => {
    await page.goto(`${base}/app?call=${encodeURIComponent('1045001/2019-06-14/999^1')}`);
    await page.waitForSelector('ol.transcript li');

    const turns = await page.locator('ol.transcript li').allTextContents();
    expect(turns[1]).toContain(HOSTILE);
    expect(turns[0]).toContain('您好，这里是回访');
    expect(await page.locator('ol.transcript img, dd script, dd b').count()).toBe(0);
    expect(await page.evaluate(() => (window as { __xss?: number }).__xss)).toBeUndefined();
  });

  it('given Sign out, then the cookie is gone, the page asks for the key again, and a reload stays signed out', async () => {
    await page.goto(`${base}/app?date=2019-06-14`);
    await page.waitForSelector('table tbody tr');

    await page.click('#sign-out');
    await page.waitForSelector('#api-key');
    await page.reload();
    await page.waitForSelector('#api-key');

    const cookies = await page.context().cookies();
    expect(cookies.filter((cookie) => cookie.name === 'vca_session')).toEqual([]);
  });
});
