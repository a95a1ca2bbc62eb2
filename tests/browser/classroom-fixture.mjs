// A real classroom for the web app's browser tests: `ssr serve` on 127.0.0.1 with a fresh data
// directory, short countdowns, test faults enabled, the built app (web/dist), the demo's
// accounts, one session with invitees, and recordings made through the API while events play:
//
//   main room  "Leaves and light"  part 1 (slide 1, a chat line, slide 2)
//                                  — host and co-host go to breakout room "Group A": paused —
//                                  part 2 after the host is back (another chat line)
//   room b1    "Photosynthesis 101 - Group A" (one part, stored when the room closes)
//
// Nothing is shared: each test sets sharing through the API or the Share window.
//
// Environment: SSR_BINARY (default ../../build/ssr from here), SSR_WEB_DIR (default web/dist of
// this source tree; it must hold index.html: `make web` or `npm run build` in web/).

import assert from 'node:assert/strict';
import { execFile, spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { fileURLToPath } from 'node:url';

const run = promisify(execFile);
const here = path.dirname(fileURLToPath(import.meta.url));
export const kSourceDir = process.env.SSR_SOURCE_DIR ?? path.resolve(here, '../..');
export const kSsrBinary = process.env.SSR_BINARY ?? path.join(kSourceDir, 'build/ssr');
export const kWebDir = process.env.SSR_WEB_DIR ?? path.join(kSourceDir, 'web/dist');
export const kApiKey = 'browser-test-api-key-0123456789';
export const kPassword = 'classroom-test-pw';
export const kSessionId = 'bio';
export const kSessionTitle = 'Photosynthesis 101';
export const kHostZone = 'America/New_York';
export const kMainTitle = 'Leaves and light';
export const kBreakoutTitle = `${kSessionTitle} - Group A`;
export const kChat1 = 'Good morning, leaves are green ✅';
export const kChat2 = 'Back in the main room';

// The accounts; `role` is their role in the session (none: not invited).
export const kUsers = {
  host: { id: 'host', email: 'host@example.org', name: 'Hana Host', role: 'host', pid: 'p-host' },
  cohost: { id: 'cohost', email: 'cohost@example.org', name: 'Colm Cohost', role: 'cohost', pid: 'p-cohost' },
  student1: { id: 'student1', email: 'student1@example.org', name: 'Sami Student', role: 'attendee', pid: 'p-s1' },
  student2: { id: 'student2', email: 'student2@example.org', name: 'Tove Student', role: 'attendee', pid: 'p-s2' },
  stranger: { id: 'stranger', email: 'stranger@example.org', name: 'Stan Stranger', role: null },
};

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

function freePort() {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => { const { port } = s.address(); s.close(() => resolve(port)); });
  });
}

// A one-colour PNG made by ffmpeg (a slide for presentation.show).
async function makeSlide(file, colour) {
  await run('ffmpeg', ['-hide_banner', '-loglevel', 'error', '-nostdin', '-y', '-f', 'lavfi',
    '-i', `color=c=${colour}:s=640x360`, '-frames:v', '1', file]);
  return fs.readFileSync(file);
}

export class Classroom {
  constructor() {
    this.log = '';
    this.origin = null;
    this.server = null;
    this.tmp = null;
    this.main = null;      // the main room's recording (GET JSON once ready)
    this.breakout = null;  // the breakout room's recording
    this.t0 = null;
    this.queue = Promise.resolve();
    this.sessionId = kSessionId;
    this.link = null;
  }

  // One share link of the main recording, made on first use ({id, url: "/s/{token}", ...}).
  async shareLink() {
    this.link ??= await this.ok('POST', `/api/v1/recordings/${this.main.id}/links`, {}, 201);
    return this.link;
  }

  // API call as the platform (auth true), anonymous (false) or with a cookie string.
  async api(method, p, body, { auth = true, cookie, headers = {} } = {}) {
    const h = { ...headers };
    if (auth && !cookie) h.Authorization = `Bearer ${kApiKey}`;
    if (cookie) h.Cookie = cookie;
    let payload;
    if (Buffer.isBuffer(body)) payload = body;
    else if (body !== undefined) { h['Content-Type'] = 'application/json'; payload = JSON.stringify(body); }
    const res = await fetch(this.origin + p, { method, headers: h, body: payload });
    const text = await res.text();
    let json = null;
    try { json = JSON.parse(text); } catch { /* not JSON */ }
    return { status: res.status, json, text, headers: res.headers };
  }

