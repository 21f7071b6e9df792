import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { sampleCalls } from '../../emulators/dyvms/sample-calls';
import { chinaDate } from '../../lib/call-detail/china-time';
import { park } from '../../lib/parking/park';
import { type Harness, startHarness } from '../support/harness';

const root = join(__dirname, '..', '..');
const exec = promisify(execFile);

jest.setTimeout(120_000);

const TASK = '4000001';
const DAY = chinaDate(Date.now() - 3600_000);
const CALLS = 30;

let h: Harness;

beforeAll(async () => {
  h = await startHarness({ env: { DYVMS_MAX_RPS: '2000' } });
  const template = sampleCalls()[1]?.data as Record<string, unknown>;
  for (let i = 0; i < CALLS; i++) {
    const callee = `1380000${String(i).padStart(4, '0')}`;
    h.dyvms.addCall({
      taskId: TASK,
      callee,
      date: DAY,
      data: {
        ...template,
        taskId: Number(TASK),
        called: callee,
        callId: `${TASK}${i}^${i}`,
        callStartTime: `${DAY.replaceAll('-', '.')} 00:05:00`,
        callEndTime: `${DAY.replaceAll('-', '.')} 00:05:20`,
        recordStatus: 2,
      },
    });
  }
});
afterAll(() => h.stop());

async function cli(...args: string[]): Promise<{ code: number; stdout: string }> {
  try {
    const { stdout } = await exec(
      process.execPath,
      [join(root, 'bin', 'vms-call-archive.cjs'), ...args],
      {
        cwd: root,
        env: { ...process.env, ...h.env, DISPATCH: 'local' },
      },
    );
    return { code: 0, stdout };
  } catch (error: unknown) {
    const e = error as { code: number; stdout: string };
    return { code: e.code, stdout: e.stdout };
  }
}

describe('npx vms-call-archive reconcile and status --date', () => {
  it('given recent calls none pushed, then status names them missing, a dry run dispatches nothing, a run archives them here, and status then finds none missing', async () => {
    // One call's job was parked earlier (its recording URL expired and no fresh one came).
    await park(
      h.store,
      'job',
      { taskId: TASK, callee: '13800000001', date: DAY, callId: `${TASK}1^1` },
      'RecordingExpired: recording URL expired or about to; no fresh URL came',
    );
    const before = await cli('status', '--date', DAY);
    const dry = await cli('reconcile', '--dry-run');
    const real = await cli('reconcile');
    const after = await cli('status', '--date', DAY);

    expect(before.code).toBe(1);
    expect(before.stdout).toContain(
      `${CALLS} calls listed, 0 archived (0 without recording), 1 parked, ${CALLS - 1} missing`,
    );
    expect(before.stdout).toContain(
      `parked ${TASK} ${TASK}1^1 138****0001: RecordingExpired: recording URL expired`,
    );
    expect(before.stdout).toMatch(new RegExp(`missing ${TASK} ${TASK}0\\^0 138\\*{4}0000 ${DAY}`));
    expect(dry.code).toBe(0);
    expect(dry.stdout).toContain(`would dispatch ${CALLS}`);
    expect(real.code).toBe(0);
    expect(real.stdout).toContain(`dispatched ${CALLS}, 0 failed`);
    expect(real.stdout).toContain(`here: 0 archived, ${CALLS} without recording`);
    expect(after.code).toBe(0);
    expect(after.stdout).toContain(
      `${DAY}: ${CALLS} calls archived (0 with recording, ${CALLS} without), from the call index`,
    );
    expect(after.stdout).toContain(
      `${CALLS} calls listed, ${CALLS} archived (${CALLS} without recording), 0 parked, 0 missing`,
    );
    expect(await h.store.list(`${TASK}/`)).toHaveLength(CALLS);
  });
});

describe('npx vms-call-archive status --date for a day older than the lookback', () => {
  const OLD_TASK = '4000002';
  const OLD_DAY = chinaDate(Date.now() - 10 * 86_400_000);
  const OLD_CALLS = 40;
  const WITH_RECORDING = 25;

  it('answers the archived calls from the call index and says the upstream lists cover only the lookback', async () => {
    const template = sampleCalls()[1]?.data as Record<string, unknown>;
    for (let i = 0; i < OLD_CALLS; i++) {
      const callee = `1370000${String(i).padStart(4, '0')}`;
      const recorded = i < WITH_RECORDING;
      h.dyvms.addCall({
        taskId: OLD_TASK,
        callee,
        date: OLD_DAY,
        ...(recorded ? { recording: `old_${i}.wav` } : {}),
        data: {
          ...template,
          taskId: Number(OLD_TASK),
          called: callee,
          callId: `${OLD_TASK}${i}^${i}`,
          callStartTime: `${OLD_DAY.replaceAll('-', '.')} 09:05:00`,
          callEndTime: `${OLD_DAY.replaceAll('-', '.')} 09:05:20`,
          recordStatus: recorded ? 1 : 2,
        },
      });
      if (recorded) h.host.addRecording(`old_${i}.wav`, { size: 1024 + i, seed: i });
    }
    const backfill = await cli('backfill', '--task', OLD_TASK);
    expect(backfill.code).toBe(0);

    const run = await cli('status', '--date', OLD_DAY);
    const json = await cli('status', '--date', OLD_DAY, '--json');

    expect(run.stdout).toContain(
      `${OLD_DAY}: ${OLD_CALLS} calls archived (${WITH_RECORDING} with recording, ${OLD_CALLS - WITH_RECORDING} without), from the call index`,
    );
    expect(run.stdout).toContain('upstream: outside the 48 h lookback, not listed');
    expect(run.code).toBe(0);
    expect(JSON.parse(json.stdout)).toMatchObject({
      date: OLD_DAY,
      archive: {
        archived: OLD_CALLS,
        withRecording: WITH_RECORDING,
        withoutRecording: OLD_CALLS - WITH_RECORDING,
      },
      upstream: { listed: false, lookbackHours: 48 },
    });
  });
});
