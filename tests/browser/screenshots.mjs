// scripts/web-screenshots runs this.
// Regenerates docs/web/{page}-{1280x720,390x844}.png: the same classroom as the browser tests
// (tests/browser/classroom-fixture.mjs: a real `ssr serve`, accounts, a recorded class), each
// page opened as the person who sees it (tests/browser/web-pages.mjs), in headless Chromium.
//
// Needs: the ssr binary (SSR_BINARY, default build/ssr), the built app (SSR_WEB_DIR, default
// web/dist), `npm ci` in tests/browser. Usage: scripts/web-screenshots [OUT_DIR]

import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { launchBrowser } from './chromium.mjs';
import { startClassroom } from './classroom-fixture.mjs';
import { kPages, openAs } from './web-pages.mjs';
import { kViewports } from './web-ui.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

const outDir = path.resolve(process.argv[2] ?? path.join(root, 'docs/web'));
fs.mkdirSync(outDir, { recursive: true });
const c = await startClassroom();
const browser = await launchBrowser();
let failed = 0;
try {
  for (const [size, viewport] of Object.entries(kViewports)) {
    for (const p of kPages.filter((x) => x.screenshot !== false)) {
      const file = path.join(outDir, `${p.name}-${size}.png`);
      const page = await openAs(browser, c, { user: p.user, viewport });
      try {
        await p.open(page, c);
        await page.waitForTimeout(300);  // transitions settle
        await page.screenshot({ path: file, animations: 'disabled', caret: 'hide' });
        console.log(`wrote ${path.relative(root, file)}`);
      } catch (e) {
        failed += 1;
        console.error(`${p.name} at ${size}: ${e.message}`);
      } finally {
        await page.context().close();
      }
    }
  }
} finally {
  await browser.close();
  await c.stop();
}
process.exit(failed ? 1 : 0);
