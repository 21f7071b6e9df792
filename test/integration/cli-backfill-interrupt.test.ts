import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { mkdirSync, readdirSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { type Harness, startHarness } from '../support/harness';

const root = join(__dirname, '..', '..');
const cliPath = join(root, 'bin', 'vms-call-archive.cjs');
const exec = promisify(execFile);

jest.setTimeout(180_000);

const TASK = '6000001';
const DAY = '2019-06-14';
const CALLS = 12;
const callId = (i: number) => `${TASK}${i}^${i}`;

let h: Harness;

beforeAll(async () => {
  h = await startHarness({ env: { DYVMS_MAX_RPS: '2000' } });
  for (let i = 0; i < CALLS; i++) {
    const callee = `1360000${String(i).padStart(4, '0')}`;
    h.dyvms.addCall({
      taskId: TASK,
      callee,
      date: DAY,
      recording: `int_${i}.wav`,
      data: {
        taskId: Number(TASK),
        called: callee,
        callId: callId(i),
        duration: '12',
        callStartTime: `${DAY.replaceAll('-', '.')} 10:00:00`,
        callEndTime: `${DAY.replaceAll('-', '.')} 10:00:12`,
        recordStatus: 1,
      },
    });
    h.host.addRecording(`int_${i}.wav`, { size: 64 * 1024 + i, seed: i });
  }
});
afterAll(() => h.stop());

const env = () => ({ ...process.env, ...h.env });

async function cli(...args: string[]): Promise<{ code: number; stdout: string }> {
  try {
    const { stdout } = await exec(process.execPath, [cliPath, ...args], { cwd: root, env: env() });
    return { code: 0, stdout };
  } catch (error: unknown) {
    const e = error as { code: number; stdout: string };
    return { code: e.code, stdout: e.stdout };
  }
}

/** Every `.tmp-*` file in the archive, as a path under it. */
function tempFiles(dir = h.archiveDir, under = ''): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = under ? `${under}/${entry.name}` : entry.name;
    if (entry.isDirectory()) return tempFiles(join(dir, entry.name), path);
    return entry.name.startsWith('.tmp-') ? [path] : [];
  });
}

const details = async () =>
  (await h.store.list(`${TASK}/`)).filter((key) => key.endsWith('/detail.json'));

async function until(what: string, check: () => boolean | Promise<boolean>) {
  for (let i = 0; i < 600; i++) {
    if (await check()) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`never: ${what}`);
}

describe('Ctrl-C during backfill', () => {
  it('prints what was done marked interrupted, exits 130, leaves no temp file; the next run removes stale ones, finishes, and verify is clean', async () => {
    // A file:// write an earlier run left unfinished two hours ago, in .tmp/ and (as an
    // older store wrote them) beside the final name, and one another process writes now.
    const callFolder = join(h.archiveDir, TASK, DAY);
    mkdirSync(join(h.archiveDir, '.tmp'), { recursive: true });
    mkdirSync(callFolder, { recursive: true });
    const twoHoursAgo = new Date(Date.now() - 2 * 3600_000);
    for (const stale of [
      join(h.archiveDir, '.tmp', '.tmp-0badc0de'),
      join(callFolder, '.tmp-0ld'),
    ]) {
      writeFileSync(stale, 'half a recording');
      utimesSync(stale, twoHoursAgo, twoHoursAgo);
    }
    writeFileSync(join(h.archiveDir, '.tmp', '.tmp-1ive'), 'another process writing');

    // Four recordings come at once, then the slow host: the next two hang mid-download.
    h.host.injectFaults(
      ...Array.from({ length: 4 }, () => ({ kind: 'stall' as const, ms: 0 })),
      { kind: 'stall', ms: 120_000 },
      { kind: 'stall', ms: 120_000 },
    );
    const child: ChildProcess = spawn(
      process.execPath,
      [cliPath, 'backfill', '--task', TASK, '--concurrency', '2'],
      { cwd: root, env: env(), stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let stdout = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
    });
    child.stderr?.resume();
    const exited = new Promise<number | null>((resolve) =>
      child.on('exit', (code) => resolve(code)),
    );

    await until('four calls archived and two writes in progress', async () => {
      const inProgress = readdirSync(join(h.archiveDir, '.tmp')).filter(
        (name) => !['.tmp-0badc0de', '.tmp-1ive'].includes(name),
      );
      return (await details()).length === 4 && inProgress.length === 2;
    });
    child.kill('SIGINT');
    const code = await exited;

    expect(stdout).toContain(
      `task ${TASK} (interrupted): ${CALLS} calls listed, archived 4, 0 without recording, 0 already archived, 0 dispatched, 0 failed, 2 stale temp files of an earlier run removed`,
    );
    expect(stdout).toContain('run the same command again to resume');
    expect(code).toBe(130);
    // Its own two unfinished writes gone; the live one of another process kept.
    expect(tempFiles()).toEqual(['.tmp/.tmp-1ive']);

    const again = await cli('backfill', '--task', TASK);
    const verify = await cli('verify', '--task', TASK);

    expect(again.stdout).toContain(
      `task ${TASK}: ${CALLS} calls listed, archived ${CALLS - 4}, 0 without recording, 4 already archived`,
    );
    expect(again.code).toBe(0);
    expect(verify.stdout).toContain(
      `verify: ${CALLS} calls checked, ${CALLS} recordings verified, 0 without recording, 0 mismatched`,
    );
    expect(verify.code).toBe(0);
    expect(tempFiles()).toEqual(['.tmp/.tmp-1ive']);
  });
});
