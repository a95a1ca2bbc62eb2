// What an attendee sees (R12, R15): a recording shared with attendees and released a few
// seconds ahead is not there before its release and is after it, "Recorded On" in the
// attendee's own time zone (Tokyo; the host is in New York); "Download" only once download is
// allowed; someone not in the class has no "Recorded Sessions" tab at all.

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';

import { launchBrowser } from './chromium.mjs';
import { kHostZone, kMainTitle, kUsers, sleep, startClassroom } from './classroom-fixture.mjs';
import {
  eventually, localParts, logIn, newPage, openRecordedSessions, recordedSessionsTab, recordingItem,
} from './web-ui.mjs';

const kAttendeeZone = 'Asia/Tokyo';

// "Recorded On" as the app writes it: date, time and the zone's short name in the viewer's
// zone (the browser's locale is en-US here), e.g. "Dec 7, 2026, 12:05 AM GMT+9".
function recordedOnText(iso, timeZone) {
  return new Intl.DateTimeFormat('en-US', { timeZone, year: 'numeric', month: 'short', day: 'numeric',
    hour: 'numeric', minute: '2-digit', timeZoneName: 'short' }).format(new Date(iso));
}

describe('an attendee sees a recording from its release on', { timeout: 240_000 }, () => {
  let c;
  let browser;
  before(async () => {
    c = await startClassroom();
    browser = await launchBrowser();
  });
  after(async () => {
    await browser?.close();
    await c?.stop();
  });

  test('not before the release, then with Recorded On in Tokyo time; Download once allowed', async () => {
    const releaseMs = Date.now() + 12_000;
    const local = localParts(releaseMs + 1000, kHostZone);
    await c.share(c.main.id, { stream_by: ['attendees'], release_at: `${local.date}T${local.time}`,
      release_timezone: kHostZone });
    const page = await newPage(browser, { timezoneId: kAttendeeZone });
    await logIn(page, c.origin, kUsers.student1);
    // Before the release: no tab (nothing to show), and the player's page does not show it.
    assert.equal(await recordedSessionsTab(page).count(), 0, 'the tab shows before the release');
    await page.goto(`${c.origin}/recordings/${c.main.id}`);
    await page.getByText(/not found|does not exist|no longer|not available|cannot/i).first().waitFor();
    assert.equal(await page.getByText(kMainTitle).count(), 0, 'the title shows before the release');
    assert.ok(Date.now() < releaseMs, 'the checks before the release took too long to mean anything');

    await sleep(Math.max(0, releaseMs + 1500 - Date.now()));
    await page.goto(`${c.origin}/`);
    await openRecordedSessions(page);
    const item = recordingItem(page, kMainTitle);
    await item.waitFor();
    const text = await item.innerText();
    assert.match(text, /Recorded On/i);
    const tokyo = recordedOnText(c.main.recorded_at, kAttendeeZone);
    const newYork = recordedOnText(c.main.recorded_at, kHostZone);
    assert.ok(text.includes(tokyo), `"Recorded On" is not in Tokyo time (${tokyo}): ${text}`);
    assert.ok(!text.includes(newYork), `"Recorded On" is in the host's zone: ${text}`);
    await item.getByRole('button', { name: 'Watch Now' }).waitFor();
    assert.equal(await item.getByRole('button', { name: /Download/ }).or(item.getByRole('link', { name: /Download/ })).count(), 0,
      'Download shows without download rights');
    assert.equal(await item.getByRole('button', { name: 'Share' }).count(), 0, 'an attendee may not share');
    assert.equal(await item.getByRole('button', { name: 'Rename' }).count(), 0, 'an attendee may not rename');
    assert.equal(await page.getByText('Group A').count(), 0, 'the breakout recording (not shared) shows');

    await c.share(c.main.id, { stream_by: ['attendees'], download_by: ['attendees'] });
    await page.reload();
    await openRecordedSessions(page);
    const download = recordingItem(page, kMainTitle).getByRole('link', { name: /Download/ })
      .or(recordingItem(page, kMainTitle).getByRole('button', { name: /Download/ }));
    await eventually(async () => assert.equal(await download.count(), 2, 'one Download per part'));
    await page.context().close();
  });

  test('someone not in the class has no Recorded Sessions tab', async () => {
    await c.share(c.main.id, { stream_by: ['attendees'], download_by: ['attendees'] });
    const page = await newPage(browser, { timezoneId: kAttendeeZone });
    await logIn(page, c.origin, kUsers.stranger);
    await sleep(500);
    assert.equal(await recordedSessionsTab(page).count(), 0, 'a stranger has a Recorded Sessions tab');
    await page.goto(`${c.origin}/recordings/${c.main.id}`);
    await page.getByText(/not found|does not exist|no longer|not available|cannot/i).first().waitFor();
    assert.equal(await page.getByText(kMainTitle).count(), 0);
    await page.context().close();
  });
});
