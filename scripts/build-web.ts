/**
 * `npm run build:web`: the archive browser's page, built from web/src by esbuild into
 * web/dist/ (index.html, app.js, app.css), which browse serves itself. No CDN.
 */
import { copyFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { build } from 'esbuild';

const root = join(__dirname, '..');

export async function buildWeb(outDir = join(root, 'web', 'dist')): Promise<void> {
  mkdirSync(outDir, { recursive: true });
  await build({
    entryPoints: [join(root, 'web', 'src', 'main.ts')],
    outfile: join(outDir, 'app.js'),
    bundle: true,
    minify: true,
    format: 'iife',
    target: 'es2020',
    logLevel: 'warning',
  });
  copyFileSync(join(root, 'web', 'src', 'index.html'), join(outDir, 'index.html'));
  copyFileSync(join(root, 'web', 'src', 'styles.css'), join(outDir, 'app.css'));
}

if (require.main === module) {
  buildWeb().then(
    () => console.log('built web/dist/index.html, app.js, app.css'),
    (error: unknown) => {
      console.error(error);
      process.exit(1);
    },
  );
}
