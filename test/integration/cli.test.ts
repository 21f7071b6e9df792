import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { type Harness, startHarness } from '../support/harness';

const root = join(__dirname, '..', '..');
const exec = promisify(execFile);

jest.setTimeout(180_000);

const TASK = '2000001';
const CALLS = 500; // ten pages of QueryRobotTaskCallList at DYVMS_PAGE_SIZE 50, and the empty page that ends it
const callId = (i: number) =>
  `20000010${String(i).padStart(4, '0')}^9${String(i).padStart(6, '0')}`;
const callee = (i: number) => `1390000${String(i).padStart(4, '0')}`;
const date = (i: number) => (i % 2 === 0 ? '2019-06-14' : '2019-06-15');
const FAILING = new Set(Array.from({ length: 20 }, (_, k) => k * 25 + 3)); // 20 calls spread over the pages

let h: Harness;

beforeAll(async () => {
  h = await startHarness({ env: { DYVMS_MAX_RPS: '2000', RECORDING_DOWNLOAD_ATTEMPTS: '2' } });
  for (let i = 0; i < CALLS; i++) {
    h.dyvms.addCall({
      taskId: TASK,
      callee: callee(i),
      date: date(i),
      recording: `rec_${i}.wav`,
      data: {
        taskId: Number(TASK),
        called: callee(i),
        callId: callId(i),
        duration: '12',
        callStartTime: `${date(i).replaceAll('-', '.')} 10:00:00`,
        callEndTime: `${date(i).replaceAll('-', '.')} 10:00:12`,
        recordStatus: 1,
      },
    });
    // The failing calls' recordings are missing from the host on the first run (404).
    if (!FAILING.has(i)) h.host.addRecording(`rec_${i}.wav`, { size: 2048 + i, seed: i });
  }
});
afterAll(() => h.stop());

async function cli(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await exec(
      process.execPath,
      [join(root, 'bin', 'vms-call-archive.cjs'), ...args],
      {
        cwd: root,
        env: { ...process.env, ...h.env },
        maxBuffer: 32 * 1024 * 1024,
      },
    );
    return { code: 0, stdout, stderr };
  } catch (error: unknown) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

const detailKeys = async () =>
  (await h.store.list(`${TASK}/`)).filter((k) => k.endsWith('/detail.json'));

describe('npx vms-call-archive (over the emulators)', () => {
  it('backfill: a task of 500 calls across 3 pages archives all but the 20 failing, parks those, exits 1, and shows progress', async () => {
    const run = await cli('backfill', '--task', TASK, '--concurrency', '8');

    expect(run.stdout).toContain(
      `task ${TASK}: 500 calls listed, archived 480, 0 without recording, 0 already archived, 0 dispatched, 20 failed`,
    );
    expect(run.code).toBe(1);
    expect(await detailKeys()).toHaveLength(480);
    expect((await h.store.list('_rejected/')).length).toBe(20);
    // Not a terminal here: plain progress lines instead of a bar.
    expect(run.stderr).toContain('backfill: 500 to go');
    expect(run.stderr).toContain('backfill: 500/500');
    const lists = h.dyvms.requests.filter((r) => r.action === 'QueryRobotTaskCallList');
    expect(lists).toHaveLength(11);
  });

  it('status: names exactly the 20 missing calls', async () => {
    const run = await cli('status', '--task', TASK, '--json');

    const status = JSON.parse(run.stdout) as {
      listed: number;
      archived: number;
      missing: { callId: string }[];
    };
    expect(status).toMatchObject({ listed: 500, archived: 480 });
    expect(status.missing.map((m) => m.callId).sort()).toEqual([...FAILING].map(callId).sort());
    expect(run.code).toBe(1);
  });

  it('backfill --date: a second run archives nothing new', async () => {
    const before = h.host.requests.length;

    const run = await cli('backfill', '--task', TASK, '--date', '2019-06-15');

    expect(run.stdout).toMatch(/250 calls listed, archived 0, .* 240 already archived/);
    expect(h.host.requests.length - before).toBe(10 * 2); // only the 10 failing calls of that day, 2 attempts each
  });

  it('replay: once the recordings are there, the parked calls archive and _rejected/ empties', async () => {
    for (const i of FAILING) h.host.addRecording(`rec_${i}.wav`, { size: 2048 + i, seed: i });

    const run = await cli('replay', '--from-rejected');

    expect(run.stdout).toContain('replay: 20 found, 20 archived, 0 still not archivable, 0 failed');
    expect(run.code).toBe(0);
    expect(await h.store.list('_rejected/')).toEqual([]);
    expect(await detailKeys()).toHaveLength(500);
    const status = await cli('status', '--task', TASK);
    expect(status.stdout).toContain(`task ${TASK}: 500 listed, 500 archived, 0 missing`);
    expect(status.code).toBe(0);
  });

  it('lookup --json: prints the CallDetail; a bad argument names itself', async () => {
    const run = await cli('lookup', '1045001', '13000000000', '--date', '2019-06-14', '--json');
    const bad = await cli('backfill', '--task', 'abc');

    expect(JSON.parse(run.stdout)).toMatchObject({
      callId: '116950320375^103750100375',
      durationSeconds: 60,
    });
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).toContain("option '--task <id>' argument 'abc' is invalid. expected digits");
  });

  it('--version prints the version; --from after --to and --date with --from are errors, not a silent zero', async () => {
    const version = await cli('--version');
    const backwards = await cli(
      'status',
      '--task',
      TASK,
      '--from',
      '2019-06-15',
      '--to',
      '2019-06-14',
    );
    const both = await cli(
      'status',
      '--task',
      TASK,
      '--date',
      '2019-06-14',
      '--from',
      '2019-06-14',
    );

    expect(version).toMatchObject({
      code: 0,
      stdout: `${require('../../package.json').version}\n`,
    });
    expect(backwards.code).toBe(1);
    expect(backwards.stderr).toContain('--from 2019-06-15 is after --to 2019-06-14');
    expect(both.code).toBe(1);
    expect(both.stderr).toContain('give --date, or --from/--to, not both');
  });

  it('lookup without --date for a call of another day: says to give --date, not to retry in a minute', async () => {
    const run = await cli('lookup', '1045001', '13000000000');

    expect(run.code).toBe(1);
    expect(run.stderr).toContain('give --date YYYY-MM-DD for a call of another day');
    expect(run.stderr).not.toContain('retry in a minute');
    expect(run.stderr).not.toContain('13000000000');
  });

  it('lookup prints its human output with no JSON log line above it', async () => {
    const run = await cli('lookup', '1045001', '13000000000', '--date', '2019-06-14');

    expect(run.code).toBe(0);
    expect(run.stderr).not.toContain('"level"');
    expect(run.stdout.split('\n')[0]).toMatch(/^116950320375\^103750100375 {2}task 1045001/);
  });
});
