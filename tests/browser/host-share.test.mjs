// The host's way through the web app (R12, R14, R15): log in (a wrong password is told),
// Recorded Sessions, rename with Enter (saved) and Escape (not saved), the Share window:
// streaming by attendees with a release tomorrow 09:00 in the host's zone, Save; Cancel applies
// nothing; two hosts saving at once: the second is told and the first's settings stand.

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';

import { launchBrowser } from './chromium.mjs';
import { kBreakoutTitle, kHostZone, kMainTitle, kUsers, startClassroom } from './classroom-fixture.mjs';
import {
  eventually, fillLogin, localParts, logIn, logOutControl, messages, newPage, openRecordedSessions, openShare,
  recordedSessionsTab, recordingItem,
} from './web-ui.mjs';

describe('a host logs in, renames and shares a recording', { timeout: 240_000 }, () => {
  let c;
  let browser;
  let page;
  let title = kMainTitle;
  const sharing = async () => c.api('GET', `/api/v1/recordings/${c.main.id}/sharing`);

  before(async () => {
    c = await startClassroom();
    browser = await launchBrowser();
    page = await newPage(browser);
  });
  after(async () => {
    await browser?.close();
    await c?.stop();
  });

  test('a wrong password is told; the right one opens Recorded Sessions', async () => {
    await fillLogin(page, c.origin, kUsers.host.email, 'not-the-password');
    const told = messages(page).filter({ hasText: /password/i });
    await told.first().waitFor();
    assert.equal(await recordedSessionsTab(page).count(), 0, 'a tab shows after a wrong password');
    await logIn(page, c.origin, kUsers.host);
    await openRecordedSessions(page);
    const item = recordingItem(page, kMainTitle);
    await item.waitFor();
    await item.getByRole('button', { name: 'Watch Now' }).waitFor();
  });

  test('Rename: Enter saves the title, Escape keeps it', async () => {
    const item = recordingItem(page, title);
    await item.getByRole('button', { name: 'Rename' }).click();
    const box = page.getByRole('textbox', { name: 'Recording title' });
    await box.fill('Leaves, light and water');
    await box.press('Enter');
    title = 'Leaves, light and water';
    await eventually(async () => {
      const r = await c.api('GET', `/api/v1/recordings/${c.main.id}`);
      assert.equal(r.json.title, title);
    });
    await recordingItem(page, title).waitFor();

    await recordingItem(page, title).getByRole('button', { name: 'Rename' }).click();
    await box.fill('Not this title');
    await box.press('Escape');
    await box.waitFor({ state: 'hidden' });
    await recordingItem(page, title).waitFor();
    assert.equal(await page.getByText('Not this title').count(), 0, 'the cancelled title still shows');
    const r = await c.api('GET', `/api/v1/recordings/${c.main.id}`);
    assert.equal(r.json.title, title, 'Escape saved the title');
  });

  test('Share: streaming by attendees, released tomorrow 09:00 in the host\'s zone, Save', async () => {
    const dialog = await openShare(page, title);
    const tomorrow = localParts(Date.now() + 24 * 3600 * 1000, kHostZone).date;
    await dialog.getByRole('group', { name: 'Allow Streaming By' }).getByRole('checkbox', { name: 'Attendees' }).check();
    const schedule = dialog.getByRole('group', { name: 'Schedule a Recording to be Released' });
    // The zone the release is in is shown.
    assert.match(await schedule.innerText(), /New[ _]York|Eastern/, 'the Share window does not show the host\'s time zone');
    await schedule.getByLabel('Release date').fill(tomorrow);
    await schedule.getByLabel('Release time').fill('09:00');
    await dialog.getByRole('button', { name: 'Save' }).click();
    await dialog.waitFor({ state: 'hidden' });
    const r = await sharing();
    assert.equal(r.status, 200, r.text);
    assert.deepEqual(r.json.stream_by, ['attendees']);
    assert.deepEqual(r.json.download_by, []);
    assert.match(r.json.release_at, new RegExp(`^${tomorrow}T09:00(:00)?$`));
    assert.equal(r.json.release_timezone, kHostZone);
    assert.equal(r.json.version, 1);
  });

  test('Cancel with changes applies nothing', async () => {
    const before = (await sharing()).json;
    const dialog = await openShare(page, title);
    const download = dialog.getByRole('group', { name: 'Allow Download By' });
    await download.getByRole('checkbox', { name: 'Presenters' }).check();
    await dialog.getByRole('group', { name: 'Allow Streaming By' }).getByRole('checkbox', { name: 'Attendees' }).uncheck();
    // Unsaved changes: the app asks first (its own dialog or the browser's); the answer is yes.
    page.once('dialog', (d) => d.accept());
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    const confirm = page.getByRole('alertdialog').or(page.getByRole('dialog').filter({ hasNotText: 'Allow Streaming By' }));
    await eventually(async () => {
      if (await confirm.count()) await confirm.first().getByRole('button', { name: /^(Yes|Discard)/ }).click();
      assert.equal(await dialog.count(), 0, 'the Share window is still open');
    });
    const now = (await sharing()).json;
    assert.deepEqual(now, before, 'Cancel changed the sharing settings');
    // Opened again, it shows what is saved.
    const again = await openShare(page, title);
    assert.ok(await again.getByRole('group', { name: 'Allow Streaming By' }).getByRole('checkbox', { name: 'Attendees' }).isChecked());
    assert.ok(!(await again.getByRole('group', { name: 'Allow Download By' }).getByRole('checkbox', { name: 'Presenters' }).isChecked()));
    await again.getByRole('button', { name: 'Cancel' }).click();
    await again.waitFor({ state: 'hidden' });
  });

  test('two hosts save at once: the second is told, the first\'s settings stand', async () => {
    const other = await newPage(browser);
    try {
      await logIn(other, c.origin, kUsers.cohost);
      await openRecordedSessions(other);
      const first = await openShare(page, title);
      const second = await openShare(other, title);
      await first.getByRole('group', { name: 'Allow Download By' }).getByRole('checkbox', { name: 'Attendees' }).check();
      await second.getByRole('group', { name: 'Allow Streaming By' }).getByRole('checkbox', { name: 'Presenters' }).check();
      await first.getByRole('button', { name: 'Save' }).click();
      await first.waitFor({ state: 'hidden' });
      await second.getByRole('button', { name: 'Save' }).click();
      const told = messages(other).filter({ hasText: /changed|someone else|another|meanwhile|since you opened/i });
      await told.first().waitFor();
      const r = (await sharing()).json;
      assert.deepEqual(r.stream_by, ['attendees'], 'the second save overwrote streaming');
      assert.deepEqual(r.download_by, ['attendees'], 'the first save is lost');
      assert.equal(r.updated_by, kUsers.host.id);
    } finally {
      await other.context().close();
    }
  });

  test('Delete asks first; "Yes" deletes', async () => {
    const item = recordingItem(page, kBreakoutTitle);
    await item.getByRole('button', { name: 'Delete' }).click();
    const ask = page.getByRole('dialog').filter({ has: page.getByRole('button', { name: 'Yes', exact: true }) });
    await ask.getByRole('button', { name: 'No', exact: true }).click();
    await ask.waitFor({ state: 'hidden' });
    assert.equal((await c.api('GET', `/api/v1/recordings/${c.breakout.id}`)).status, 200, '"No" deleted the recording');
    await item.getByRole('button', { name: 'Delete' }).click();
    await ask.getByRole('button', { name: 'Yes', exact: true }).click();
    await item.waitFor({ state: 'detached' });
    assert.equal((await c.api('GET', `/api/v1/recordings/${c.breakout.id}`)).status, 404);
    await recordingItem(page, title).waitFor();
  });

  test('Log out ends the login', async () => {
    await logOutControl(page).first().click();
    await page.getByLabel('E-mail').waitFor();
    assert.equal(await recordedSessionsTab(page).count(), 0);
    const cookies = await page.context().cookies();
    const session = cookies.find((k) => k.name === 'ssr_session');
    if (session) {
      const me = await c.api('GET', '/api/v1/me', undefined, { cookie: `ssr_session=${session.value}` });
      assert.equal(me.status, 401, 'the old cookie still works after Log out');
    }
  });
});
