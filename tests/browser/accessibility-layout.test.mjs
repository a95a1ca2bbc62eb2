// Every page of the web app at 1280x720 and 390x844: axe-core finds no serious or critical
// violation, and nothing reaches past the viewport horizontally.

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';

import { launchBrowser } from './chromium.mjs';
import { startClassroom } from './classroom-fixture.mjs';
import { kPages, openAs } from './web-pages.mjs';
import { axeViolations, horizontalOverflow, kViewports } from './web-ui.mjs';

describe('accessibility and layout of every page', { timeout: 280_000 }, () => {
  let c;
  let browser;
  before(async () => {
    c = await startClassroom();
    browser = await launchBrowser();
  });
  after(async () => {
    await browser?.close();
    await c?.stop();
  });

  for (const [size, viewport] of Object.entries(kViewports)) {
    for (const p of kPages) {
      test(`${p.name} at ${size}`, async () => {
        // The injected axe-core script is inline: the app's CSP would refuse it.
        const page = await openAs(browser, c, { user: p.user, viewport, bypassCSP: true });
        try {
          await p.open(page, c);
          const overflow = await horizontalOverflow(page);
          assert.ok(overflow <= 0, `${p.name} at ${size} reaches ${overflow} px past the viewport`);
          const violations = await axeViolations(page);
          assert.deepEqual(violations, [], `${p.name} at ${size}: serious or critical axe-core violations`);
        } finally {
          await page.context().close();
        }
      });
    }
  }
});
