import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { compactIndex } from '../../lib/call-index/compact';
import {
  AUDIT_SECRET,
  addUpstreamCalls,
  archiveAll,
  D2,
  everyStoredText,
  keyOf,
  keysNaming,
  OTHER_CALLS,
  TARGET,
} from '../support/erase-fixture';
import { type Harness, startHarness } from '../support/harness';

const root = join(__dirname, '..', '..');
const exec = promisify(execFile);

jest.setTimeout(180_000);

let h: Harness;

beforeAll(async () => {
  h = await startHarness({ env: { AUDIT_HASH_SECRET: AUDIT_SECRET } });
  addUpstreamCalls(h);
  await archiveAll(h);
  await compactIndex({ store: h.store });
});
afterAll(() => h.stop());

/** The CLI as a user runs it; stdin is a pipe here, never a terminal. */
async function cli(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await exec(
      process.execPath,
      [join(root, 'bin', 'vms-call-archive.cjs'), ...args],
      { cwd: root, env: { ...process.env, ...h.env } },
    );
    return { code: 0, stdout, stderr };
  } catch (error: unknown) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

describe('npx vms-call-archive erase', () => {
  it('given a dry run, then it lists the three calls that would go and erases nothing', async () => {
    const run = await cli('erase', '--callee', TARGET, '--reason', 'request 42', '--dry-run');

    expect(run.stdout).toContain('erase callee 139****5678 (dry run): 3 calls would go, 0 held');
    expect(run.stdout).not.toContain(TARGET);
    expect(run.code).toBe(0);
    expect(await h.store.list('_erased/')).toEqual([]);
  });

  it('given no terminal and no --yes, then it refuses, says to pass --yes, and erases nothing', async () => {
    const run = await cli('erase', '--callee', TARGET, '--reason', 'request 42');

    expect(run.code).toBe(1);
    expect(run.stderr).toContain('pass --yes');
    expect(await h.store.list('_erased/')).toEqual([]);
  });

  it('given --yes, then the calls go, the receipt is listed, and an erasure of a day the index lacks exits 2', async () => {
    const run = await cli(
      'erase',
      '--callee',
      TARGET,
      '--reason',
      'request 42',
      '--yes',
      '--suppress',
    );
    const receipts = await cli('erase', '--receipts');
    const other = OTHER_CALLS.find((call) => call.date === D2);
    if (!other) throw new Error('fixture');
    for (const key of await h.store.list(`index/pending/date=${D2}/`)) await h.store.delete(key);
    for (const key of await h.store.list(`index/calls/date=${D2}/`)) await h.store.delete(key);
    const unindexed = await cli('erase', '--call', keyOf(other), '--reason', 'r', '--yes');

    expect(run.stdout).toMatch(
      /erased 3 calls \(4 objects\), 0 held; receipt er-\d{14}-[0-9a-f]{8}/,
    );
    expect(run.code).toBe(0);
    expect(receipts.stdout).toMatch(
      /callee 139\*\*\*\*5678 \(suppressed\): 3 calls, 4 objects, 0 held, by cli:\S+: request 42/,
    );
    expect(receipts.stdout).toContain('1 receipts');
    expect(keysNaming(await everyStoredText(h.store), TARGET)).toEqual([]);
    expect(unindexed.code).toBe(2);
    expect(unindexed.stderr).toContain(`index rebuild --from ${D2} --to ${D2}`);
    expect(await h.store.head(`${keyOf(other)}/detail.json`)).toBeDefined();
  });
});
