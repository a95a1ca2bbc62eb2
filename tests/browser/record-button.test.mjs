// The record button on /sessions/{sid} (R1–R3): "Record" asks for a "Recording name"
// (placeholder: the session's title) and "Start"; while initializing it shows "Initializing",
// the seconds left and the attempt; the first attempt is made to fail (a test fault) so the
// attempt count moves on and a status message tells it; once media flows it turns green;
// clicking it asks to stop: "No" keeps recording, "Yes" stops. Notifications are role=status.

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';

import { launchBrowser } from './chromium.mjs';
import { kSessionId, kSessionTitle, kUsers, startClassroom } from './classroom-fixture.mjs';
import { assertNoProblems, eventually, logIn, newPage } from './web-ui.mjs';

const kCountdown = 6;

function rgb(css) {
  const m = css.match(/rgba?\(\s*(\d+)[,\s]+(\d+)[,\s]+(\d+)/);
  assert.ok(m, `not a colour: ${css}`);
  return m.slice(1, 4).map(Number);
}

describe('the record button', { timeout: 240_000 }, () => {
  let c;
  let browser;
  before(async () => {
    c = await startClassroom({ record: false, settings: { countdown_s: kCountdown } });
    await c.ok('PUT', `/api/v1/sessions/${kSessionId}/test-faults`, { no_media: 1 }, 200);
    await c.joinEveryone();
    c.startHeartbeat();
    browser = await launchBrowser();
  });
  after(async () => {
    await browser?.close();
    await c?.stop();
  });

  test('Record → name → Start → Initializing with countdown and attempt → green → Yes stops', async () => {
    const page = await newPage(browser);
    await logIn(page, c.origin, kUsers.host);
    await page.goto(`${c.origin}/sessions/${kSessionId}`);
    const status = page.getByRole('status');
    await page.getByRole('button', { name: 'Record', exact: true }).click();
    const name = page.getByRole('textbox', { name: 'Recording name' });
    assert.equal(await name.getAttribute('placeholder'), kSessionTitle);
    await name.fill('Afternoon lab');
    await page.getByRole('button', { name: 'Start', exact: true }).click();

    const initializing = page.getByRole('button', { name: /Initializing/ });
    await initializing.waitFor();
    const seconds = async () => {
      const m = (await initializing.innerText()).match(/(\d+)\s*s\b|\b(\d+)\b(?! of)/);
      assert.ok(m, `no countdown in "${await initializing.innerText()}"`);
      return Number(m[1] ?? m[2]);
    };
    assert.match(await initializing.innerText(), /\b1 of 5\b/);
    const first = await seconds();
    assert.ok(first > 0 && first <= kCountdown + 1, `countdown ${first} (of ${kCountdown} s)`);
    await eventually(async () => assert.ok((await seconds()) < first, 'the countdown does not move'), { timeoutMs: 3000 });
    const rec = (await c.api('GET', `/api/v1/recordings?session_id=${kSessionId}`)).json.recordings[0];
    assert.equal(rec.title, 'Afternoon lab');

    // Attempt 1 never flows (test fault): told, then attempt 2.
    await status.filter({ hasText: /attempt 1 of 5/i }).first().waitFor({ timeout: (kCountdown + 5) * 1000 });
    await eventually(async () => assert.match(await page.getByRole('button', { name: /Initializing|Recording|Stop/ }).first().innerText(), /2 of 5|Recording|Stop/));

    // Attempt 2 flows: green.
    await c.waitStatus(rec.id, 'recording', kCountdown + 5);
    await status.filter({ hasText: /started|is recording|now recording/i }).first().waitFor();
    await eventually(async () => assert.equal(await page.getByRole('button', { name: /Initializing/ }).count(), 0));
    const button = page.getByRole('button', { name: /Stop|Recording/ }).first();
    await eventually(async () => {
      const [r, g, b] = rgb(await button.evaluate((el) => getComputedStyle(el).backgroundColor));
      assert.ok(g > r + 40 && g > b + 20, `the recording button is not green: rgb(${r}, ${g}, ${b})`);
    });

    // Asked before stopping: No keeps recording.
    await button.click();
    await page.getByRole('button', { name: 'No', exact: true }).click();
    await new Promise((r) => setTimeout(r, 500));
    assert.equal((await c.api('GET', `/api/v1/recordings/${rec.id}`)).json.status, 'recording', '"No" stopped the recording');
    await button.click();
    await page.getByRole('button', { name: 'Yes', exact: true }).click();
    await eventually(async () => {
      const s = (await c.api('GET', `/api/v1/recordings/${rec.id}`)).json.status;
      assert.ok(s === 'processing' || s === 'ready', `after "Yes" the recording is ${s}`);
    });
    await status.filter({ hasText: /stopped/i }).first().waitFor();
    await page.getByRole('button', { name: 'Record', exact: true }).waitFor();
    assertNoProblems(page);
    await page.context().close();
  });

  test('an attendee has no record button', async () => {
    const page = await newPage(browser);
    await logIn(page, c.origin, kUsers.student1);
    await page.goto(`${c.origin}/sessions/${kSessionId}`);
    await page.waitForLoadState('networkidle').catch(() => {});
    await new Promise((r) => setTimeout(r, 500));
    assert.equal(await page.getByRole('button', { name: 'Record', exact: true }).count(), 0);
    await page.context().close();
  });
});
