import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import {
  loadConfig,
  requireApiKeys,
  requireReportsToken,
  requireSessionSecret,
} from '../../../lib/config';

const root = join(__dirname, '..', '..', '..');
const ACCOUNT = '1234567890123456';
const readme = readFileSync(join(root, 'README.md'), 'utf8');

/** The text of README's section `title`, up to the next `## `. */
function section(title: string): string {
  const start = readme.indexOf(`## ${title}\n`);
  if (start < 0) throw new Error(`README has no section "${title}"`);
  const end = readme.indexOf('\n## ', start + 1);
  return readme.slice(start, end < 0 ? undefined : end);
}
const shellBlocks = (text: string) =>
  [...text.matchAll(/```sh\n([\s\S]*?)```/g)].map((m) => m[1] ?? '');

/**
 * Runs a README block in bash with `aliyun`, `ossutil`, `s`, `npm`, `npx` and `aws` as
 * stubs that print their arguments as one JSON line each (nothing leaves the machine),
 * then prints the environment; answers the calls and the variables the block exported.
 */
function runRecipe(script: string): { calls: string[][]; env: Record<string, string> } {
  const stubs = ['aliyun', 'ossutil', 's', 'npm', 'npx', 'aws']
    .map(
      (name) =>
        `${name}() { printf 'CALL'; for a in ${name} "$@"; do printf '\\t%s' "$(printf %s "$a" | base64 -w0)"; done; printf '\\n'; }`,
    )
    .join('\n');
  // What `aliyun sts GetCallerIdentity` answers, for the account id the recipe reads.
  const identity = `aliyun() { if [ "$1 $2" = "sts GetCallerIdentity" ]; then echo '{"AccountId": "${ACCOUNT}"}'; else printf 'CALL'; for a in aliyun "$@"; do printf '\\t%s' "$(printf %s "$a" | base64 -w0)"; done; printf '\\n'; fi; }`;
  const run = spawnSync(
    'bash',
    ['-e', '-c', `${stubs}\n${identity}\n${script}\necho __ENV__\nenv -0`],
    { cwd: root, encoding: 'utf8', env: { PATH: process.env.PATH, HOME: process.env.HOME } },
  );
  if (run.status !== 0) throw new Error(`the recipe failed: ${run.stderr}`);
  const [lines = '', envPart = ''] = run.stdout.split('__ENV__\n');
  const calls = lines
    .split('\n')
    .filter((line) => line.startsWith('CALL\t'))
    .map((line) =>
      line
        .split('\t')
        .slice(1)
        .map((part) => Buffer.from(part, 'base64').toString('utf8')),
    );
  const env = Object.fromEntries(
    envPart
      .split('\0')
      .filter((entry) => entry.includes('='))
      .map((entry) => [entry.slice(0, entry.indexOf('=')), entry.slice(entry.indexOf('=') + 1)]),
  );
  return { calls, env };
}

const sYaml = parse(readFileSync(join(root, 's.yaml'), 'utf8')) as {
  vars: Record<string, string>;
  resources: Record<string, { component: string; props: Record<string, unknown> }>;
};
const serverlessYml = readFileSync(join(root, 'serverless.yml'), 'utf8');

/** The props of a function in the fc3 component's schema (devsapp/fc3 src/interface/function.ts, with triggers and the async config). */
const FC3_FUNCTION_PROPS = new Set([
  'region',
  'functionName',
  'runtime',
  'handler',
  'code',
  'description',
  'diskSize',
  'internetAccess',
  'layers',
  'cpu',
  'memorySize',
  'timeout',
  'sessionAffinity',
  'enableLongLiving',
  'logConfig',
  'nasConfig',
  'ossMountConfig',
  'role',
  'vpcConfig',
  'vpcBinding',
  'customContainerConfig',
  'customDNS',
  'customRuntimeConfig',
  'environmentVariables',
  'gpuConfig',
  'tracingConfig',
  'instanceLifecycleConfig',
  'instanceConcurrency',
  'tags',
  'annotations',
  'triggers',
  'asyncInvokeConfig',
  'concurrencyConfig',
  'provisionConfig',
]);

