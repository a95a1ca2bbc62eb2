// The player at /recordings/{rid} (R13, R17, R18): "Previous recording" / "Next recording"
// move across the two parts and are disabled at the ends; the next part follows when one
// ends; "Full Screen" and "Picture-in-Picture" are requested without error; "Additional
// Recordings" lists the breakout room's recording; a chapter seeks; the chat panel follows
// playback.

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';

import { launchBrowser } from './chromium.mjs';
import { kBreakoutTitle, kChat1, kMainTitle, kUsers, startClassroom } from './classroom-fixture.mjs';
import { assertNoProblems, eventually, logIn, messages, newPage, openRecordedSessions, recordingItem } from './web-ui.mjs';
import { seekTo, videoState } from './video-checks.mjs';

// Cues of a WebVTT file: [{start, end, text}].
function parseVtt(text) {
  const secs = (s) => s.split(':').reduce((acc, x) => acc * 60 + Number(x), 0);
  const cues = [];
  for (const block of text.replace(/\r/g, '').split(/\n\n+/)) {
    const lines = block.split('\n');
    const i = lines.findIndex((l) => l.includes('-->'));
    if (i < 0) continue;
    const [from, to] = lines[i].split('-->').map((s) => s.trim().split(/\s+/)[0]);
    cues.push({ start: secs(from), end: secs(to), text: lines.slice(i + 1).join('\n').replace(/<[^>]+>/g, '') });
  }
  return cues;
}

