// The share-link page the server serves itself when no web app is installed (SSR_WEB_DIR
// without one), in a real Chromium under its Content-Security-Policy (review finding L2: its
// own script and style allowed by their hashes, nothing inline besides, no <base>): the
// style applies, the script runs — an e-mail address brings the player, which plays part 1 —
// and the browser reports no violation of the policy.

import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';

import { launchBrowser } from './chromium.mjs';
import { startClassroom } from './classroom-fixture.mjs';
import { assertNoProblems, newPage } from './web-ui.mjs';

describe('the built-in share page', { timeout: 240_000 }, () => {
  let c;
  let browser;
  let link;
  let noWebApp;
  before(async () => {
    noWebApp = fs.mkdtempSync(path.join(os.tmpdir(), 'ssr-no-web-'));
    c = await startClassroom({ env: { SSR_WEB_DIR: noWebApp } });
    browser = await launchBrowser();
    link = await c.ok('POST', `/api/v1/recordings/${c.main.id}/links`, {}, 201);
  });
  after(async () => {
    await browser?.close();
    await c?.stop();
    if (noWebApp) fs.rmSync(noWebApp, { recursive: true, force: true });
  });

  test('runs its own script and style under its policy, and plays', async () => {
    const page = await newPage(browser);
    const response = await page.goto(c.origin + link.url);
    const csp = response.headers()['content-security-policy'];
    assert.match(csp, /script-src 'sha256-[A-Za-z0-9+/]+=*';/);
    assert.doesNotMatch(csp, /unsafe-inline/);
    assert.match(csp, /base-uri 'none'/);
    // The built-in page, not the app: its form is plain HTML.
    await page.locator('form#ask').waitFor();
    // Its style applies (blocked, the player would not be hidden by [hidden] rules of its own).
    const background = await page.locator('video').evaluate((v) => getComputedStyle(v).backgroundColor);
    assert.equal(background, 'rgb(0, 0, 0)', 'the page\'s style did not apply');

    await page.getByLabel('E-mail').fill('builtin-viewer@example.org');
    await page.getByRole('button', { name: 'Watch' }).click();
    const video = page.locator('video');
    await video.waitFor({ state: 'visible' });
    const played = await video.evaluate(async (v) => {
      v.muted = true;
      await v.play();
      const start = Date.now();
      while (v.currentTime < 0.5 && Date.now() - start < 10_000) await new Promise((r) => setTimeout(r, 100));
      return { src: v.currentSrc, t: v.currentTime };
    });
    assert.match(played.src, /\/watch\//);
    assert.ok(played.t >= 0.5, `play() reached only ${played.t} s`);
    assert.match(await page.locator('#which').textContent(), /^Part 1 of \d+$/);
    assertNoProblems(page);
    await page.context().close();
  });
});
