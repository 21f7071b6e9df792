import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'esbuild';
import { buildFc, FC_FUNCTIONS } from '../scripts/build-fc';
import { xmlBuilderUnused } from '../scripts/xml-builder-unused.cjs';
import { loadEvent } from '../test/events';
import { startHarness } from '../test/support/harness';
import { report, root, run } from './common';
import { fakeSqs } from './fake-endpoints';
import { type Figure, summarize } from './stats';

/** Runs a fresh `node` `reps` times and answers the ms each printed on its last line. */
type Timer = (args: string[], extraEnv?: Record<string, string>) => Promise<number[]>;

const AWS_FUNCTIONS = ['lookup', 'reports', 'archive', 'reconcile', 'browse', 'park'];
const CHILD = join(root, 'bench', 'cold-start-child.cjs');

/**
 * Benchmark 4: each function bundled as serverless.yml bundles it (and as `npm run build:fc`
 * does), its size, and a fresh `node` that loads it and answers one request, against
 * `node -e 0`.
 */
export async function coldStart(reps: number): Promise<void> {
  const out = mkdtempSync(join(tmpdir(), 'bench-bundles-'));
  const h = await startHarness();
  writeEvents(out);
  const time = childTimer(reps, {
    ...process.env,
    ...h.env,
    API_KEYS: 'sandbox-key',
    VMS_SANDBOX: '1',
    REPORTS_TOKEN: 'sandbox-token',
    DISPATCH: 'local',
    SECRETS_SSM_PATH: '',
  });
  const baseline = summarize(
    '4. node -e 0 (process start to exit)',
    'ms',
    await time(['-e', 'console.log(JSON.stringify({ms: performance.now()}))']),
  );
  report(baseline);
  for (const name of AWS_FUNCTIONS) {
    const bundle = await awsBundle(name, out);
    // lookup and archive start cold here; reports below, dispatching as deployed (a deployed
    // bundle has no DISPATCH=local); reconcile, browse and park answer no clock
    if (name !== 'lookup' && name !== 'archive') continue;
    const first = summarize(
      `4. ${name}: process start to first answer`,
      'ms',
      await time([CHILD, bundle, join(out, `${name}.json`)]),
    );
    report(againstBaseline(first, baseline, { target: '<= 3 x node -e 0', most: 3 }));
  }
  await deployedPushes(
    join(out, 'reports', 'handler.js'),
    join(out, 'reports.json'),
    time,
    baseline,
  );
  await fcBundles(join(out, 'fc'));
  await h.stop();
  rmSync(out, { recursive: true, force: true });
}

function writeEvents(out: string): void {
  const pushEvent = loadEvent('http/reports');
  pushEvent.body = JSON.stringify(
    Array.from({ length: 100 }, (_, i) => ({
      ...loadEvent('http/reports-body')[0],
      call_id: `c${i}`,
    })),
  );
  writeFileSync(join(out, 'reports.json'), JSON.stringify(pushEvent));
  writeFileSync(join(out, 'lookup.json'), JSON.stringify(loadEvent('http/lookup')));
  writeFileSync(join(out, 'archive.json'), JSON.stringify(loadEvent('archive/async')));
}

function childTimer(reps: number, env: NodeJS.ProcessEnv): Timer {
  return async (args, extraEnv = {}) => {
    const samples: number[] = [];
    for (let i = 0; i < reps; i++) {
      const { stdout } = await run(process.execPath, args, {
        cwd: root,
        env: { ...env, ...extraEnv },
      });
      // the handler may log lines of its own first: the figure is the last line
      const line = JSON.parse(stdout.trim().split('\n').pop() ?? '{}') as {
        ms: number;
        status?: number;
      };
      if (line.status !== undefined && line.status >= 400)
        throw new Error(`${args[0]} answered ${line.status}`);
      samples.push(line.ms);
    }
    return samples;
  };
}

function againstBaseline(
  figure: Figure & { median: number },
  baseline: { median: number },
  limit: { target: string; most: number },
): Figure {
  const ratio = figure.median / baseline.median;
  return {
    ...figure,
    ratio,
    baseline: 'node -e 0',
    target: limit.target,
    met: ratio <= limit.most,
  };
}

/** One AWS function bundled as serverless.yml bundles it; answers the bundle's path. */
async function awsBundle(name: string, out: string): Promise<string> {
  const outfile = join(out, name, 'handler.js');
  await build({
    entryPoints: [join(root, 'functions', name, 'handler.ts')],
    outfile,
    bundle: true,
    minify: true,
    platform: 'node',
    target: 'node22',
    format: 'cjs',
    // as serverless.yml builds them
    mainFields: ['module', 'main'],
    define: { __VMS_PLATFORM__: '"aws"', __VMS_IN_PROCESS_ARCHIVE__: 'false' },
    plugins: [xmlBuilderUnused()],
    logLevel: 'error',
  });
  const kb = statSync(outfile).size / 1024;
  report({
    ...summarize(`4. ${name} bundle (minified)`, 'KB', [kb]),
    target: '< 1024 KB',
    met: kb < 1024,
  });
  return outfile;
}

/**
 * The push receiver as deployed, `DISPATCH=sqs:` or `lambda:`: a local endpoint answering
 * each request after 20 ms.
 */
async function deployedPushes(
  bundle: string,
  event: string,
  time: Timer,
  baseline: { median: number },
): Promise<void> {
  const sqs = await fakeSqs(20);
  const queue = `sqs:${sqs.endpoint}/123456789012/jobs`;
  const deployed: [kind: string, dispatch: string, archive?: string][] = [
    ['sqs:', queue],
    // as the stack deploys it: the archive in S3 (no request reaches it for a clean push)
    ['sqs:, archive s3://', queue, 's3://archive/calls'],
    ['lambda:', 'lambda:vms-call-archive-dev-archive'],
  ];
  for (const [kind, dispatch, archive] of deployed) {
    const samples = await time([CHILD, bundle, event], {
      DISPATCH: dispatch,
      ...(archive ? { ARCHIVE_URL: archive, S3_ENDPOINT: sqs.endpoint } : {}),
      AWS_ENDPOINT_URL_SQS: sqs.endpoint,
      AWS_ENDPOINT_URL_LAMBDA: sqs.endpoint,
      AWS_REGION: 'us-east-1',
      AWS_ACCESS_KEY_ID: 'AKIDBENCH',
      AWS_SECRET_ACCESS_KEY: 'bench',
    });
    const label = `4. reports, DISPATCH=${kind} (20 ms endpoint): start to answer`;
    const figure = summarize(label, 'ms', samples);
    // sqs: is the stack's default; lambda: must still leave the platform's start room
    report(
      kind.startsWith('sqs:')
        ? againstBaseline(figure, baseline, { target: '<= 3 x node -e 0', most: 3 })
        : {
            ...againstBaseline(figure, baseline, { target: '< 700 ms with room', most: Infinity }),
            met: figure.median < 350,
          },
    );
  }
  await sqs.stop();
}

/** The Function Compute bundles, as `npm run build:fc` makes them. */
async function fcBundles(fcOut: string): Promise<void> {
  await buildFc(fcOut);
  for (const name of FC_FUNCTIONS) {
    const kb = statSync(join(fcOut, name, 'index.js')).size / 1024;
    report({
      ...summarize(`4. FC ${name} bundle (minified)`, 'KB', [kb]),
      target: '< 1024 KB',
      met: kb < 1024,
    });
  }
}
