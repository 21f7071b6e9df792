import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const root = join(__dirname, '..', '..');
const run = promisify(execFile);

jest.setTimeout(120_000);

describe('npx serverless package', () => {
  it('given no cloud credentials, then it packages one bundle per function and the template routes the lookup', async () => {
    const out = mkdtempSync(join(tmpdir(), 'vms-package-'));
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      AWS_ACCESS_KEY_ID: '',
      AWS_SECRET_ACCESS_KEY: '',
      AWS_PROFILE: '',
    };
    try {
      await run(join(root, 'node_modules', '.bin', 'serverless'), ['package', '--package', out], {
        cwd: root,
        env,
      });

      expect(existsSync(join(out, 'lookup.zip'))).toBe(true);
      const template = JSON.parse(
        readFileSync(join(out, 'cloudformation-template-update-stack.json'), 'utf8'),
      );
      const resources = Object.values(template.Resources) as {
        Type: string;
        Properties: Record<string, unknown>;
      }[];
      const routes = resources
        .filter((r) => r.Type === 'AWS::ApiGatewayV2::Route')
        .map((r) => r.Properties.RouteKey);
      expect(routes).toContain('GET /calls/{taskId}/{callee}');
      const lookup = resources.find((r) => r.Type === 'AWS::Lambda::Function');
      expect(lookup?.Properties).toMatchObject({
        Runtime: 'nodejs22.x',
        Architectures: ['arm64'],
        Timeout: 29,
      });
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  });
});
