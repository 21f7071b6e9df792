import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { recordingSha256 } from '../../emulators/recording-host/server';
import type { ArchivedDetail } from '../../lib/archive/archive-call';
import {
  filesUnder,
  readJson,
  recordFigures,
  startUpstream,
  syntheticCalls,
  type Upstream,
  waitUntil,
} from '../support/resilience';
import { type SandboxProcess, startSandbox } from '../support/sandbox-process';

const root = join(__dirname, '..', '..');
const exec = promisify(execFile);
const CALLS = 600;
const MAX_RPS = 80;

jest.setTimeout(240_000);

/** The pids of `pid` and everything it started (tsx → node → serverless offline). */
function processTree(pid: number): number[] {
  const children = new Map<number, number[]>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      // /proc/<pid>/stat: "pid (comm) state ppid …"; comm may hold spaces, so cut after ')'.
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      children.set(ppid, [...(children.get(ppid) ?? []), Number(entry)]);
    } catch {
      // gone meanwhile
    }
  }
  const out: number[] = [];
  const visit = (p: number) => {
    out.push(p);
    for (const child of children.get(p) ?? []) visit(child);
  };
  visit(pid);
  return out;
}

describe('the sandbox killed with SIGKILL in the middle of a batch', () => {
  const calls = syntheticCalls(CALLS, '2001', 50_001);
  const archive = mkdtempSync(join(tmpdir(), 'kill-archive-'));
  let upstream: Upstream;
  let env: NodeJS.ProcessEnv;
  let sandbox: SandboxProcess | undefined;

  beforeAll(async () => {
    upstream = await startUpstream(calls);
    env = upstream.sandboxEnv(archive, 'kill-test', MAX_RPS);
  });

  afterAll(async () => {
    sandbox?.child.kill('SIGINT');
    await sandbox?.exited;
    await upstream?.stop();
    rmSync(archive, { recursive: true, force: true });
  });

  const details = async () =>
    (await filesUnder(archive)).filter((f) => f.startsWith('2001/') && f.endsWith('detail.json'));

  it('given it is started again and replay is run, then every call is archived exactly once and no partial object is at a final key', async () => {
    // Prepare: a sandbox working through 600 pushed calls.
    const first = await startSandbox(env);
    for (let i = 0; i < CALLS; i += 100) {
      const response = await fetch(`${first.base}/reports/${first.token}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(calls.slice(i, i + 100).map((c) => c.report)),
      });
      expect(response.status).toBe(200);
    }
    await waitUntil(
      async () => (await details()).length >= CALLS / 4,
      'a quarter archived',
      60_000,
    );

    // Act: kill -9 the whole sandbox, mid-batch; start it again; replay what was parked.
    const tree = processTree(first.child.pid as number);
    for (const pid of tree) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // already gone
      }
    }
    await first.exited;
    const archivedAtKill = (await details()).length;
    const lookupsAtKill = upstream.dyvms.requests.length;
    sandbox = await startSandbox(env);
    await waitUntil(async () => (await details()).length >= CALLS, 'every call archived', 120_000);
    await waitUntil(
      async () => (await filesUnder(join(archive, '_pending'))).length === 0,
      'the journal to empty',
      30_000,
    );
    const replay = await exec(
      process.execPath,
      [join(root, 'bin', 'vms-call-archive.cjs'), 'replay', '--from-rejected'],
      { cwd: root, env },
    );

    // Assess: two final objects per call, the bytes as served, nothing parked or pending.
    const files = await filesUnder(archive);
    const finalFiles = files.filter((f) => f.startsWith('2001/') && !f.includes('/.tmp-'));
    const leftoverTemps = files.filter((f) => f.includes('/.tmp-'));
    let verified = 0;
    for (const c of calls) {
      const dir = join(archive, '2001', '2019-06-14', c.callId.replace('^', '_'));
      const detail = readJson<ArchivedDetail>(join(dir, 'detail.json'));
      const bytes = readFileSync(join(archive, detail.recording?.key ?? 'missing'));
      const sha256 = createHash('sha256').update(bytes).digest('hex');
      if (sha256 === recordingSha256(c.recording) && detail.recording?.sha256 === sha256)
        verified++;
    }
    recordFigures('kill', {
      calls: CALLS,
      archivedBeforeKill: archivedAtKill,
      killedProcesses: tree.length,
      lookupsBeforeKill: lookupsAtKill,
      lookupsAfterRestart: upstream.dyvms.requests.length - lookupsAtKill,
      verified,
      lost: CALLS - verified,
      finalObjects: finalFiles.length,
      leftoverTempFiles: leftoverTemps.length,
      replay: replay.stdout.trim(),
    });
    expect(archivedAtKill).toBeLessThan(CALLS);
    expect(verified).toBe(CALLS);
    expect(finalFiles).toHaveLength(2 * CALLS);
    expect(files.filter((f) => f.startsWith('_rejected/') || f.startsWith('_pending/'))).toEqual(
      [],
    );
    // The restart redid only what the kill interrupted, not the whole task.
    expect(upstream.dyvms.requests.length - lookupsAtKill).toBeLessThan(
      CALLS - archivedAtKill + 10,
    );
  });
});