  async ok(method, p, body, want, opts) {
    const r = await this.api(method, p, body, opts);
    assert.equal(r.status, want, `${method} ${p} → ${r.status} ${r.text}`);
    return r.json;
  }

  // Events are posted one at a time (t must not go back), t = seconds since the first one.
  post(event) {
    const next = this.queue.then(async () => {
      if (this.t0 === null) this.t0 = Date.now();
      const t = (Date.now() - this.t0) / 1000;
      const r = await this.api('POST', `/api/v1/sessions/${kSessionId}/events`, { t, ...event });
      assert.equal(r.status, 202, `event ${JSON.stringify(event)} → ${r.status} ${r.text}`);
      return t;
    });
    this.queue = next.catch(() => {});
    return next;
  }

  // Keeps the session's events flowing (a recording runs while events or media arrive).
  startHeartbeat() {
    this.heartbeat = setInterval(() => { this.post({ type: 'layout', sidebar: 'open' }).catch(() => {}); }, 250);
  }

  stopHeartbeat() { clearInterval(this.heartbeat); this.heartbeat = null; }

  async waitStatus(rid, want, seconds) {
    let last;
    for (let i = 0; i < seconds * 10; ++i) {
      last = await this.api('GET', `/api/v1/recordings/${rid}`);
      if (last.json?.status === want) return last.json;
      await sleep(100);
    }
    throw new Error(`recording ${rid} never reached ${want} (last: ${last?.text}): ${this.log.slice(-3000)}`);
  }

  async addUser(u) {
    const child = execFile(kSsrBinary, ['user', 'add', '--data', this.dataDir, '--id', u.id,
      '--email', u.email, '--name', u.name, '--password-stdin']);
    child.stdin.end(kPassword + '\n');
    const [code, stderr] = await new Promise((resolve) => {
      let err = '';
      child.stderr.on('data', (d) => { err += d; });
      child.on('close', (c) => resolve([c, err]));
    });
    assert.equal(code, 0, `ssr user add ${u.email}: ${stderr}`);
  }

