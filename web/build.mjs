// Builds web/dist: index.html, assets/app.js (the app), assets/elements.js (the embeddable
// custom elements alone), assets/app.css and the icon. Everything is bundled: no CDN.
import { build } from 'esbuild';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const dist = path.join(here, 'dist');
const assets = path.join(dist, 'assets');
fs.rmSync(dist, { recursive: true, force: true });
fs.mkdirSync(assets, { recursive: true });

const common = {
  bundle: true,
  format: 'esm',
  target: ['chrome110', 'firefox115', 'safari16'],
  minify: true,
  sourcemap: true,
  legalComments: 'eof',
  logLevel: 'warning',
};
await build({ ...common, entryPoints: [path.join(here, 'src/app.ts')], outfile: path.join(assets, 'app.js') });
await build({ ...common, entryPoints: [path.join(here, 'src/elements.ts')], outfile: path.join(assets, 'elements.js') });

fs.copyFileSync(path.join(here, 'public/index.html'), path.join(dist, 'index.html'));
for (const f of ['app.css', 'icon.svg']) fs.copyFileSync(path.join(here, 'public', f), path.join(assets, f));
console.log('web: built', path.relative(process.cwd(), dist));
