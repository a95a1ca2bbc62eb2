// Browser tier: a share link (R16) opened in a real Chromium. `ssr serve` records a short
// class with a chat message; the platform creates a share link; Chromium opens /s/{token},
// gives an e-mail address, and the page's player plays the part from its watch URL (R19):
// currentTime advances, seeking near the end and back to 0 works through HTTP Range (206),
// and the chat .vtt is attached as a track. The viewer report then names the viewer.
//
// Environment: SSR_BINARY (default ../../build/ssr from here), CHROMIUM_PATH.

import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';

import { assertChromium, withChromium } from './chromium.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const ssrBinary = process.env.SSR_BINARY ?? path.resolve(here, '../../build/ssr');
const kApiKey = 'browser-test-api-key-0123456789';
const kChat = 'Shared chat line ✅';
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

function freePort() {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => { const { port } = s.address(); s.close(() => resolve(port)); });
  });
}

// Runs inside the share page after the e-mail was given.
async function checkPlayer({ chatText, stepMs }) {
  const video = document.getElementById('video');
  const errors = [];
  video.addEventListener('error', () => errors.push(`video error ${video.error?.code}: ${video.error?.message}`));
  const waitFor = (predicate, events, what) => new Promise((resolve, reject) => {
    if (predicate()) return resolve();
    const timer = setTimeout(() => { cleanup(); reject(new Error(`timed out waiting for ${what} ` +
      `(readyState ${video.readyState}, currentTime ${video.currentTime}, errors: ${errors.join('; ') || 'none'})`)); }, stepMs);
    const check = () => {
      if (video.error) { cleanup(); reject(new Error(`video error while waiting for ${what}: ${video.error.code} ${video.error.message}`)); return; }
      if (predicate()) { cleanup(); resolve(); }
    };
    const cleanup = () => { clearTimeout(timer); for (const e of events) video.removeEventListener(e, check); video.removeEventListener('error', check); };
    for (const e of events) video.addEventListener(e, check);
    video.addEventListener('error', check);
  });
  const seek = async (target) => {
    let seeked = false;
    video.addEventListener('seeked', () => { seeked = true; }, { once: true });
    video.currentTime = target;
    await waitFor(() => seeked, ['seeked'], `seeked to ${target}`);
    await waitFor(() => video.readyState >= 2, ['loadeddata', 'canplay', 'timeupdate'], `a frame at ${target}`);
    return video.currentTime;
  };
  const result = { src: video.currentSrc };
  await waitFor(() => video.readyState >= 1, ['loadedmetadata'], 'loadedmetadata');
  result.duration = video.duration;
  video.muted = true;
  await video.play();
  await waitFor(() => video.currentTime >= 1.0, ['timeupdate'], 'play() to advance 1 s');
  video.pause();
  result.playedTo = video.currentTime;
  result.nearEnd = Math.max(0, result.duration - 0.3);
  result.afterEndSeek = await seek(result.nearEnd);
  result.afterZeroSeek = await seek(0);
  await video.play();
  await waitFor(() => video.currentTime >= 0.5, ['timeupdate'], 'play() after seek to 0');
  video.pause();
  result.replayedTo = video.currentTime;

  const trackEl = video.querySelector('track');
  result.hasTrack = !!trackEl;
  if (trackEl) {
    trackEl.track.mode = 'hidden';
    await new Promise((resolve, reject) => {
      if (trackEl.readyState === 2) return resolve();
      if (trackEl.readyState === 3) return reject(new Error('the chat track failed to load'));
      const timer = setTimeout(() => reject(new Error(`the chat track did not load (readyState ${trackEl.readyState})`)), stepMs);
      trackEl.addEventListener('load', () => { clearTimeout(timer); resolve(); });
      trackEl.addEventListener('error', () => { clearTimeout(timer); reject(new Error('the chat track failed to load')); });
    });
    result.chatCue = Array.from(trackEl.track.cues ?? [], (c) => c.text).find((t) => t.includes(chatText)) ?? null;
  }
  result.errors = errors;
  return result;
}