  // Starts the server. settings: organization settings PUT before anything else.
  async start({ settings = {}, env = {} } = {}) {
    assert.ok(fs.existsSync(kSsrBinary), `ssr binary not found at ${kSsrBinary} (build it, or set SSR_BINARY)`);
    assert.ok(fs.existsSync(path.join(kWebDir, 'index.html')),
      `the web app is not built: no ${kWebDir}/index.html (make web, or set SSR_WEB_DIR)`);
    this.tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'ssr-web-'));
    this.dataDir = path.join(this.tmp, 'data');
    fs.mkdirSync(this.dataDir);
    for (const u of Object.values(kUsers)) await this.addUser(u);
    const port = await freePort();
    this.origin = `http://127.0.0.1:${port}`;
    this.server = spawn(kSsrBinary, ['serve', '--listen', `127.0.0.1:${port}`, '--data', this.dataDir], {
      env: { ...process.env, SSR_API_KEY: kApiKey, SSR_CONTROL_TICK_MS: '100', SSR_TEST_FAULTS: '1',
        SSR_WEB_DIR: kWebDir, ...env },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    this.server.stderr.on('data', (d) => { this.log += d; });
    for (let i = 0; ; ++i) {
      try { if ((await fetch(this.origin + '/livez')).ok) break; } catch { /* not yet */ }
      assert.ok(i < 150 && this.server.exitCode === null, `ssr serve did not start: ${this.log}`);
      await sleep(100);
    }
    await this.ok('PUT', '/api/v1/settings', { countdown_s: 2, max_part_duration_s: 0, ...settings }, 200);
    await this.ok('POST', '/api/v1/sessions', {
      id: kSessionId, title: kSessionTitle, timezone: kHostZone,
      invitees: Object.values(kUsers).filter((u) => u.role).map((u) => ({ user: u.id, role: u.role })),
    }, 201);
    return this;
  }

  async joinEveryone() {
    for (const u of Object.values(kUsers)) {
      if (u.role) await this.post({ type: 'participant.join', id: u.pid, name: u.name, role: u.role, user: u.id, room: 'main' });
    }
  }

  // Plays the class described at the top and waits until both recordings are ready.
  async recordClass() {
    const slides = fs.mkdtempSync(path.join(this.tmp, 'slides-'));
    for (const [name, colour] of [['slide-1.png', 'navy'], ['slide-2.png', 'darkgreen']]) {
      const png = await makeSlide(path.join(slides, name), colour);
      await this.ok('PUT', `/api/v1/sessions/${kSessionId}/assets/${name}`, png, 201);
    }
    await this.joinEveryone();
    await this.post({ type: 'presentation.show', asset: 'slide-1.png' });
    await this.post({ type: 'room.open', id: 'b1', name: 'Group A' });
    this.startHeartbeat();
    try {
      const main = await this.ok('POST', `/api/v1/sessions/${kSessionId}/recordings`, { name: kMainTitle }, 202);
      await this.waitStatus(main.id, 'recording', 15);
      await sleep(1000);
      await this.post({ type: 'chat.message', from: kUsers.student1.pid, text: kChat1 });
      await sleep(700);
      await this.post({ type: 'presentation.show', asset: 'slide-2.png' });
      await sleep(1500);
      // Host and co-host leave the main room: its recording pauses (R7).
      await this.post({ type: 'participant.move', id: kUsers.host.pid, to: 'b1' });
      await this.post({ type: 'participant.move', id: kUsers.cohost.pid, to: 'b1' });
      await this.waitStatus(main.id, 'paused', 5);
      const br = await this.ok('POST', `/api/v1/sessions/${kSessionId}/recordings`, { room: 'b1' }, 202);
      await this.waitStatus(br.id, 'recording', 15);
      await sleep(1500);
      await this.post({ type: 'chat.message', room: 'b1', from: kUsers.host.pid, text: 'Said in Group A' });
      await sleep(1000);
      await this.post({ type: 'participant.move', id: kUsers.host.pid, to: 'main' });
      await this.waitStatus(main.id, 'recording', 5);
      await this.ok('POST', `/api/v1/recordings/${br.id}/stop`, undefined, 200);
      await sleep(1000);
      await this.post({ type: 'chat.message', from: kUsers.host.pid, text: kChat2 });
      await sleep(2000);
      await this.ok('POST', `/api/v1/recordings/${main.id}/stop`, undefined, 200);
      await this.post({ type: 'room.close', id: 'b1' });
      this.main = await this.waitStatus(main.id, 'ready', 30);
      this.breakout = await this.waitStatus(br.id, 'ready', 30);
    } finally {
      this.stopHeartbeat();
    }
    assert.equal(this.main.parts.length, 2, `the main recording has ${this.main.parts.length} parts`);
    assert.equal(this.main.title, kMainTitle);
    assert.equal(this.breakout.title, kBreakoutTitle);
    return this;
  }

  // Sharing through the API: GET for the ETag, then PUT the whole settings.
  async share(rid, settings) {
    const cur = await this.api('GET', `/api/v1/recordings/${rid}/sharing`);
    assert.equal(cur.status, 200, cur.text);
    const body = { stream_by: [], download_by: [], grants: [], release_at: null,
      release_timezone: kHostZone, ...settings };
    return this.ok('PUT', `/api/v1/recordings/${rid}/sharing`, body, 200,
      { headers: { 'If-Match': cur.headers.get('etag') } });
  }

  // The login cookie of an account (for API checks as that user).
  async cookieOf(user) {
    const r = await this.api('POST', '/api/v1/login', { email: user.email, password: kPassword }, { auth: false });
    assert.equal(r.status, 200, r.text);
    return r.headers.get('set-cookie').split(';')[0];
  }

  async stop() {
    this.stopHeartbeat();
    if (this.server && this.server.exitCode === null) {
      this.server.kill('SIGKILL');
      await new Promise((r) => this.server.once('exit', r));
    }
    if (this.tmp) fs.rmSync(this.tmp, { recursive: true, force: true });
  }
}

// A started classroom (with its recordings unless record is false).
export async function startClassroom({ record = true, settings, env } = {}) {
  const c = new Classroom();
  try {
    await c.start({ settings, env });
    if (record) await c.recordClass();
  } catch (e) {
    await c.stop();
    throw e;
  }
  return c;
}
