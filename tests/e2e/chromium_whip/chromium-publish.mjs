#!/usr/bin/env node
// Publishes Chromium's fake camera + microphone to a WHIP endpoint (RFC 9725).
//
//   node chromium-publish.mjs --url URL --token TOKEN [--seconds 10] [--codec vp8|h264|any]
//                             [--expect-status N]
//
// Headless Debian Chromium (playwright-core from ../browser/node_modules), fresh profile,
// --use-fake-device-for-media-stream. publish.html (file://, a secure context) does
// getUserMedia({video: 640x360, audio: true}), sendonly transceivers, the complete
// (non-trickle) offer and the answer; this script does the HTTP POST/DELETE itself, so the
// server needs no CORS. Run it inside tests/e2e/netns-run: WebRTC needs non-loopback
// addresses. Prints the Location on stdout; exits 0 after --seconds and a successful DELETE;
// non-zero with a message on any failure. --expect-status N: only POST and check the status.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { createRequire } from 'node:module';

const here = path.dirname(fileURLToPath(import.meta.url));
const require = createRequire(path.join(here, '../../browser/package.json'));
const { chromium } = require('playwright-core');

const log = (msg) => process.stderr.write(`chromium-publish: ${msg}\n`);
function fail(msg, code = 1) { log(msg); process.exit(code); }

const { values: opt } = parseArgs({
  options: {
    url: { type: 'string' }, token: { type: 'string' }, seconds: { type: 'string', default: '10' },
    codec: { type: 'string', default: 'vp8' }, 'expect-status': { type: 'string' },
  },
});
if (!opt.url || !opt.token) fail('usage: --url URL --token TOKEN [--seconds S] [--codec vp8|h264|any]', 2);
if (!['vp8', 'h264', 'any'].includes(opt.codec)) fail(`bad --codec ${opt.codec}`, 2);
const seconds = Number(opt.seconds);
if (!(seconds > 0)) fail(`bad --seconds ${opt.seconds}`, 2);
const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
if (!fs.existsSync(chromiumPath)) fail(`Chromium not found at ${chromiumPath}`, 2);

const args = [
  '--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
  '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic',
  '--no-default-browser-check', '--autoplay-policy=no-user-gesture-required',
  '--use-fake-device-for-media-stream', '--use-fake-ui-for-media-stream',
  // real host addresses in candidates, not mDNS .local names
  '--disable-features=WebRtcHideLocalIpsWithMdns',
];

async function whip(method, url, body) {
  const headers = { Authorization: `Bearer ${opt.token}` };
  if (body) headers['Content-Type'] = 'application/sdp';
  try {
    const res = await fetch(url, { method, headers, body, signal: AbortSignal.timeout(15000) });
    return { status: res.status, headers: res.headers, text: await res.text() };
  } catch (e) {
    throw new Error(`${method} ${url} failed: ${e.cause?.message ?? e.message}`);
  }
}

const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'ssr-chromium-whip-'));
let context;
let location;
let code = 0;
try {
  context = await chromium.launchPersistentContext(profile, {
    executablePath: chromiumPath, headless: true, args, timeout: 30000,
  });
  const page = context.pages()[0] ?? await context.newPage();
  page.on('console', (m) => log(`page: ${m.text()}`));
  page.on('pageerror', (e) => log(`page error: ${e.message}`));
  await page.goto(pathToFileURL(path.join(here, 'publish.html')).href);
  const offer = await page.evaluate((c) => window.makeOffer(c), opt.codec);
  if (!/a=candidate:.* typ host/.test(offer)) {
    throw new Error('offer has no host candidates (loopback only? run inside netns-run)');
  }

  const post = await whip('POST', opt.url, offer);
  if (opt['expect-status'] !== undefined) {
    process.stdout.write(post.text);
    if (post.status !== Number(opt['expect-status'])) {
      throw new Error(`POST: expected HTTP ${opt['expect-status']}, got ${post.status}: ${post.text}`);
    }
    log(`POST answered ${post.status} as expected`);
  } else {
    if (post.status !== 201) throw new Error(`POST ${opt.url}: HTTP ${post.status}: ${post.text}`);
    if (!post.headers.get('location')) throw new Error('201 without a Location header');
    location = new URL(post.headers.get('location'), opt.url).href;
    console.log(location);
    await page.evaluate((sdp) => window.applyAnswer(sdp), post.text);
    log(`connected, publishing for ${seconds} s`);
    await new Promise((r) => setTimeout(r, seconds * 1000));
    const stats = await page.evaluate(() => window.sendStats());
    log(`sent: ${JSON.stringify(stats)}`);
    if (stats.state !== 'connected') throw new Error(`connection is ${stats.state}`);
    if (!(stats.video?.framesEncoded > 0) || !(stats.audio?.packetsSent > 0)) {
      throw new Error('no video frames or audio packets were sent');
    }
    await page.evaluate(() => window.stop());
    const del = await whip('DELETE', location);
    location = undefined;
    if (del.status !== 200 && del.status !== 204) {
      throw new Error(`DELETE: HTTP ${del.status}: ${del.text}`);
    }
    log('done, resource deleted');
  }
} catch (e) {
  log(`FAILED: ${e.message}`);
  code = 1;
} finally {
  if (location) await whip('DELETE', location).catch(() => {});
  if (context) await context.close().catch(() => {});
  fs.rmSync(profile, { recursive: true, force: true });
}
process.exit(code);
