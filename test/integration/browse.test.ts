/// <reference lib="dom" />
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { campaignPush } from '../../emulators/dyvms/campaign-push';
import { indexRowOf } from '../../lib/layout/index-row-of';
import { DetailForIndexSchema, pendingRowKey } from '../../lib/layout/index-rows';
import {
  clickLikeAPerson,
  launchChromium,
  seriousViolations,
  signInHere,
} from '../support/browser';
import { writeDayOfCalls } from '../support/day-of-calls';
import { type SandboxProcess, sandboxEnv, startSandbox } from '../support/sandbox-process';
import { waitUntil } from '../support/wait';

const root = join(__dirname, '..', '..');

jest.setTimeout(240_000);

/** A call whose upstream text is hostile: it must show as text and run nothing. */
const HOSTILE = '<img src=x onerror="window.__xss=1">';
const SEED = '1045001/2019-06-14/116950320375^103750100375';
const HELD = '2000001/2019-06-15/20000010003^9000003';
const callUrl = (ref: string) => `/app?call=${encodeURIComponent(ref)}`;
const HAN = /[\u4e00-\u9fff]/;
/** A day of more calls than the search's page of 50 holds: a second page of 3. */
const LONG_DAY = { taskId: '3000001', date: '2019-06-13', count: 53 };

const campaign = campaignPush();

/** Written beside the archived ones, with its index row, as a commit would leave it. */
function writeHostileCall(archive: string): void {
  const dir = join(archive, '1045001', '2019-06-14', '999_1');
  const seed = JSON.parse(
    readFileSync(join(archive, '1045001/2019-06-14/116950320376_103750100376/detail.json'), 'utf8'),
  );
  seed.call.callId = '999^1';
  seed.call.callee = '13900000099';
  seed.call.callResult = '<b>bold?</b>';
  seed.call.labels = ['<script>window.__xss=2</script>'];
  seed.call.dialog = [
    { role: 'robot', content: '您好，这里是回访 (Chinese text)', spokenAt: null },
    { role: 'user', content: HOSTILE, spokenAt: null },
  ];
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'detail.json'), JSON.stringify(seed));
  const row = indexRowOf(DetailForIndexSchema.parse(seed), '1045001/2019-06-14/999_1/detail.json');
  const key = join(archive, pendingRowKey('2019-06-14', row));
  mkdirSync(join(key, '..'), { recursive: true });
  writeFileSync(key, `${JSON.stringify(row)}\n`);
}

function writeHold(archive: string): void {
  mkdirSync(join(archive, '_holds'), { recursive: true });
  writeFileSync(
    join(archive, '_holds', 'hold-00000000000a.json'),
    JSON.stringify({
      schemaVersion: 1,
      id: 'hold-00000000000a',
      createdAt: '2026-01-01T00:00:00.000Z',
      who: 'test',
      reason: 'a complaint under review',
      scope: { kind: 'call', call: '2000001/2019-06-15/20000010003_9000003' },
    }),
  );
}