describe('README "Deploy to Function Compute", run as written (stubbed CLIs)', () => {
  const [setup = '', deploy = ''] = shellBlocks(section('Deploy to Function Compute'));

  it('given the one-time setup, then it creates the bucket s.yaml archives to and the role each function assumes, with its ram/ policy filled in and FC as trusted service', () => {
    const { calls } = runRecipe(setup);
    const archiveBucket = /^oss:\/\/([^/]+)\//.exec(
      sYaml.vars.archiveUrl?.replace(/\$\{config\('AccountID'\)\}/, ACCOUNT) ?? '',
    )?.[1];

    expect(calls).toContainEqual(
      expect.arrayContaining(['ossutil', 'mb', `oss://${archiveBucket}`]),
    );
    for (const [name, resource] of Object.entries(sYaml.resources)) {
      const roleName = /role\/(.+)$/.exec(String(resource.props.role))?.[1];
      const created = calls.find((c) => c[2] === 'CreateRole' && c[4] === roleName);
      expect([name, created !== undefined]).toEqual([name, true]);
      const trust = JSON.parse(created?.[6] ?? '{}');
      expect(trust.Statement[0].Principal.Service).toEqual(['fc.aliyuncs.com']);
      const policy = calls.find((c) => c[2] === 'CreatePolicy' && c[4] === roleName)?.[6] ?? '';
      expect(policy).not.toContain('{{');
      const document = JSON.parse(policy) as { Statement: { Action: string[] }[] };
      const actions = document.Statement.flatMap((s) => s.Action);
      // logConfig: FC writes the function's logs with the function's own role.
      expect([name, actions]).toEqual([name, expect.arrayContaining(['log:PostLogStoreLogs'])]);
      expect(calls.some((c) => c[2] === 'AttachPolicyToRole' && c.includes(roleName ?? '?'))).toBe(
        true,
      );
    }
  });

  it('given the deploy block, then every secret s.yaml reads is exported, and each passes the configuration outside the sandbox', () => {
    const { env, calls } = runRecipe(deploy);
    const fromEnv = [...JSON.stringify(sYaml).matchAll(/\$\{env\('(\w+)'\)\}/g)].map((m) => m[1]);

    expect(fromEnv.filter((name) => !name || env[name] === undefined)).toEqual([]);
    const config = loadConfig({ ...env, VMS_SANDBOX: '' });
    expect(requireApiKeys(config).length).toBeGreaterThan(0);
    expect(requireReportsToken(config)).toBe(env.REPORTS_TOKEN);
    expect(requireSessionSecret(config)).toBe(env.BROWSE_SESSION_SECRET);
    expect(calls).toContainEqual(['s', 'deploy', '-a', 'default']);
  });

  it('given s.yaml, then every function uses only props of the fc3 schema, has its own role and a log store, and README names it', () => {
    for (const [name, resource] of Object.entries(sYaml.resources)) {
      expect([name, resource.component]).toEqual([name, 'fc3']);
      expect([name, Object.keys(resource.props).filter((p) => !FC3_FUNCTION_PROPS.has(p))]).toEqual(
        [name, []],
      );
      const log = resource.props.logConfig;
      expect([name, log === 'auto' || (typeof log === 'object' && log !== null)]).toEqual([
        name,
        true,
      ]);
      expect(section('Deploy to Function Compute')).toContain(`\`${name}\``);
    }
    const roles = Object.values(sYaml.resources).map((r) => r.props.role);
    expect(new Set(roles).size).toBe(roles.length);
    expect(Object.keys(sYaml.resources).length).toBeGreaterThanOrEqual(7);
  });
});

describe('README "Deploy to AWS", as written', () => {
  const aws = section('Deploy to AWS');

  it('given the example API keys, then they pass the configuration outside the sandbox', () => {
    const [secrets = ''] = shellBlocks(aws);
    const { calls } = runRecipe(secrets);
    const value = (name: string) =>
      calls.find((c) => c[1] === 'ssm' && c.some((a) => a.endsWith(`/${name}`)))?.at(-1);

    const config = loadConfig({
      API_KEYS: value('API_KEYS'),
      REPORTS_TOKEN: value('REPORTS_TOKEN'),
      BROWSE_SESSION_SECRET: value('BROWSE_SESSION_SECRET'),
    });
    expect(requireApiKeys(config)).toHaveLength(2);
    expect(requireReportsToken(config).length).toBeGreaterThanOrEqual(16);
    expect(requireSessionSecret(config)).toBeDefined();
  });

  it("given serverless.yml's functions, then README lists each among what the stack holds and names browse's address", () => {
    const functions = [
      ...(serverlessYml.split('\nfunctions:\n')[1]?.split(/\n(?=[a-z])/)[0] ?? '').matchAll(
        /^ {2}([a-z]+):$/gm,
      ),
    ].map((m) => m[1]);

    expect(functions.length).toBeGreaterThanOrEqual(6);
    expect(functions.filter((name) => !aws.includes(`\`${name}\``))).toEqual([]);
    expect(aws).toContain('https://…/app');
  });
});
