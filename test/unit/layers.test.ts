import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

const root = join(__dirname, '..', '..');
const depcruise = join(root, 'node_modules', '.bin', 'depcruise');

/** Runs the repository's own layer rules over a small tree laid out like lib/. */
function cruise(fixture: string) {
  const result = spawnSync(
    depcruise,
    ['lib', '--config', join(root, '.dependency-cruiser.js'), '--output-type', 'err'],
    { cwd: join(root, 'test', 'fixtures', 'layers', fixture), encoding: 'utf8' },
  );
  return { status: result.status, output: `${result.stdout}${result.stderr}` };
}

describe('the layer rules (npm run lint:layers)', () => {
  it('given a base module that imports a use case, then the lint fails naming the rule and the import', () => {
    const { status, output } = cruise('climbs');

    expect(status).not.toBe(0);
    expect(output).toContain('base-imports-above');
    expect(output).toContain('lib/common/retry.ts → lib/archive/archive-call.ts');
  });

  it("given a use case that imports another use case's module, then the lint fails", () => {
    const { status, output } = cruise('sideways');

    expect(status).not.toBe(0);
    expect(output).toContain('use-case-into-another');
  });

  it('given a use case that imports a base module, then the lint passes', () => {
    const { status, output } = cruise('downward');

    expect(output).toContain('no dependency violations');
    expect(status).toBe(0);
  });
});
