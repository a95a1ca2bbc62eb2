// What the web app's browser tests do as a person would: open pages, log in with the labelled
// fields, find things by role and accessible name. Shared by the tests and scripts/web-screenshots.

import assert from 'node:assert/strict';
import { kHostZone, kPassword, sleep } from './classroom-fixture.mjs';

export const kViewports = { '1280x720': { width: 1280, height: 720 }, '390x844': { width: 390, height: 844 } };

// A new context and page: its own cookies, time zone and viewport. Page errors are collected
// in page.problems (tests assert there are none where it matters).
export async function newPage(browser, { timezoneId = kHostZone, viewport = kViewports['1280x720'],
  bypassCSP = false, storageState } = {}) {
  const context = await browser.newContext({ timezoneId, viewport, locale: 'en-US', acceptDownloads: true,
    bypassCSP, storageState });
  const page = await context.newPage();
  page.setDefaultTimeout(15_000);
  page.problems = [];
  page.on('pageerror', (e) => page.problems.push(`page error: ${e.message}`));
  // Chromium logs every 4xx/5xx fetch as "Failed to load resource": answers the app handles
  // (401 before sign-in, 404 of a missing sidecar) are not problems; the app's own errors are.
  page.on('console', (m) => {
    if (m.type() === 'error' && !m.text().startsWith('Failed to load resource')) page.problems.push(`console: ${m.text()}`);
  });
  return page;
}

// Retries fn until it returns without throwing (or the time is up: its last error is thrown).
export async function eventually(fn, { timeoutMs = 10_000, stepMs = 100 } = {}) {
  const end = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await fn();
    } catch (e) {
      if (Date.now() > end) throw e;
    }
    await sleep(stepMs);
  }
}

// The "Recorded Sessions" tab (a tab or a link).
export function recordedSessionsTab(page) {
  return page.getByRole('tab', { name: 'Recorded Sessions' }).or(page.getByRole('link', { name: 'Recorded Sessions' }));
}

export function logOutControl(page) {
  return page.getByRole('button', { name: /^log ?out$/i }).or(page.getByRole('link', { name: /^log ?out$/i }));
}

// Fills the sign-in form at / and presses "Log in".
export async function fillLogin(page, origin, email, password) {
  await page.goto(origin + '/');
  await page.getByLabel('E-mail').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Log in' }).click();
}

export async function logIn(page, origin, user) {
  await fillLogin(page, origin, user.email, kPassword);
  await logOutControl(page).first().waitFor();
}

// The list entry of one recording on the Recorded Sessions page (a list item, table row or
// article holding its title).
export function recordingItem(page, title) {
  return page.getByRole('listitem').or(page.getByRole('row')).or(page.getByRole('article'))
    .filter({ has: page.getByText(title, { exact: true }) }).last();
}

export async function openRecordedSessions(page) {
  await recordedSessionsTab(page).first().click();
}

// The Share window of a recording, opened from its entry.
export async function openShare(page, title) {
  await recordingItem(page, title).getByRole('button', { name: 'Share' }).click();
  const dialog = page.getByRole('dialog', { name: 'Share' });
  await dialog.waitFor();
  return dialog;
}

// Messages the app shows for people (role status or alert).
export function messages(page) {
  return page.getByRole('status').or(page.getByRole('alert'));
}

// "YYYY-MM-DD" and "HH:MM:SS" of an instant in a time zone.
export function localParts(ms, timeZone) {
  const f = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit',
    hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23' });
  const p = Object.fromEntries(f.formatToParts(new Date(ms)).map((x) => [x.type, x.value]));
  return { date: `${p.year}-${p.month}-${p.day}`, time: `${p.hour}:${p.minute}:${p.second}` };
}

// Runs axe-core in the page (CSP must be bypassed for the injected script) and returns the
// serious and critical violations, each as "rule: target (help)".
export async function axeViolations(page) {
  const axePath = new URL('./node_modules/axe-core/axe.min.js', import.meta.url).pathname;
  if (!(await page.evaluate(() => 'axe' in window))) await page.addScriptTag({ path: axePath });
  const result = await page.evaluate(() => window.axe.run(document, { resultTypes: ['violations'] }));
  return result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .flatMap((v) => v.nodes.map((n) => `${v.id} (${v.impact}): ${n.target.join(' ')} — ${v.help}`));
}

// How far the page reaches past the viewport horizontally (0 when nothing overflows).
export async function horizontalOverflow(page) {
  return page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
}

export function assertNoProblems(page) {
  assert.deepEqual(page.problems, [], 'the page logged errors');
}
