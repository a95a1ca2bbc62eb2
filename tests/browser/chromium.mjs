// Runs a function against Debian's headless Chromium through playwright-core (no browser
// download here), with a fresh profile, a time limit, and the browser always closed.
// Chromium is kept off the network: only 127.0.0.1 resolves.

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium } from 'playwright-core';

export const kChromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export const kArgs = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
  '--no-default-browser-check',
  '--autoplay-policy=no-user-gesture-required',
  '--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1',
];

// Throws (so the test fails, never skips) when Chromium is not there.
export function assertChromium() {
  try {
    fs.accessSync(kChromiumPath, fs.constants.X_OK);
  } catch {
    throw new Error(`Chromium not found at ${kChromiumPath}: install Debian's chromium ` +
      '(scripts/install-deps) or set CHROMIUM_PATH');
  }
}

// Calls fn(page) and returns its result. Throws when Chromium is missing, when fn throws, or
// when it takes longer than timeoutMs.
export async function withChromium(fn, { timeoutMs = 60_000 } = {}) {
  assertChromium();
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'ssr-chromium-'));
  let context;
  let timer;
  try {
    context = await chromium.launchPersistentContext(profile, {
      executablePath: kChromiumPath,
      headless: true,
      args: kArgs,
      timeout: 30_000,
    });
    const page = context.pages()[0] ?? await context.newPage();
    page.setDefaultTimeout(timeoutMs);
    const timeout = new Promise((_, reject) => {
      timer = setTimeout(() => reject(new Error(`Chromium run exceeded ${timeoutMs} ms`)),
        timeoutMs);
    });
    return await Promise.race([fn(page), timeout]);
  } finally {
    clearTimeout(timer);
    if (context) await context.close().catch(() => {});
    fs.rmSync(profile, { recursive: true, force: true });
  }
}

// A browser for tests that need several contexts (two users at once, other time zones).
// Close it with closeBrowser(browser) in an after() hook.
export async function launchBrowser() {
  assertChromium();
  return chromium.launch({ executablePath: kChromiumPath, headless: true, args: kArgs, timeout: 30_000 });
}