describe('the reviewer console in a real browser (Debian chromium, playwright-core, the mouse)', () => {
  let sandbox: SandboxProcess;
  let archive: string;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let base: string;
  /** LONG_DAY's calls as the list orders them, newest first. */
  let longDay: string[];
  const currentTime = () =>
    page.evaluate(() => (document.querySelector('audio') as HTMLAudioElement).currentTime);
  const rows = () => page.locator('table.calls tbody tr');
  const search = async (fields: Record<string, string>) => {
    for (const [name, value] of Object.entries(fields)) {
      const input = page.locator(`#f-${name}`);
      if ((await input.evaluate((node) => node.tagName)) === 'SELECT')
        await input.selectOption(value);
      else await input.fill(value);
    }
    await clickLikeAPerson(page, page.locator('form.filters button[type=submit]'));
  };
  const statusSays = (text: string) =>
    page.waitForFunction(
      (expected) => document.querySelector('.status')?.textContent === expected,
      text,
    );

  beforeAll(async () => {
    archive = mkdtempSync(join(tmpdir(), 'browse-archive-'));
    sandbox = await startSandbox(sandboxEnv(archive));
    // localhost: a secure context, where the Secure session cookie is kept.
    base = `http://localhost:${sandbox.port}`;
    for (const body of [
      readFileSync(join(root, 'events', 'http', 'reports-body.json'), 'utf8'),
      JSON.stringify(campaign),
    ]) {
      const pushed = await fetch(`${sandbox.base}/reports/${sandbox.token}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body,
      });
      expect(pushed.status).toBe(200);
    }
    const details = [
      '1045001/2019-06-14/116950320375_103750100375',
      '1045001/2019-06-14/116950320376_103750100376',
      ...campaign.map(
        (call) => `2000001/${call.start_time.slice(0, 10)}/${call.call_id.replace('^', '_')}`,
      ),
    ];
    await waitUntil(
      () => {
        try {
          for (const folder of details) readFileSync(join(archive, folder, 'detail.json'));
          return true;
        } catch {
          return false;
        }
      },
      'the sample calls archived',
      60_000,
    );
    writeHostileCall(archive);
    writeHold(archive);
    longDay = writeDayOfCalls(
      archive,
      '1045001/2019-06-14/116950320376_103750100376/detail.json',
      LONG_DAY,
    ).reverse();
    browser = await launchChromium();
    context = await browser.newContext({
      viewport: { width: 1366, height: 800 },
      acceptDownloads: true,
    });
    context.setDefaultTimeout(10_000);
    page = await context.newPage();
  });
  afterAll(async () => {
    await browser?.close();
    sandbox.child.kill('SIGINT');
    await sandbox.exited;
    rmSync(archive, { recursive: true, force: true });
  });

  it('given a wrong key, then sign-in is refused in Chinese; the right one lands on the day linked to, in 简体中文', async () => {
    await page.goto(`${base}/app?date=2019-06-14`);
    expect(await page.getAttribute('html', 'lang')).toBe('zh-CN');
    await signInHere(page, 'not-a-key');
    await page.waitForSelector('text=本存档不接受这个 API 密钥');

    await signInHere(page, sandbox.apiKey);
    await page.waitForSelector('table.calls tbody tr');

    expect(await page.locator('h1').textContent()).toBe('2019-06-14 的通话');
    expect(await rows().count()).toBe(7);
    await statusSays('第 1–7 条，共 7 条');
    expect(await page.locator('.overview').textContent()).toContain('已存档');
    expect((await fetch(`${sandbox.base}/archive/calls?from=2019-06-14`)).status).toBe(401);
    // No full phone number anywhere in the list; the time is China time, the result in words.
    expect(await page.locator('main').textContent()).not.toMatch(/1[3-9]\d{9}/);
    expect(await rows().first().locator('td').first().textContent()).toBe('16:01:00');
    expect(await page.locator('table.calls').textContent()).toContain('机器人挂断');
  });

  it('given a search by full number, by last four, by words said and by part of a result across days, then each finds its calls and the address holds the search', async () => {
    await page.goto(`${base}/app?from=2019-06-14&to=2019-06-15`);
    await page.waitForSelector('table.calls tbody tr');
    await statusSays('第 1–11 条，共 11 条');
    // All of them shown: no "more" to load, and no export hidden.
    expect(await page.locator('button.more').isVisible()).toBe(false);
    expect(await page.getByRole('link', { name: '导出 CSV' }).isVisible()).toBe(true);

    await search({ callee: '+86 139-0000-0003' });
    await statusSays('第 1–1 条，共 1 条');
    expect(await rows().first().textContent()).toContain('139****0003');
    expect(page.url()).toContain('callee=');
    expect(page.url()).toContain('to=2019-06-15');

    await search({ callee: '0003' });
    await statusSays('第 1–1 条，共 1 条');

    await search({ callee: '', text: '开场白' });
    await statusSays('第 1–1 条，共 1 条');
    expect(await rows().first().textContent()).toContain('130****0000');

    await search({ text: '', result: '无法' });
    await statusSays('第 1–5 条，共 5 条');

    // The address is the search: opened afresh, it shows the same calls.
    const shared = page.url();
    await page.goto(shared);
    await statusSays('第 1–5 条，共 5 条');
    expect(await page.inputValue('#f-result')).toBe('无法');
  });

  it('given the sortable headers, when a person clicks Duration, then the longest call comes first and the order is in the address', async () => {
    await page.goto(`${base}/app?from=2019-06-14&to=2019-06-15`);
    await page.waitForSelector('table.calls tbody tr');
    await clickLikeAPerson(page, page.locator('th button.sort').nth(1));
    await page.waitForURL(/sort=-duration/);
    await page.waitForFunction(() =>
      document.querySelector('th[aria-sort="descending"]')?.textContent?.includes('时长'),
    );
    expect(await rows().first().locator('td').nth(2).textContent()).toBe('1:00');
    await clickLikeAPerson(page, page.locator('th button.sort').nth(1));
    await page.waitForURL(/sort=duration/);
    await page.waitForFunction(
      () => document.querySelector('table.calls tbody tr td:nth-child(3)')?.textContent !== '1:00',
    );
  });

  it('given a bad value, then its message shows next to its field and the page still works', async () => {
    await page.goto(`${base}/app?date=2019-06-14&taskId=abc`);
    await page.waitForSelector('#e-taskId:not(:empty)');
    expect(await page.textContent('#e-taskId')).toMatch(/^taskId: /);
    expect(await page.getAttribute('#f-taskId', 'aria-invalid')).toBe('true');

    await search({ taskId: '', callee: '12ab' });
    await page.waitForSelector('#e-callee:not(:empty)');
    expect(await page.textContent('#e-callee')).toMatch(/^callee: /);

    await search({ callee: '', from: '2019-06-15', to: '2019-06-14' });
    await page.waitForSelector('#e-from:not(:empty)');
    expect(await page.textContent('#e-from')).toMatch(/^from, to: /);
    expect(await page.getAttribute('#f-to', 'aria-invalid')).toBe('true');
    // Corrected, the search runs and the marks go.
    await search({ from: '2019-06-14', to: '2019-06-15' });
    await statusSays('第 1–11 条，共 11 条');
    expect(await page.getAttribute('#f-from', 'aria-invalid')).toBeNull();
  });

  it('given a day without calls, then the page says so and links the latest day that has some', async () => {
    await page.goto(`${base}/app?date=2019-07-01`);
    await page.waitForSelector('text=2019-07-01 这一天没有存档的通话');
    await clickLikeAPerson(page, page.getByRole('link', { name: /2019-06-15/ }));
    await page.waitForSelector('table.calls tbody tr');
    expect(await page.locator('h1').textContent()).toBe('2019-06-15 的通话');

    await search({ callee: '9999' });
    await page.waitForSelector('text=没有符合这些条件的通话');
  });

  it('given a call, when a person clicks ▶, a speed, ±5 s and a turn, then the audio plays, faster, moves, and the transcript follows it', async () => {
    await page.goto(`${base}${callUrl(SEED)}`);
    await page.waitForSelector('#waveform div, #waveform canvas', { state: 'attached' });
    expect(await page.title()).toContain('130****0000');

    await clickLikeAPerson(page, page.getByRole('button', { name: '播放' }));
    await page.waitForFunction(
      () => (document.querySelector('audio') as HTMLAudioElement).currentTime > 0.3,
    );
    await clickLikeAPerson(page, page.getByRole('button', { name: '2×' }));
    await page.waitForFunction(
      () => (document.querySelector('audio') as HTMLAudioElement).playbackRate === 2,
    );
    // the pressed state follows the audio's ratechange, an event dispatched after the change
    await page.waitForSelector('.speeds button:nth-child(4)[aria-pressed="true"]', {
      timeout: 2_000,
    });
    expect(await page.getAttribute('.speeds button:nth-child(1)', 'aria-pressed')).toBe('false');
    await clickLikeAPerson(page, page.getByRole('button', { name: '暂停' }));
    const before = await currentTime();
    await clickLikeAPerson(page, page.getByRole('button', { name: '+5 秒' }));
    await page.waitForFunction(
      (t) => (document.querySelector('audio') as HTMLAudioElement).currentTime >= t + 4.9,
      before,
    );
    await clickLikeAPerson(page, page.getByRole('button', { name: '−5 秒' }));
    expect(await currentTime()).toBeLessThan(before + 0.5);

    // The one turn is at 0:00: moving away and clicking it plays from there.
    await page.evaluate(() => {
      (document.querySelector('audio') as HTMLAudioElement).currentTime = 20;
    });
    await clickLikeAPerson(page, page.locator('ol.transcript li button').first());
    await page.waitForFunction(
      () => (document.querySelector('audio') as HTMLAudioElement).currentTime < 5,
    );
    await page.waitForSelector('ol.transcript li[aria-current="true"]');

    // The keyboard: space pauses, → skips 5 s; the keys are listed on the page.
    await page.locator('h1').click();
    await page.keyboard.press('Space');
    await page.waitForFunction(() => (document.querySelector('audio') as HTMLAudioElement).paused);
    const paused = await currentTime();
    await page.keyboard.press('ArrowRight');
    expect(await currentTime()).toBeGreaterThanOrEqual(paused + 4.9);
    expect(await page.locator('.keys').textContent()).toContain('播放 / 暂停');

    const facts = await page.locator('dd').allTextContents();
    expect(facts).toEqual(
      expect.arrayContaining(['邀约、有房、无车', '机器人挂断', '未转接', '2019/06/14 15:22:23']),
    );
    expect(await page.locator('dl.integrity').textContent()).toMatch(/[0-9a-f]{64}/);
    await page.evaluate(() => (document.querySelector('audio') as HTMLAudioElement).pause());
  });

  it('given a call page, when a person clicks Download recording and Download detail.json, then the downloads are the stored bytes', async () => {
    await page.goto(`${base}${callUrl(SEED)}`);
    await page.waitForSelector('#waveform div, #waveform canvas', { state: 'attached' });
    await page.waitForFunction(
      () => (document.querySelector('#waveform') as HTMLElement).getBoundingClientRect().height > 0,
    );
    const folder = join(archive, '1045001/2019-06-14/116950320375_103750100375');

    const recording = page.waitForEvent('download');
    await clickLikeAPerson(page, page.getByRole('link', { name: '下载录音' }));
    const saved = await (await recording).path();
    expect(readFileSync(saved).equals(readFileSync(join(folder, 'recording.wav')))).toBe(true);

    const detail = page.waitForEvent('download');
    await clickLikeAPerson(page, page.getByRole('link', { name: '下载 detail.json' }));
    const json = JSON.parse(readFileSync(await (await detail).path(), 'utf8'));
    expect(json.call.callId).toBe(
      JSON.parse(readFileSync(join(folder, 'detail.json'), 'utf8')).call.callId,
    );
  });

  it('given a result, when a person opens its first call and clicks next, then the next call of the result opens, and the way back returns to the result', async () => {
    await page.goto(`${base}/app?date=2019-06-15`);
    await page.waitForSelector('table.calls tbody tr');
    const listed = await page
      .locator('table.calls tbody tr td:first-child a')
      .evaluateAll((links) => links.map((link) => (link as HTMLAnchorElement).href));
    expect(listed).toHaveLength(4);
    await clickLikeAPerson(page, page.locator('table.calls tbody tr td a').first());
    await page.waitForSelector('.call-nav');
    expect(await page.locator('.call-nav').textContent()).toContain('查找结果第 1 / 4 通');

    await clickLikeAPerson(page, page.getByRole('link', { name: '下一通 →' }));
    await page.waitForURL(listed[1] as string);
    await page.waitForSelector('text=查找结果第 2 / 4 通');
    await page.keyboard.press('n');
    await page.waitForURL(listed[2] as string);
    await page.waitForSelector('text=查找结果第 3 / 4 通');
    await page.keyboard.press('p');
    await page.waitForURL(listed[1] as string);

    await clickLikeAPerson(page, page.getByRole('link', { name: '← 返回查找结果' }));
    await page.waitForSelector('table.calls tbody tr');
    expect(page.url()).toContain('from=2019-06-15');
  });

  it('given a day of more calls than a page holds, when a person clicks More calls, then the rest follow the first page, none twice, and the button goes', async () => {
    const listed = () =>
      page
        .locator('table.calls tbody tr td:first-child a')
        .evaluateAll((links) =>
          links.map((link) => new URL((link as HTMLAnchorElement).href).searchParams.get('call')),
        );
    await page.goto(`${base}/app?date=${LONG_DAY.date}`);
    await statusSays('第 1–50 条，共 53 条');
    expect(await listed()).toEqual(longDay.slice(0, 50));
    const more = page.getByRole('button', { name: '加载更多' });
    expect(await more.isVisible()).toBe(true);

    await clickLikeAPerson(page, more);
    await statusSays('第 1–53 条，共 53 条');
    const all = await listed();
    expect(all).toEqual(longDay);
    expect(new Set(all).size).toBe(LONG_DAY.count);
    await page.waitForSelector('button.more', { state: 'hidden' });
    // The button went with the last page; the keyboard goes on from the first call it brought.
    expect(
      await page.evaluate(() =>
        new URL((document.activeElement as HTMLAnchorElement).href).searchParams.get('call'),
      ),
    ).toBe(longDay[50]);

    // By duration every call ties (all copies of one call): the pages still meet, none twice.
    await clickLikeAPerson(page, page.locator('th button.sort').nth(1));
    await page.waitForURL(/sort=-duration/);
    await statusSays('第 1–50 条，共 53 条');
    await clickLikeAPerson(page, more);
    await statusSays('第 1–53 条，共 53 条');
    const byDuration = await listed();
    expect(new Set(byDuration).size).toBe(LONG_DAY.count);
    expect([...byDuration].sort()).toEqual([...longDay].sort());
    expect(await more.isVisible()).toBe(false);
  });

  it('given the first page of a long result, when a person opens its last call and goes next (the link, then the n key), then the first call of the second page opens', async () => {
    for (const press of ['link', 'key'] as const) {
      await page.goto(`${base}/app?date=${LONG_DAY.date}`);
      await statusSays('第 1–50 条，共 53 条');
      await clickLikeAPerson(page, rows().nth(49).locator('a'));
      await page.waitForURL(`${base}${callUrl(longDay[49] as string)}`);
      await page.waitForSelector('text=查找结果第 50 / 53 通');

      if (press === 'link')
        await clickLikeAPerson(page, page.getByRole('link', { name: '下一通 →' }));
      else await page.keyboard.press('n');
      await page.waitForURL(`${base}${callUrl(longDay[50] as string)}`);
      await page.waitForSelector('text=查找结果第 51 / 53 通');
      const previous = page.getByRole('link', { name: '← 上一通' });
      expect(await previous.getAttribute('href')).toBe(callUrl(longDay[49] as string));
    }
    await page.keyboard.press('p');
    await page.waitForURL(`${base}${callUrl(longDay[49] as string)}`);
    await page.waitForSelector('text=查找结果第 50 / 53 通');
  });

  it('given a held call, then the list and its page show it as held', async () => {
    await page.goto(`${base}/app?date=2019-06-15`);
    await page.waitForSelector('table.calls tbody tr');
    const held = rows().filter({ has: page.locator('.held') });
    expect(await held.count()).toBe(1);
    expect(await held.locator('.held').textContent()).toBe('保留中');
    expect(await held.locator('a').getAttribute('href')).toBe(callUrl(HELD));
    await clickLikeAPerson(page, held.locator('a'));
    await page.waitForSelector('.held-banner');
    expect(await page.textContent('.held-banner')).toContain('此通话被保留');
    await page.goto(`${base}${callUrl(SEED)}`);
    await page.waitForSelector('ol.transcript li');
    expect(await page.locator('.held-banner').count()).toBe(0);
  });

  it('given an unknown call, then the page says so with ways back', async () => {
    await page.goto(`${base}${callUrl('1045001/2019-06-14/1^2')}`);
    await page.waitForSelector('text=找不到这通电话');
    await clickLikeAPerson(page, page.getByRole('link', { name: '← 2019-06-14 的通话' }));
    await page.waitForSelector('table.calls tbody tr');
  });

  it('given upstream text that is HTML, then it shows as text and runs nothing', async () => {
    await page.goto(`${base}${callUrl('1045001/2019-06-14/999^1')}`);
    await page.waitForSelector('ol.transcript li');

    const turns = await page.locator('ol.transcript li').allTextContents();
    expect(turns[1]).toContain(HOSTILE);
    expect(turns[0]).toContain('您好，这里是回访');
    expect(await page.locator('ol.transcript img, dd script, dd b').count()).toBe(0);
    await page.goto(`${base}/app?date=2019-06-14`);
    await page.waitForSelector('table.calls tbody tr');
    expect(await page.locator('table.calls').textContent()).toContain('<b>bold?</b>');
    expect(await page.locator('table.calls b, table.calls script').count()).toBe(0);
    expect(await page.evaluate(() => (window as { __xss?: number }).__xss)).toBeUndefined();
  });

  it('given the language switch, when a person clicks English, then every label changes, the choice is remembered, and 中文 switches back', async () => {
    const labels = () =>
      page
        .locator(
          'label, th, button:not(.turn), .turn strong, h1, h2, dt, .hint, .call-nav a, .status, a.button, .bar a',
        )
        .allTextContents();
    for (const view of ['/app?date=2019-06-14', callUrl(SEED)]) {
      await page.goto(`${base}${view}`);
      await page.waitForSelector('table.calls tbody tr, ol.transcript li');
      const chinese = await labels();
      const chineseTitle = await page.title();
      await clickLikeAPerson(page, page.getByRole('button', { name: 'Switch to English' }));
      await page.waitForFunction(() => document.documentElement.lang === 'en');
      // The view draws itself again after its answers arrive; until then the Chinese one,
      // rows and all, is still in the page: wait for the English title, set as it redraws.
      await page.waitForFunction((before) => document.title !== before, chineseTitle);
      await page.waitForSelector('table.calls tbody tr, ol.transcript li');
      const english = await labels();
      expect(english).toHaveLength(chinese.length);
      for (const [i, text] of english.entries()) {
        // ▶, 1.25×, ±5 s, 15:22:23, SHA-256: the same in both (the buttons' names are words).
        if (/^[\d:×.\s+−▶❚-]*s?$|^SHA-256$|^storeTag$/.test(text)) continue;
        expect(text).not.toBe(chinese[i]);
        if (text !== '中文') expect(text).not.toMatch(HAN);
      }
      await page.reload();
      await page.waitForSelector('table.calls tbody tr, ol.transcript li');
      expect(await page.getAttribute('html', 'lang')).toBe('en');
      await clickLikeAPerson(page, page.getByRole('button', { name: '切换到简体中文' }));
      await page.waitForFunction(() => document.documentElement.lang === 'zh-CN');
    }
  });

  it('given a search, when a person clicks Export CSV, then the download is the CSV of that search', async () => {
    await page.goto(`${base}/app?from=2019-06-14&to=2019-06-15&result=无法`);
    await page.waitForSelector('table.calls tbody tr');
    const download = page.waitForEvent('download');
    await clickLikeAPerson(page, page.getByRole('link', { name: '导出 CSV' }));
    const csv = readFileSync(await (await download).path(), 'utf8');
    const lines = csv
      .replace(/^\uFEFF/, '')
      .trim()
      .split('\r\n');
    expect(lines[0]).toMatch(/^date,task_id,call_id,callee/);
    expect(lines).toHaveLength(6);
  });

  it('given a phone, then the list is cards with nothing cut off and the player has thumb-sized controls', async () => {
    const phone = await browser.newContext({
      viewport: { width: 390, height: 844 },
      isMobile: true,
      hasTouch: true,
    });
    const small = await phone.newPage();
    await small.goto(`${base}/app?date=2019-06-14`);
    await signInHere(small, sandbox.apiKey);
    await small.waitForSelector('table.calls tbody tr');
    const fits = await small.evaluate(
      () => document.documentElement.scrollWidth <= window.innerWidth,
    );
    expect(fits).toBe(true);
    // The column names sit on each card; the header row is out of sight (still read aloud).
    const header = await small.locator('table.calls thead').boundingBox();
    expect((header?.x ?? 0) + (header?.width ?? 0)).toBeLessThanOrEqual(0);
    const names = await small
      .locator('table.calls tbody tr')
      .first()
      .locator('td')
      .evaluateAll((cells) => cells.map((cell) => getComputedStyle(cell, '::before').content));
    expect(names).toContain('"时长"');

    await small.goto(`${base}${callUrl(SEED)}`);
    await small.waitForSelector('.controls .play');
    for (const control of await small.locator('.controls button').all()) {
      const box = await control.boundingBox();
      expect(box?.height ?? 0).toBeGreaterThanOrEqual(44);
    }
    await small.locator('.controls .play').tap();
    await small.waitForFunction(
      () => (document.querySelector('audio') as HTMLAudioElement).currentTime > 0.3,
    );
    await phone.close();
  });

  it('given every view, then axe-core finds no serious or critical violation (axe injected with the CSP bypassed for this pass alone)', async () => {
    const audit = await browser.newContext({
      viewport: { width: 1366, height: 800 },
      bypassCSP: true,
    });
    const checked = await audit.newPage();
    const views: [string, string, string][] = [
      ['sign-in', '/app?date=2019-06-14', '#api-key'],
      ['day', '/app?date=2019-06-14', 'table.calls tbody tr'],
      ['range', '/app?from=2019-06-14&to=2019-06-15', 'table.calls tbody tr'],
      ['bad filter', '/app?date=2019-06-14&callee=12ab', '#e-callee:not(:empty)'],
      ['empty day', '/app?date=2019-07-01', '.empty p'],
      ['call', callUrl(SEED), 'ol.transcript li'],
      ['call without recording', callUrl('1045001/2019-06-14/116950320376^103750100376'), 'h1'],
      ['unknown call', callUrl('1045001/2019-06-14/1^2'), '.ways'],
    ];
    const found: string[] = [];
    for (const [name, view, ready] of views) {
      await checked.goto(`${base}${view}`);
      if (name === 'day') await signInHere(checked, sandbox.apiKey);
      await checked.waitForSelector(ready);
      for (const violation of await seriousViolations(checked)) found.push(`${name}: ${violation}`);
    }
    await audit.close();
    expect(found).toEqual([]);
  });

  it('given an expired session, then the page asks to sign in again and lands where it was; Sign out ends it', async () => {
    const where = `${base}/app?date=2019-06-15`;
    await page.goto(where);
    await page.waitForSelector('table.calls tbody tr');
    await context.clearCookies();
    await page.reload();
    await page.waitForSelector('text=会话已过期');
    await signInHere(page, sandbox.apiKey);
    await page.waitForSelector('table.calls tbody tr');
    expect(page.url()).toBe(where);
    await statusSays('第 1–4 条，共 4 条');

    await clickLikeAPerson(page, page.locator('#sign-out'));
    await page.waitForSelector('#api-key');
    await page.reload();
    await page.waitForSelector('#api-key');
    const cookies = await context.cookies();
    expect(cookies.filter((cookie) => cookie.name === 'vca_session')).toEqual([]);
  });
});
