// Dates, durations and statuses as people read them.

// "Recorded On" in the viewer's own zone (the browser's), with the zone's short name.
export const recordedOnFormat = new Intl.DateTimeFormat(undefined, {
  year: 'numeric',
  month: 'short',
  day: 'numeric',
  hour: 'numeric',
  minute: '2-digit',
  timeZoneName: 'short',
});

export function formatDateTime(iso: string | null | undefined): string {
  if (!iso) return '—';
  const d = new Date(iso);
  return isNaN(d.getTime()) ? iso : recordedOnFormat.format(d);
}

// 75.4 → "1:15", 3700 → "1:01:40"
export function formatClock(seconds: number): string {
  const s = Math.max(0, Math.floor(seconds || 0));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const ss = String(s % 60).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${ss}` : `${m}:${ss}`;
}

// 75 → "1 min 15 s", 3700 → "1 h 1 min"
export function formatDuration(seconds: number): string {
  const s = Math.round(seconds || 0);
  if (s < 60) return `${s} s`;
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  if (h > 0) return m ? `${h} h ${m} min` : `${h} h`;
  const rest = s % 60;
  return rest ? `${m} min ${rest} s` : `${m} min`;
}

const kStatus: Record<string, string> = {
  initializing: 'Starting',
  recording: 'Recording',
  paused: 'Paused',
  processing: 'Processing',
  ready: 'Ready',
  failed: 'Failed',
};

export function statusLabel(status: string): string {
  return kStatus[status] ?? status;
}

export function isActive(status: string): boolean {
  return status === 'initializing' || status === 'recording' || status === 'paused' || status === 'processing';
}

// A WebVTT file's cues (enough of the format for the chat and chapters sidecars).
export interface Cue {
  start: number;
  end: number;
  text: string;
  speaker?: string;
}

function vttTime(t: string): number {
  const parts = t.trim().split(':').map(Number);
  return parts.reduce((acc, p) => acc * 60 + p, 0);
}

export function parseVtt(text: string): Cue[] {
  const cues: Cue[] = [];
  const blocks = text.replace(/\r\n?/g, '\n').split(/\n\n+/);
  for (const block of blocks) {
    const lines = block.split('\n');
    const i = lines.findIndex((l) => l.includes('-->'));
    if (i < 0) continue;
    const [a, b] = lines[i].split('-->');
    const end = b.trim().split(/\s+/)[0];
    const raw = lines.slice(i + 1).join('\n');
    const voice = /^<v(?:\.[^\s>]*)?\s+([^>]*)>/.exec(raw);
    const body = raw
      .replace(/<[^>]+>/g, '')
      .replace(/&lt;/g, '<')
      .replace(/&gt;/g, '>')
      .replace(/&amp;/g, '&')
      .trim();
    cues.push({ start: vttTime(a), end: vttTime(end), text: body, speaker: voice?.[1]?.trim() });
  }
  return cues;
}

// The UTC instant of a wall-clock time "YYYY-MM-DDTHH:MM" in an IANA zone (null if unreadable).
export function zonedToInstant(local: string, timeZone: string): Date | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})/.exec(local);
  if (!m) return null;
  const wall = Date.UTC(+m[1], +m[2] - 1, +m[3], +m[4], +m[5]);
  let fmt: Intl.DateTimeFormat;
  try {
    fmt = new Intl.DateTimeFormat('en-US', { timeZone, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric' });
  } catch {
    return null;
  }
  const offsetAt = (t: number) => {
    const p = Object.fromEntries(fmt.formatToParts(new Date(t)).map((x) => [x.type, x.value]));
    return Date.UTC(+p.year, +p.month - 1, +p.day, +p.hour, +p.minute) - t;
  };
  let t = wall - offsetAt(wall);
  t = wall - offsetAt(t);
  return new Date(t);
}