describe('the player', { timeout: 240_000 }, () => {
  let c;
  let browser;
  let page;
  let video;
  const partByUrl = new Map();  // watch URL path → part number, from the app's watch requests
  const part = async () => partByUrl.get(new URL((await video.evaluate(videoState)).src || 'http://x/none').pathname);
  const button = (name) => page.getByRole('button', { name, exact: true });

  before(async () => {
    c = await startClassroom();
    browser = await launchBrowser();
    page = await newPage(browser);
    page.on('response', async (r) => {
      const m = r.url().match(/\/api\/v1\/recordings\/[^/]+\/parts\/(\d+)\/watch$/);
      if (m && r.ok()) {
        try { partByUrl.set((await r.json()).url, Number(m[1])); } catch { /* the page closed */ }
      }
    });
    await logIn(page, c.origin, kUsers.host);
    await openRecordedSessions(page);
    await recordingItem(page, kMainTitle).getByRole('button', { name: 'Watch Now' }).click();
    await page.waitForURL(`**/recordings/${c.main.id}`);
    video = page.locator('video').first();
    await video.waitFor({ state: 'attached' });
  });
  after(async () => {
    await browser?.close();
    await c?.stop();
  });

  test('the arrows move across the parts and are disabled at the ends', async () => {
    await eventually(async () => assert.equal(await part(), 1));
    assert.ok(await button('Previous recording').isDisabled(), '"Previous recording" is enabled on part 1');
    assert.ok(await button('Next recording').isEnabled());
    await button('Next recording').click();
    await eventually(async () => assert.equal(await part(), 2));
    assert.ok(await button('Next recording').isDisabled(), '"Next recording" is enabled on the last part');
    assert.ok(await button('Previous recording').isEnabled());
    await button('Previous recording').click();
    await eventually(async () => assert.equal(await part(), 1));
  });

  test('the next part follows when one ends', async () => {
    await video.evaluate(async (v) => {
      await new Promise((r) => (v.readyState >= 1 ? r() : v.addEventListener('loadedmetadata', r, { once: true })));
      v.muted = true;
      v.currentTime = Math.max(0, v.duration - 0.4);
      await v.play();
    });
    await eventually(async () => assert.equal(await part(), 2), { timeoutMs: 15_000 });
    await eventually(async () => {
      const s = await video.evaluate(videoState);
      assert.ok(!s.paused && s.currentTime > 0.2, `part 2 does not play: ${JSON.stringify(s)}`);
    });
    await button('Previous recording').click();
    await eventually(async () => assert.equal(await part(), 1));
  });

  test('Full Screen and Picture-in-Picture are requested without error', async () => {
    await button('Full Screen').click();
    await eventually(async () => assert.ok(await page.evaluate(() => document.fullscreenElement !== null), 'not in full screen'));
    await page.evaluate(() => document.exitFullscreen());
    await video.evaluate(async (v) => { v.muted = true; await v.play(); });
    await button('Picture-in-Picture').click();
    await eventually(async () => assert.ok(await page.evaluate(() => document.pictureInPictureElement !== null),
      'not in picture-in-picture'));
    assert.equal(await messages(page).filter({ hasText: /error|could not|cannot|failed/i }).count(), 0);
    await page.evaluate(() => document.exitPictureInPicture());
    await video.evaluate((v) => v.pause());
  });

  test('keys: space plays and pauses, arrows seek, f is full screen', async () => {
    await video.evaluate(async (v) => { v.pause(); v.muted = true; });
    await video.evaluate(seekTo, 0.5);
    await video.focus();
    await page.keyboard.press(' ');
    await eventually(async () => assert.equal((await video.evaluate(videoState)).paused, false, 'space did not play'));
    await page.keyboard.press(' ');
    await eventually(async () => assert.equal((await video.evaluate(videoState)).paused, true, 'space did not pause'));
    const at = (await video.evaluate(videoState)).currentTime;
    await page.keyboard.press('ArrowRight');
    await eventually(async () => assert.ok((await video.evaluate(videoState)).currentTime > at + 1, 'ArrowRight did not seek forward'));
    await page.keyboard.press('ArrowLeft');
    await eventually(async () => assert.ok((await video.evaluate(videoState)).currentTime < at + 1, 'ArrowLeft did not seek back'));
    await page.keyboard.press('f');
    await eventually(async () => assert.ok(await page.evaluate(() => document.fullscreenElement !== null), 'f did not go full screen'));
    await page.evaluate(() => document.exitFullscreen());
  });

  test('a chapter seeks to its time', async () => {
    const vtt = await c.api('GET', `/api/v1/recordings/${c.main.id}/parts/1/chapters.vtt`);
    assert.equal(vtt.status, 200, `no chapters for part 1: ${vtt.text}`);
    const cues = parseVtt(vtt.text);
    const slide = cues.find((q) => q.text.includes('slide-2.png'));
    assert.ok(slide, `no chapter for the second slide: ${vtt.text}`);
    assert.ok(slide.start > 1, `the slide chapter starts at ${slide.start}`);
    await video.evaluate(seekTo, 0);
    const chapter = page.getByRole('button', { name: slide.text }).or(page.getByRole('link', { name: slide.text }));
    await chapter.first().click();
    await eventually(async () => {
      const s = await video.evaluate(videoState);
      assert.ok(Math.abs(s.currentTime - slide.start) < 0.6, `the chapter at ${slide.start} s seeked to ${s.currentTime}`);
    });
  });

  test('the chat panel follows playback', async () => {
    const vtt = await c.api('GET', `/api/v1/recordings/${c.main.id}/parts/1/chat.vtt`);
    assert.equal(vtt.status, 200, vtt.text);
    const line = parseVtt(vtt.text).find((q) => q.text.includes(kChat1));
    assert.ok(line, `the chat line is not in part 1's chat: ${vtt.text}`);
    const panel = page.getByRole('log', { name: /chat/i }).or(page.getByRole('region', { name: /chat/i }))
      .or(page.getByRole('complementary', { name: /chat/i })).first();
    await video.evaluate((v) => v.pause());
    await video.evaluate(seekTo, Math.max(0, line.start - 1));
    await panel.waitFor();
    await eventually(async () => assert.equal(await panel.getByText(kChat1).count(), 0,
      'the chat line shows before it was said'));
    await video.evaluate(seekTo, line.start + 0.5);
    await panel.getByText(kChat1).first().waitFor();
  });

  test('Additional Recordings lists the breakout room\'s recording', async () => {
    await button('Additional Recordings').click();
    const entry = page.getByRole('menuitem', { name: kBreakoutTitle }).or(page.getByRole('link', { name: kBreakoutTitle }));
    await entry.first().click();
    await page.waitForURL(`**/recordings/${c.breakout.id}`);
    await page.getByText(kBreakoutTitle).first().waitFor();
    assertNoProblems(page);
  });
});
