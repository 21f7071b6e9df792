import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const TYPES: Record<string, string> = {
  'index.html': 'text/html; charset=utf-8',
  'app.js': 'text/javascript; charset=utf-8',
  'app.css': 'text/css; charset=utf-8',
};

/**
 * The page's built files (`npm run build:web`, esbuild, into web/dist/), read once from
 * the function's working directory: the repo in the sandbox and tests, the package root
 * on the platforms (serverless.yml packages web/dist with browse).
 */
export function webAssets(dir = join(process.cwd(), 'web', 'dist')) {
  const cache = new Map<string, { body: Buffer; contentType: string }>();
  return (name: string) => {
    const contentType = TYPES[name];
    if (!contentType) return undefined;
    let asset = cache.get(name);
    if (!asset) {
      try {
        asset = { body: readFileSync(join(dir, name)), contentType };
      } catch {
        return undefined;
      }
      cache.set(name, asset);
    }
    return asset;
  };
}
