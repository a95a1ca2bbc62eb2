// Checks run inside the page on the app's <video> (given by a locator, shadow DOM included).

// Plays, seeks near the end and back to 0 and plays again; loads the chat <track> and looks
// for chatText among its cues. Returns what it saw; throws on a timeout or a media error.
export async function playSeekAndReadChat(video, { chatText, stepMs }) {
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

  const trackEl = Array.from(video.querySelectorAll('track')).find((t) => t.kind !== 'chapters');
  result.hasTrack = !!trackEl;
  if (trackEl) {
    result.trackModeAtStart = trackEl.track.mode;
    if (trackEl.track.mode === 'disabled') trackEl.track.mode = 'hidden';
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

// Seeks to `to` (seconds) and waits for the seek to land.
export async function seekTo(video, to) {
  await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`seek to ${to} did not land (at ${video.currentTime})`)), 10_000);
    video.addEventListener('seeked', () => { clearTimeout(timer); resolve(); }, { once: true });
    video.currentTime = to;
  });
  return video.currentTime;
}

export async function videoState(video) {
  return { src: video.currentSrc, currentTime: video.currentTime, duration: video.duration, paused: video.paused,
    ended: video.ended, readyState: video.readyState, error: video.error ? video.error.code : null };
}
