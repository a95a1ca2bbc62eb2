import { Api, ApiError } from './api.js';

// A session's notification stream. Same origin without a token the login cookie opens it;
// otherwise (a JWT, another origin) a short-lived ticket from POST .../notifications/ticket
// goes in the URL, since an EventSource cannot send a header. A closed stream (a ticket past
// its 5 minutes answers 401) is reopened with a fresh ticket, resuming after the last id.

export interface Notification {
  id?: string;
  type: string;
  recording_id?: string;
  room?: string;
  title?: string;
  attempt?: number;
  max_attempts?: number;
  attempts?: number;
  countdown_s?: number;
  deadline?: string;
  message?: string;
  recipient?: string;
  host_location?: string;
  automatic?: boolean;
}

export const kNotificationTypes = [
  'recording.initializing',
  'recording.attempt_failed',
  'recording.started',
  'recording.part_failed',
  'recording.paused',
  'recording.resumed',
  'recording.stopped',
  'recording.ready',
  'recording.failed',
  'autostart.failed',
];

export class NotificationStream {
  private source: EventSource | null = null;
  private lastId: string | null = null;
  private retry = 0;
  private timer: number | undefined;
  private stopped = false;

  constructor(
    private readonly api: Api,
    private readonly sessionId: string,
    private readonly onNotification: (n: Notification) => void,
  ) {}

  start() {
    this.stopped = false;
    void this.open();
  }

  stop() {
    this.stopped = true;
    clearTimeout(this.timer);
    this.source?.close();
    this.source = null;
  }

  private async streamUrl(): Promise<{ url: string; withCredentials: boolean }> {
    const sid = encodeURIComponent(this.sessionId);
    try {
      const t = await this.api.json<{ url: string }>('POST', `/api/v1/sessions/${sid}/notifications/ticket`, {});
      const u = new URL(this.api.url(t.url));
      if (this.lastId) u.searchParams.set('last_event_id', this.lastId);
      return { url: u.toString(), withCredentials: false };
    } catch (e) {
      // No ticket route (or refused): the cookie is the only other way.
      if (this.api.token || this.api.crossOrigin) throw e;
      const u = new URL(this.api.url(`/api/v1/sessions/${sid}/notifications`));
      if (this.lastId) u.searchParams.set('last_event_id', this.lastId);
      return { url: u.toString(), withCredentials: true };
    }
  }

  private async open() {
    if (this.stopped) return;
    let target;
    try {
      target = await this.streamUrl();
    } catch (e) {
      if (e instanceof ApiError && e.status === 404) return; // not a host here: nothing to hear
      return this.reopenLater();
    }
    if (this.stopped) return;
    const source = new EventSource(target.url, { withCredentials: target.withCredentials });
    this.source = source;
    source.onopen = () => {
      this.retry = 0;
    };
    for (const type of kNotificationTypes) {
      source.addEventListener(type, (ev) => {
        const me = ev as MessageEvent;
        if (me.lastEventId) this.lastId = me.lastEventId;
        try {
          const n = JSON.parse(me.data) as Notification;
          n.type ??= type;
          this.onNotification(n);
        } catch {
          /* a malformed message is skipped */
        }
      });
    }
    source.onerror = () => {
      if (source.readyState === EventSource.CLOSED) {
        source.close();
        this.reopenLater();
      }
    };
  }

  private reopenLater() {
    if (this.stopped) return;
    const delay = Math.min(30_000, 1000 * 2 ** this.retry++);
    this.timer = window.setTimeout(() => void this.open(), delay);
  }
}

function roomName(room: string | undefined): string {
  if (!room || room === 'main') return 'the main room';
  return `breakout room ${room}`;
}

// The words for each notification: the server's `message` (written for people), else ours.
export function notificationText(n: Notification): string | null {
  if (n.message) return n.message;
  const title = n.title ? `“${n.title}”` : 'The recording';
  const max = n.max_attempts ?? n.attempts;
  switch (n.type) {
    case 'recording.initializing':
      return n.attempt && n.attempt > 1 ? null : `${title} is starting. This can take up to three minutes.`;
    case 'recording.attempt_failed':
      return (
        n.message ??
        `Recording did not start${n.attempt && max ? ` (attempt ${n.attempt} of ${max})` : ''}; trying again.`
      );
    case 'recording.started':
      return n.automatic ? `${title} started recording automatically.` : `${title} is now recording.`;
    case 'recording.part_failed':
      return `Part of ${title} could not be written; recording goes on in a new part.`;
    case 'recording.paused':
      return `${title} is paused: nothing to record right now.`;
    case 'recording.resumed':
      return `${title} is recording again.`;
    case 'recording.stopped':
      return `${title} stopped. It will be ready to watch in a moment.`;
    case 'recording.ready':
      return `${title} is ready to watch in Recorded Sessions.`;
    case 'recording.failed':
      return `${title} could not be recorded${max ? ` after ${max} attempts` : ''}. ${n.message ?? ''}`.trim();
    case 'autostart.failed': {
      if (n.message) return n.message;
      const failed = roomName(n.room);
      const here = n.host_location ?? 'main';
      if (n.room === here) return `Automatic recording of this room did not start. You can start it with Record.`;
      return `Automatic recording of ${failed} did not start (you are in ${roomName(here)}).`;
    }
    default:
      return null;
  }
}
