// A share link (R16, R19) opened in a real Chromium: the app at /s/{token} asks for an e-mail
// address before anything can play (a bad address is told), then its player plays part 1
// from its watch URL: currentTime advances, seeking near the end and back to 0 works through
// HTTP Range (206), the chat .vtt is a text track (off by default: the recording already shows
// the chat). The host then finds the viewer in the Share window's viewer report and in its CSV.
// Unknown and revoked links are pages for people.

import assert from 'node:assert/strict';
import fs from 'node:fs';
import { after, before, describe, test } from 'node:test';

import { launchBrowser } from './chromium.mjs';
import { kChat1, kUsers, startClassroom } from './classroom-fixture.mjs';
import { assertNoProblems, logIn, messages, newPage, openRecordedSessions, openShare } from './web-ui.mjs';
import { playSeekAndReadChat } from './video-checks.mjs';

const kViewer = 'viewer@example.org';
const kTitle = 'Leaves & <b>light</b>';  // shown as written, never as markup

describe('a share link', { timeout: 240_000 }, () => {
  let c;
  let browser;
  let link;
  before(async () => {
    c = await startClassroom();
    browser = await launchBrowser();
    await c.ok('PATCH', `/api/v1/recordings/${c.main.id}`, { title: kTitle }, 200);
    link = await c.ok('POST', `/api/v1/recordings/${c.main.id}/links`, {}, 201);
  });
  after(async () => {
    await browser?.close();
    await c?.stop();
  });

  test('asks for an e-mail first, then plays and seeks by Range, with the chat track', async (t) => {
    const page = await newPage(browser);
    const watchResponses = [];
    page.on('response', (r) => {
      if (r.url().includes('/watch/')) {
        watchResponses.push({ status: r.status(), range: r.request().headers().range ?? null,
          url: r.url().replace(/\/watch\/[^/]+/, '/watch/TOKEN') });
      }
    });
    await page.goto(c.origin + link.url);
    const email = page.getByLabel('E-mail');
    await email.waitFor();
    const videos = page.locator('video');
    const srcBefore = await videos.evaluateAll((vs) => vs.map((v) => v.currentSrc || v.getAttribute('src')).filter(Boolean));
    assert.deepEqual(srcBefore, [], 'a video has a source before an e-mail address is given');

    // Not an address: the browser's own check stops it; an address the server refuses is told.
    await email.fill('not-an-address');
    await email.press('Enter');
    assert.notEqual(await email.evaluate((el) => el.validationMessage), '', 'a bad address is not flagged');
    await email.fill('viewer@localhost');
    await email.press('Enter');
    await messages(page).filter({ hasText: /e-?mail/i }).first().waitFor();
    assert.equal(watchResponses.length, 0, 'something played before a valid address');

    await email.fill(kViewer);
    await email.press('Enter');
    await page.getByText(kTitle, { exact: true }).first().waitFor();
    const video = page.locator('video').first();
    await video.waitFor({ state: 'attached' });
    const p = await video.evaluate(playSeekAndReadChat, { chatText: kChat1, stepMs: 20_000 });
    t.diagnostic(JSON.stringify({ ...p, watchResponses: watchResponses.length }));
    assert.match(p.src, /\/watch\//);
    assert.ok(p.duration >= 2 && Number.isFinite(p.duration), `duration ${p.duration}`);
    assert.ok(p.playedTo >= 1.0, `play() reached only ${p.playedTo} s`);
    assert.ok(Math.abs(p.afterEndSeek - p.nearEnd) <= 0.5, `seek to ${p.nearEnd} landed at ${p.afterEndSeek}`);
    assert.ok(p.afterZeroSeek <= 0.1, `seek to 0 landed at ${p.afterZeroSeek}`);
    assert.ok(p.replayedTo >= 0.5, `after seek to 0, play() reached ${p.replayedTo}`);
    assert.ok(p.hasTrack, 'no <track> for the chat');
    assert.notEqual(p.trackModeAtStart, 'showing', 'the chat track is shown over a video that already draws the chat');
    assert.ok(p.chatCue, 'the chat line is not among the track cues');
    assert.deepEqual(p.errors, []);
    assert.ok(watchResponses.some((r) => r.status === 206), `no 206 among the watch responses: ${JSON.stringify(watchResponses)}`);
    assert.ok(watchResponses.some((r) => r.url.endsWith('/chat.vtt') && r.status === 200));
    assertNoProblems(page);
    await page.context().close();
  });

  test('the viewer is in the Share window\'s report and its CSV', async () => {
    const report = await c.api('GET', `/api/v1/recordings/${c.main.id}/viewers`);
    assert.equal(report.status, 200, report.text);
    const viewer = report.json.viewers.find((v) => v.email === kViewer);
    assert.ok(viewer, `the viewer is not in the report: ${report.text}`);
    assert.ok(viewer.views >= 1, `views ${viewer.views}`);
    assert.ok(viewer.watched_s > 0, `watched_s ${viewer.watched_s}`);
    const size = c.main.parts.reduce((sum, part) => sum + part.size_bytes, 0);
    assert.ok(viewer.bytes_watched > 0 && viewer.bytes_watched <= size, `bytes_watched ${viewer.bytes_watched} of ${size}`);

    const page = await newPage(browser);
    await logIn(page, c.origin, kUsers.host);
    await openRecordedSessions(page);
    const dialog = await openShare(page, kTitle);
    await dialog.getByText(kViewer).first().waitFor();
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      dialog.getByRole('button', { name: 'Download CSV' }).or(dialog.getByRole('link', { name: 'Download CSV' })).click(),
    ]);
    assert.match(download.suggestedFilename(), /\.csv$/);
    const csv = fs.readFileSync(await download.path(), 'utf8');
    const lines = csv.trim().split(/\r?\n/);
    assert.match(lines[0], /^email,/);
    assert.ok(lines.some((l) => l.startsWith(`${kViewer},`)), `the CSV has no row for the viewer: ${csv}`);
    await page.context().close();
  });

  test('unknown and revoked links are pages for people', async () => {
    const page = await newPage(browser);
    const unknown = await page.goto(`${c.origin}/s/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA`);
    assert.equal(unknown.status(), 404);
    assert.match(unknown.headers()['content-type'], /text\/html/);
    await page.getByText('This link does not exist').waitFor();
    const revoked = await c.ok('POST', `/api/v1/recordings/${c.main.id}/links`, {}, 201);
    await c.ok('DELETE', `/api/v1/recordings/${c.main.id}/links/${revoked.id}`, undefined, 204);
    const gone = await page.goto(c.origin + revoked.url);
    assert.equal(gone.status(), 410);
    await page.getByText('This link has been revoked').waitFor();
    await page.context().close();
  });
});
