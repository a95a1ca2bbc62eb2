// Browser tier: files rendered by `ssr render` must play and seek in a real Chromium.
//
// For each video codec (VP9, the default, and VP8) the test renders a tiny bundle, serves the
// WebM (with HTTP Range) and its sidecar .vtt from 127.0.0.1, and checks in headless Chromium:
// metadata loads, the duration is the session's, play() advances, seeking to the middle and
// back to 0 completes (the "demuxer seek failed" trap), the video never errors, and the
// sidecar text track holds the chat message. A missing Chromium or ssr binary fails the test.
//
// Environment: SSR_BINARY (default ../../build/ssr from here), SSR_SOURCE_DIR, CHROMIUM_PATH,
// SSR_KEEP_TMP=1 keeps the temporary directory.

import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

import { assertChromium, withChromium } from './chromium.mjs';
import { kChatText, makeBundle } from './make-bundle.mjs';
import { startServer } from './range-server.mjs';

const run = promisify(execFile);
const here = path.dirname(fileURLToPath(import.meta.url));
const sourceDir = process.env.SSR_SOURCE_DIR ?? path.resolve(here, '../..');
const ssrBinary = process.env.SSR_BINARY ?? path.resolve(here, '../../build/ssr');
const kSessionS = 6;

const kPage = `<!doctype html>
<meta charset="utf-8">
<title>ssr playback</title>
<video id="v" preload="auto" muted playsinline src="/out.webm">
  <track id="chat" kind="subtitles" srclang="en" label="Chat" src="/out.vtt" default>
</video>`;

// Runs inside the page. Every wait has its own limit so a stuck step names itself.
async function checkPlayback({ chatText, stepMs }) {
  const video = document.getElementById('v');
  const trackEl = document.getElementById('chat');
  const errors = [];
  video.addEventListener('error', () => {
    errors.push(`video error ${video.error?.code}: ${video.error?.message}`);
  });
  const waitFor = (predicate, events, what) => new Promise((resolve, reject) => {
    if (predicate()) return resolve();
    const timer = setTimeout(() => {
      cleanup();
      reject(new Error(`timed out waiting for ${what} (readyState ${video.readyState}, ` +
        `currentTime ${video.currentTime}, errors: ${errors.join('; ') || 'none'})`));
    }, stepMs);
    const check = () => {
      if (video.error) { cleanup(); reject(new Error(`video error while waiting for ${what}: ` +
        `${video.error.code} ${video.error.message}`)); return; }
      if (predicate()) { cleanup(); resolve(); }
    };
    const cleanup = () => {
      clearTimeout(timer);
      for (const e of events) video.removeEventListener(e, check);
      video.removeEventListener('error', check);
    };
    for (const e of events) video.addEventListener(e, check);
    video.addEventListener('error', check);
  });
  const seek = async (target) => {
    let seeked = false;
    video.addEventListener('seeked', () => { seeked = true; }, { once: true });
    video.currentTime = target;
    await waitFor(() => seeked, ['seeked'], `seeked to ${target}`);
    await waitFor(() => video.readyState >= 2, ['loadeddata', 'canplay', 'timeupdate'],
      `a frame at ${target}`);
    return video.currentTime;
  };
  // Counts distinct colours in a 32x18 thumbnail: a decoded classroom frame has many.
  const frameColours = () => {
    const canvas = document.createElement('canvas');
    canvas.width = 32; canvas.height = 18;
    const ctx = canvas.getContext('2d', { willReadFrequently: true });
    ctx.drawImage(video, 0, 0, canvas.width, canvas.height);
    const px = ctx.getImageData(0, 0, canvas.width, canvas.height).data;
    const seen = new Set();
    for (let i = 0; i < px.length; i += 4) seen.add((px[i] >> 4) << 8 | (px[i + 1] >> 4) << 4 | px[i + 2] >> 4);
    return seen.size;
  };

  const result = {};
  await waitFor(() => video.readyState >= 1, ['loadedmetadata'], 'loadedmetadata');
  result.duration = video.duration;
  result.size = [video.videoWidth, video.videoHeight];

  const played = video.play();
  await played;
  await waitFor(() => video.currentTime >= 1.0, ['timeupdate'], 'play() to advance 1 s');
  video.pause();
  result.playedTo = video.currentTime;

  const middle = result.duration / 2;
  result.middle = middle;
  result.afterMiddleSeek = await seek(middle);
  result.coloursAtMiddle = frameColours();
  result.afterZeroSeek = await seek(0);
  result.coloursAtZero = frameColours();

  // Plays on from 0 again: a broken seek to 0 shows up as a decode error here.
  await video.play();
  await waitFor(() => video.currentTime >= 0.5, ['timeupdate'], 'play() after seek to 0');
  video.pause();
  result.replayedTo = video.currentTime;

  // The sidecar chat track (Chromium shows no in-band WebVTT from WebM).
  const track = trackEl.track;
  track.mode = 'hidden';
  await new Promise((resolve, reject) => {
    if (trackEl.readyState === 2) return resolve();
    if (trackEl.readyState === 3) return reject(new Error('the .vtt track failed to load'));
    const timer = setTimeout(() => reject(new Error(`the .vtt track did not load ` +
      `(readyState ${trackEl.readyState})`)), stepMs);
    trackEl.addEventListener('load', () => { clearTimeout(timer); resolve(); });
    trackEl.addEventListener('error', () => { clearTimeout(timer);
      reject(new Error('the .vtt track failed to load')); });
  });
  result.cues = Array.from(track.cues ?? [], (c) => ({ start: c.startTime, end: c.endTime,
    text: c.text }));
  result.chatCue = result.cues.find((c) => c.text.includes(chatText)) ?? null;

  result.errors = errors;
  result.videoError = video.error ? `${video.error.code} ${video.error.message}` : null;
  return result;
}

