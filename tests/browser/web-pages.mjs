// Every page of the web app, opened as the person who sees it, in a state worth looking at.
// The accessibility/layout test and scripts/web-screenshots visit the same list.

import { kMainTitle, kUsers } from './classroom-fixture.mjs';
import { logIn, newPage, openRecordedSessions, openShare, recordingItem } from './web-ui.mjs';

// Waits until the first <video> shows a frame at `at` seconds (paused).
async function videoFrameAt(page, at) {
  const video = page.locator('video').first();
  await video.waitFor({ state: 'attached' });
  await video.evaluate(async (v, t) => {
    await new Promise((r) => (v.readyState >= 1 ? r() : v.addEventListener('loadedmetadata', r, { once: true })));
    v.pause();
    await new Promise((r) => { v.addEventListener('seeked', r, { once: true }); v.currentTime = Math.min(t, v.duration - 0.1); });
    await new Promise((r) => (v.readyState >= 3 ? r() : v.addEventListener('canplay', r, { once: true })));
  }, at);
  await page.waitForTimeout(500);  // the native controls drop their spinner
}

export const kPages = [
  { name: 'login', user: null, open: async (page, c) => {
    await page.goto(c.origin + '/');
    await page.getByLabel('E-mail').waitFor();
  } },
  { name: 'recorded-sessions', user: kUsers.host, open: async (page, c) => {
    await page.goto(c.origin + '/');
    await openRecordedSessions(page);
    await recordingItem(page, kMainTitle).waitFor();
  } },
  { name: 'share', user: kUsers.host, open: async (page, c) => {
    await page.goto(c.origin + '/');
    await openRecordedSessions(page);
    await openShare(page, kMainTitle);
  } },
  { name: 'player', user: kUsers.host, open: async (page, c) => {
    await page.goto(`${c.origin}/recordings/${c.main.id}`);
    await page.getByRole('button', { name: 'Next recording' }).waitFor();
    await videoFrameAt(page, 2.5);
  } },
  { name: 'record', user: kUsers.host, open: async (page, c) => {
    await page.goto(`${c.origin}/sessions/${c.sessionId}`);
    await page.getByRole('button', { name: 'Record', exact: true }).waitFor();
  } },
  { name: 'share-link', user: null, open: async (page, c) => {
    await page.goto(c.origin + (await c.shareLink()).url);
    await page.getByLabel('E-mail').waitFor();
  } },
  { name: 'share-link-playing', user: null, screenshot: false, open: async (page, c) => {
    await page.goto(c.origin + (await c.shareLink()).url);
    await page.getByLabel('E-mail').fill('layout@example.org');
    await page.getByLabel('E-mail').press('Enter');
    await videoFrameAt(page, 1);
  } },
];

// A page of the browser at this viewport, signed in as `user` when given (through the sign-in
// form the first time; later pages reuse that login's cookie).
export async function openAs(browser, c, { user, viewport, bypassCSP = false }) {
  c.logins ??= new Map();
  const page = await newPage(browser, { viewport, bypassCSP, storageState: user ? c.logins.get(user.id) : undefined });
  if (user && !c.logins.has(user.id)) {
    await logIn(page, c.origin, user);
    c.logins.set(user.id, await page.context().storageState());
  }
  return page;
}
