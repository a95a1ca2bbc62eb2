// Makes a tiny session bundle (contract: docs/session-events.md) for the browser tests:
// one host with a camera (ffmpeg testsrc2, VP8) and a microphone (440 Hz tone, Opus), one
// chat message, session.end at `durationS`.

import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

export const kChatText = 'Playback check ✅ مرحبا こんにちは';

export async function makeBundle(dir, { durationS = 6, chatAtS = 1 } = {}) {
  const tracks = path.join(dir, 'tracks');
  fs.mkdirSync(tracks, { recursive: true });
  const ffmpeg = ['-hide_banner', '-loglevel', 'error', '-nostdin', '-y'];
  await Promise.all([
    run('ffmpeg', [...ffmpeg,
      '-f', 'lavfi', '-i', `testsrc2=s=320x180:r=30:d=${durationS}`,
      '-c:v', 'libvpx', '-deadline', 'realtime', '-cpu-used', '8', '-threads', '1',
      '-b:v', '300k', '-g', '30', '-an', path.join(tracks, 'cam-1.webm')]),
    run('ffmpeg', [...ffmpeg,
      '-f', 'lavfi', '-i', `sine=f=440:r=48000:d=${durationS}`,
      '-c:a', 'libopus', '-b:a', '32k', path.join(tracks, 'mic-1.webm')]),
  ]);
  fs.writeFileSync(path.join(dir, 'session.json'),
    JSON.stringify({ id: 'browser-test', title: 'Browser playback check', timezone: 'UTC' }) + '\n');
  const events = [
    { t: 0, type: 'participant.join', id: 'p1', name: 'Tess Tester', role: 'host',
      user: 'tess@example.org' },
    { t: 0, type: 'track.publish', track: 'cam-1', participant: 'p1', kind: 'video',
      source: 'camera' },
    { t: 0, type: 'track.publish', track: 'mic-1', participant: 'p1', kind: 'audio',
      source: 'microphone' },
    { t: chatAtS, type: 'chat.message', from: 'p1', text: kChatText },
    { t: durationS, type: 'session.end' },
  ];
  fs.writeFileSync(path.join(dir, 'events.jsonl'),
    events.map((e) => JSON.stringify(e)).join('\n') + '\n');
  return dir;
}