async function probeCodec(file) {
  const { stdout } = await run('ffprobe', ['-v', 'error', '-select_streams', 'v:0',
    '-show_entries', 'stream=codec_name', '-of', 'default=nw=1:nk=1', file]);
  return stdout.trim();
}

describe('ssr render output plays in Chromium', () => {
  let tmp;
  let bundle;
  let failed = false;

  before(async () => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'ssr-browser-'));
    bundle = await makeBundle(path.join(tmp, 'bundle'), { durationS: kSessionS, chatAtS: 1 });
  });
  after(() => {
    if (!tmp) return;
    if (process.env.SSR_KEEP_TMP === '1' || failed) {
      console.log(`# kept ${tmp}`);
    } else {
      fs.rmSync(tmp, { recursive: true, force: true });
    }
  });

  for (const codec of ['vp9', 'vp8']) {
    const flags = codec === 'vp9' ? [] : ['--video-codec', codec];
    test(`${codec}${flags.length ? '' : ' (default)'}: plays, seeks, keeps its chat track`,
      { timeout: 180_000 }, async (t) => {
        try {
          assertChromium();
          assert.ok(fs.existsSync(ssrBinary),
            `ssr binary not found at ${ssrBinary} (build it, or set SSR_BINARY)`);
          const out = path.join(tmp, codec, 'out.webm');
          fs.mkdirSync(path.dirname(out), { recursive: true });
          await run(ssrBinary, ['render', bundle, '-o', out, ...flags],
            { cwd: sourceDir, timeout: 120_000 }).catch((e) => {
            throw new Error(`ssr render failed (${e.code ?? e.signal}): ${e.stderr ?? e.message}`);
          });
          const vtt = out.replace(/\.webm$/, '.vtt');
          assert.ok(fs.statSync(out).size > 0, 'the WebM is empty');
          assert.ok(fs.existsSync(vtt), `no sidecar ${vtt}`);
          assert.equal(await probeCodec(out), codec);

          const server = await startServer({ '/': { body: kPage, type: 'text/html; charset=utf-8' },
            '/out.webm': out, '/out.vtt': vtt });
          let result;
          const requests = [];
          try {
            result = await withChromium(async (page) => {
              page.on('request', (r) => requests.push(r.url()));
              await page.goto(`${server.origin}/`);
              return page.evaluate(checkPlayback, { chatText: kChatText, stepMs: 20_000 });
            }, { timeoutMs: 90_000 });
          } finally {
            await server.close();
          }
          t.diagnostic(JSON.stringify({ ...result, cues: result.cues.length }));

          assert.ok(Math.abs(result.duration - kSessionS) <= 0.5,
            `duration ${result.duration} s, expected ${kSessionS} ± 0.5 s`);
          assert.deepEqual(result.size, [1280, 720]);
          assert.ok(result.playedTo >= 1.0, `play() reached only ${result.playedTo} s`);
          assert.ok(Math.abs(result.afterMiddleSeek - result.middle) <= 0.5,
            `seek to ${result.middle} landed at ${result.afterMiddleSeek}`);
          assert.ok(result.afterZeroSeek <= 0.1, `seek to 0 landed at ${result.afterZeroSeek}`);
          assert.ok(result.replayedTo >= 0.5, `after seek to 0, play() reached ${result.replayedTo}`);
          assert.ok(result.coloursAtMiddle > 4 && result.coloursAtZero > 4,
            `decoded frames look blank (colours ${result.coloursAtMiddle}, ${result.coloursAtZero})`);
          assert.deepEqual(result.errors, []);
          assert.equal(result.videoError, null);
          assert.ok(result.chatCue,
            `no cue with the chat text; cues: ${JSON.stringify(result.cues)}`);
          assert.ok(Math.abs(result.chatCue.start - 1) <= 0.05,
            `chat cue starts at ${result.chatCue.start}, the message was at 1 s`);

          // The media element really used Range requests, and nothing left loopback.
          const webm = server.log.filter((r) => r.path === '/out.webm');
          assert.ok(webm.some((r) => r.status === 206),
            `Chromium made no Range request for the WebM: ${JSON.stringify(webm)}`);
          const foreign = requests.filter((u) => !u.startsWith(`${server.origin}/`));
          assert.deepEqual(foreign, [], 'requests left 127.0.0.1');
        } catch (e) {
          failed = true;
          throw e;
        }
      });
  }
});