describe('a share link plays in Chromium', () => {
  let tmp;
  let server;
  let origin;
  let serverLog = '';

  const api = async (method, p, body, auth = true) => {
    const res = await fetch(origin + p, {
      method,
      headers: { ...(auth ? { Authorization: `Bearer ${kApiKey}` } : {}),
        ...(body !== undefined ? { 'Content-Type': 'application/json' } : {}) },
      body: body !== undefined ? JSON.stringify(body) : undefined,
    });
    const text = await res.text();
    let json = null;
    try { json = JSON.parse(text); } catch { /* not JSON */ }
    return { status: res.status, json, text };
  };

  before(async () => {
    assertChromium();
    assert.ok(fs.existsSync(ssrBinary), `ssr binary not found at ${ssrBinary} (build it, or set SSR_BINARY)`);
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'ssr-share-'));
    const port = await freePort();
    origin = `http://127.0.0.1:${port}`;
    server = spawn(ssrBinary, ['serve', '--listen', `127.0.0.1:${port}`, '--data', path.join(tmp, 'data')], {
      env: { ...process.env, SSR_API_KEY: kApiKey, SSR_CONTROL_TICK_MS: '100' },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    server.stderr.on('data', (d) => { serverLog += d; });
    for (let i = 0; ; ++i) {
      try { if ((await fetch(origin + '/livez')).ok) break; } catch { /* not yet */ }
      assert.ok(i < 150, `ssr serve did not start: ${serverLog}`);
      await sleep(100);
    }
  });
  after(() => {
    if (server) server.kill('SIGKILL');
    if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
  });

  test('e-mail first, then the part plays, seeks (end and 0) by Range, with its chat track',
    { timeout: 180_000 }, async (t) => {
      try {
        assert.equal((await api('PUT', '/api/v1/settings', { countdown_s: 1, max_part_duration_s: 0 })).status, 200);
        assert.equal((await api('POST', '/api/v1/sessions', { id: 'share1', title: 'Shared <class>' })).status, 201);
        let t0 = Date.now();
        const post = async (event) => {
          const res = await api('POST', '/api/v1/sessions/share1/events', { ...event, t: (Date.now() - t0) / 1000 });
          assert.equal(res.status, 202, res.text);
        };
        await post({ type: 'participant.join', id: 'h1', name: 'Hana Host', role: 'host', room: 'main' });
        const started = await api('POST', '/api/v1/sessions/share1/recordings', {});
        assert.equal(started.status, 202, started.text);
        const rid = started.json.id;
        const waitStatus = async (want, seconds) => {
          for (let i = 0; i < seconds * 10; ++i) {
            const r = await api('GET', `/api/v1/recordings/${rid}`);
            if (r.json?.status === want) return r.json;
            await post({ type: 'layout', sidebar: 'open' });
            await sleep(100);
          }
          throw new Error(`recording never reached ${want}: ${serverLog.slice(-2000)}`);
        };
        await waitStatus('recording', 10);
        for (let i = 0; i < 40; ++i) {  // about 4 s of class, a chat line after 1 s
          if (i === 10) await post({ type: 'chat.message', from: 'h1', text: kChat });
          else await post({ type: 'layout', sidebar: 'open' });
          await sleep(100);
        }
        assert.equal((await api('POST', `/api/v1/recordings/${rid}/stop`)).status, 200);
        const ready = await waitStatus('ready', 20);
        const size = ready.parts[0].size_bytes;

        const link = await api('POST', `/api/v1/recordings/${rid}/links`, {});
        assert.equal(link.status, 201, link.text);

        const watchResponses = [];
        const result = await withChromium(async (page) => {
          page.on('response', (r) => {
            if (r.url().includes('/watch/')) {
              watchResponses.push({ status: r.status(), range: r.request().headers().range ?? null,
                url: r.url().replace(/\/watch\/[^/]+/, '/watch/TOKEN') });
            }
          });
          await page.goto(origin + link.json.url);
          const before = {
            title: await page.textContent('#title'),
            hasForm: await page.isVisible('#email'),
            playerHidden: await page.isHidden('#player'),
            videoSrc: await page.getAttribute('#video', 'src'),
          };
          await page.fill('#email', 'not-an-address');
          await page.click('button[type=submit]');
          await page.waitForFunction(() => document.getElementById('error').textContent.length > 0);
          const badEmailMessage = await page.textContent('#error');
          await page.fill('#email', 'viewer@example.org');
          await page.click('button[type=submit]');
          await page.waitForSelector('#player:not([hidden])');
          const played = await page.evaluate(checkPlayer, { chatText: kChat, stepMs: 20_000 });
          return { before, badEmailMessage, played };
        }, { timeoutMs: 120_000 });
        t.diagnostic(JSON.stringify({ ...result, watchResponses: watchResponses.length }));

        assert.equal(result.before.title, 'Shared <class>');
        assert.ok(result.before.hasForm, 'the page does not ask for an e-mail address');
        assert.ok(result.before.playerHidden, 'the player shows before an e-mail address is given');
        assert.equal(result.before.videoSrc, null, 'the video has a source before the e-mail');
        assert.match(result.badEmailMessage, /email/);
        const p = result.played;
        assert.match(p.src, /\/watch\//);
        assert.ok(p.duration >= 2 && Number.isFinite(p.duration), `duration ${p.duration}`);
        assert.ok(p.playedTo >= 1.0, `play() reached only ${p.playedTo} s`);
        assert.ok(Math.abs(p.afterEndSeek - p.nearEnd) <= 0.5, `seek to ${p.nearEnd} landed at ${p.afterEndSeek}`);
        assert.ok(p.afterZeroSeek <= 0.1, `seek to 0 landed at ${p.afterZeroSeek}`);
        assert.ok(p.replayedTo >= 0.5, `after seek to 0, play() reached ${p.replayedTo}`);
        assert.ok(p.hasTrack, 'no <track> for the chat');
        assert.ok(p.chatCue, 'the chat line is not among the track cues');
        assert.deepEqual(p.errors, []);
        assert.ok(watchResponses.some((r) => r.status === 206),
          `no 206 among the watch responses: ${JSON.stringify(watchResponses)}`);
        assert.ok(watchResponses.some((r) => r.url.endsWith('/chat.vtt') && r.status === 200));

        const report = await api('GET', `/api/v1/recordings/${rid}/viewers`);
        assert.equal(report.status, 200, report.text);
        assert.equal(report.json.viewers.length, 1);
        const viewer = report.json.viewers[0];
        assert.equal(viewer.email, 'viewer@example.org');
        assert.equal(viewer.views, 1);
        assert.ok(viewer.bytes_watched > 0 && viewer.bytes_watched <= size,
          `bytes_watched ${viewer.bytes_watched} of ${size}`);
        assert.ok(viewer.watched_s > 0, `watched_s ${viewer.watched_s}`);
      } catch (e) {
        console.log(`# server log:\n${serverLog.slice(-4000)}`);
        throw e;
      }
    });
});
