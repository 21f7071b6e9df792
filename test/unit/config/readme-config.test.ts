import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const root = join(__dirname, '..', '..', '..');

describe('README "Configuration"', () => {
  it('given every variable the configuration schema reads, then the README names it', () => {
    const folder = join(root, 'lib', 'config');
    const source = readdirSync(folder)
      .map((file) => readFileSync(join(folder, file), 'utf8'))
      .join('\n');
    const readme = readFileSync(join(root, 'README.md'), 'utf8');
    const variables = [
      ...new Set([...source.matchAll(/^\s+([A-Z][A-Z0-9_]{2,}):/gm)].map((m) => m[1])),
    ];

    expect(variables.length).toBeGreaterThan(25);
    expect(variables.filter((name) => !readme.includes(`\`${name}\``))).toEqual([]);
  });
});
