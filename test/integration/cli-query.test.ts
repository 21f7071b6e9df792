import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { archiveCall } from '../../lib/archive/archive-call';
import { compactIndex } from '../../lib/call-index/compact';
import { type Harness, startHarness, startS3 } from '../support/harness';

const exec = promisify(execFile);
const root = join(__dirname, '..', '..');

jest.setTimeout(120_000);

const DAY = '2019-06-14';

describe.each([
  ['file://', false],
  ['s3rver', true],
])('vms-call-archive query and export over %s', (_name, useS3) => {
  let s3: Awaited<ReturnType<typeof startS3>> | undefined;
  let h: Harness;
  let home: string;

  async function cli(...args: string[]): Promise<{ code: number; stdout: string }> {
    try {
      const { stdout } = await exec(
        process.execPath,
        [join(root, 'bin', 'vms-call-archive.cjs'), ...args],
        { cwd: root, env: { ...process.env, ...h.env, HOME: home }, maxBuffer: 8 * 1024 * 1024 },
      );
      return { code: 0, stdout };
    } catch (error: unknown) {
      const e = error as { code: number; stdout: string; stderr: string };
      return { code: e.code, stdout: `${e.stdout}${e.stderr}` };
    }
  }

  beforeAll(async () => {
    if (useS3) s3 = await startS3();
    h = await startHarness({ s3Endpoint: s3?.endpoint });
    home = mkdtempSync(join(tmpdir(), 'cli-home-'));
    // Two calls compacted into a part, the third still pending: the view holds all three.
    await archiveCall({ taskId: '1045001', callee: '13000000000', date: DAY }, h.deps);
    await archiveCall({ taskId: '1045001', callee: '13000000001', date: DAY }, h.deps);
    await compactIndex({ store: h.store });
    await archiveCall({ taskId: '90071992547409931234', callee: '13000000002', date: DAY }, h.deps);
  });
  afterAll(async () => {
    await h.stop();
    await s3?.stop();
    rmSync(home, { recursive: true, force: true });
  });

  it('given parts and pending rows, when queried, then one JSON array answers, instants in China time', async () => {
    const { code, stdout } = await cli(
      'query',
      `SELECT task_id, callee, CAST(started_at AS VARCHAR) AS started, "date" FROM calls ORDER BY callee`,
      '--format',
      'json',
    );
    expect(code).toBe(0);
    const rows = JSON.parse(stdout) as { task_id: string; callee: string; started: string }[];
    expect(rows.map((r) => r.task_id)).toEqual(['1045001', '1045001', '90071992547409931234']);
    expect(rows[0]?.started).toMatch(/^2019-06-14 \d{2}:\d{2}:\d{2}\+08$/);
  });

  it('given a GROUP BY, when printed as a table and as CSV, then both show the counts', async () => {
    const sql = `SELECT task_id, count(*) AS calls FROM calls GROUP BY task_id ORDER BY task_id`;
    const table = await cli('query', sql);
    expect(table.stdout).toMatch(/1045001\s+│ 2/);
    expect(table.stdout).toContain('(2 rows)');
    const csv = await cli('query', sql, '--format', 'csv');
    expect(csv.stdout).toBe('task_id,calls\r\n1045001,2\r\n90071992547409931234,1\r\n');
  });

  it('given bad SQL, then it exits non-zero and names the problem', async () => {
    const { code, stdout } = await cli('query', 'SELECT nope FROM calls');
    expect(code).not.toBe(0);
    expect(stdout).toMatch(/nope/);
  });

  it('given filters, when exported as CSV, then the file has BOM, CRLF, masked callees and the matching rows, and the export is audited', async () => {
    const out = join(home, 'calls.csv');
    const { code } = await cli('export', '--from', DAY, '--callee', '0001', '--out', out);
    expect(code).toBe(0);
    const text = readFileSync(out, 'utf8');
    expect(text.startsWith('\uFEFFdate,task_id,call_id,callee,started_at,')).toBe(true);
    const lines = text.slice(1).split('\r\n');
    expect(lines).toHaveLength(3);
    expect(lines[1]).toMatch(
      /^2019-06-14,1045001,[^,]+,130\*\*\*\*0001,2019-06-14T\d{2}:\d{2}:\d{2}\+08:00,/,
    );
    expect(statSync(out).mode & 0o777).toBe(0o600);
    const audit = (await h.store.list('_audit/access/')).filter((k) => k.endsWith('.jsonl'));
    expect(audit.length).toBeGreaterThan(0);
    const rows = await Promise.all(audit.map(async (k) => String(await h.store.get(k))));
    expect(rows.join('\n')).toContain('"action":"export"');
  });

  it('given --full-numbers and --format jsonl, then whole numbers; a whole-number filter finds its call', async () => {
    const { code, stdout } = await cli(
      'export',
      '--from',
      DAY,
      '--callee',
      '+86 130-0000-0002',
      '--format',
      'jsonl',
      '--full-numbers',
    );
    expect(code).toBe(0);
    const rows = stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { callee: string });
    expect(rows.map((r) => r.callee)).toEqual(['13000000002']);
  });
});
