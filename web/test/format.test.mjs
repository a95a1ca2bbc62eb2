// Unit tests of the app's pure helpers (WebVTT cues, durations, the route table), run with
// `npm test` in web/: esbuild bundles the TypeScript module in memory, node:test checks it.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { build } from 'esbuild';

async function load(entry) {
  const out = await build({ entryPoints: [new URL(entry, import.meta.url).pathname], bundle: true, format: 'esm',
    write: false, platform: 'neutral', logLevel: 'silent' });
  return import('data:text/javascript;base64,' + Buffer.from(out.outputFiles[0].text).toString('base64'));
}

const format = await load('../src/format.ts');

test('parseVtt reads the chat sidecar: times, speaker, text with escapes', () => {
  const cues = format.parseVtt('WEBVTT\n\n1\n00:00:02.500 --> 00:00:07.000\n<v Sami Student>Leaves &amp; light &lt;3\n\n' +
    '2\n00:01:05.000 --> 01:00:00.250 align:start\n<v Ann>two\nlines\n');
  assert.equal(cues.length, 2);
  assert.deepEqual(cues[0], { start: 2.5, end: 7, text: 'Leaves & light <3', speaker: 'Sami Student' });
  assert.equal(cues[1].start, 65);
  assert.equal(cues[1].end, 3600.25);
  assert.equal(cues[1].text, 'two\nlines');
});

test('parseVtt reads chapters (no speaker) and skips blocks without a timing line', () => {
  const cues = format.parseVtt('WEBVTT\r\n\r\nNOTE made by ssr\r\n\r\n00:00.000 --> 00:03.000\r\nStart\r\n\r\n00:03.000 --> 00:09.000\r\nSlide 2 · deck.pdf\r\n');
  assert.deepEqual(cues.map((c) => [c.start, c.text, c.speaker]), [[0, 'Start', undefined], [3, 'Slide 2 · deck.pdf', undefined]]);
});

test('durations and clocks', () => {
  assert.equal(format.formatDuration(0), '0 s');
  assert.equal(format.formatDuration(59.6), '1 min');
  assert.equal(format.formatDuration(75), '1 min 15 s');
  assert.equal(format.formatDuration(3700), '1 h 1 min');
  assert.equal(format.formatDuration(7200), '2 h');
  assert.equal(format.formatClock(75.4), '1:15');
  assert.equal(format.formatClock(3700), '1:01:40');
  assert.equal(format.formatClock(-3), '0:00');
});

test('statuses are worded for people and active ones are known', () => {
  assert.equal(format.statusLabel('initializing'), 'Starting');
  assert.equal(format.statusLabel('ready'), 'Ready');
  assert.equal(format.statusLabel('something-new'), 'something-new');
  assert.ok(format.isActive('processing'));
  assert.ok(!format.isActive('failed'));
});

test('Recorded On is written in the given zone with its name', () => {
  const f = new Intl.DateTimeFormat('en-US', { ...format.recordedOnFormat.resolvedOptions(), timeZone: 'Asia/Tokyo' });
  assert.equal(f.format(new Date('2026-12-06T15:05:00Z')), 'Dec 7, 2026, 12:05 AM GMT+9');
  assert.equal(format.formatDateTime(null), '—');
});

test('a wall-clock time in a zone becomes its instant (DST included)', () => {
  assert.equal(format.zonedToInstant('2026-12-01T09:00', 'America/New_York').toISOString(), '2026-12-01T14:00:00.000Z');
  assert.equal(format.zonedToInstant('2026-07-01T09:00', 'America/New_York').toISOString(), '2026-07-01T13:00:00.000Z');
  assert.equal(format.zonedToInstant('2026-12-01T09:00', 'UTC').toISOString(), '2026-12-01T09:00:00.000Z');
  assert.equal(format.zonedToInstant('tomorrow', 'UTC'), null);
  assert.equal(format.zonedToInstant('2026-12-01T09:00', 'Not/AZone'), null);
});
