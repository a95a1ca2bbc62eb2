// The one HTTP client of the app and the elements. An element's `api-base` attribute names
// the ssr origin (empty: this page's origin) and `token` a user's JWT: with a token every
// request carries `Authorization: Bearer`, without one the login cookie goes along.

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly body: Record<string, unknown> = {},
    readonly etag: string | null = null,
  ) {
    super(message);
  }
}

export class Api {
  constructor(
    readonly base: string = '',
    readonly token: string | null = null,
  ) {}

  static forElement(el: Element): Api {
    return new Api(el.getAttribute('api-base') ?? '', el.getAttribute('token') || null);
  }

  // An absolute URL for a path of ssr (watch and share URLs come back relative).
  url(path: string): string {
    const origin = this.base ? this.base.replace(/\/+$/, '') : location.origin;
    return new URL(path, origin + '/').toString();
  }

  get crossOrigin(): boolean {
    return new URL(this.url('/')).origin !== location.origin;
  }

  async fetch(method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<Response> {
    const init: RequestInit = { method, headers: { ...headers } };
    const h = init.headers as Record<string, string>;
    if (this.token) {
      h['Authorization'] = `Bearer ${this.token}`;
      init.credentials = 'omit';
    } else {
      init.credentials = 'include';
    }
    if (body !== undefined) {
      h['Content-Type'] = 'application/json';
      init.body = JSON.stringify(body);
    }
    let res: Response;
    try {
      res = await fetch(this.url(path), init);
    } catch {
      throw new ApiError(0, 'network', 'The server could not be reached. Check your connection and try again.');
    }
    if (!res.ok) {
      let parsed: Record<string, unknown> = {};
      try {
        parsed = await res.json();
      } catch {
        /* not JSON */
      }
      const err = (parsed.error ?? {}) as Record<string, unknown>;
      throw new ApiError(
        res.status,
        String(err.code ?? 'http_' + res.status),
        String(err.message ?? res.statusText),
        err,
        res.headers.get('ETag'),
      );
    }
    return res;
  }

  async json<T>(method: string, path: string, body?: unknown, headers?: Record<string, string>): Promise<T> {
    const res = await this.fetch(method, path, body, headers);
    if (res.status === 204) return undefined as T;
    return (await res.json()) as T;
  }

  get<T>(path: string): Promise<T> {
    return this.json<T>('GET', path);
  }

  // Saves a file the server answers with: a plain link when the cookie authenticates it,
  // else fetched with the token and handed over as a blob.
  async download(path: string, fallbackName: string): Promise<void> {
    if (!this.token && !this.crossOrigin) {
      clickLink(this.url(path), '');
      return;
    }
    const res = await this.fetch('GET', path);
    const name = fileNameOf(res.headers.get('Content-Disposition')) ?? fallbackName;
    const href = URL.createObjectURL(await res.blob());
    clickLink(href, name);
    setTimeout(() => URL.revokeObjectURL(href), 60_000);
  }
}

function clickLink(href: string, name: string) {
  const a = document.createElement('a');
  a.href = href;
  a.download = name;
  a.rel = 'noopener';
  document.body.append(a);
  a.click();
  a.remove();
}

function fileNameOf(disposition: string | null): string | null {
  if (!disposition) return null;
  const star = /filename\*=UTF-8''([^;]+)/i.exec(disposition);
  if (star) return decodeURIComponent(star[1]);
  const plain = /filename="([^"]+)"/i.exec(disposition);
  return plain ? plain[1] : null;
}

// What to tell a person when a request failed; `what` names the thing tried
// ("load your recordings").
export function humanError(e: unknown, what: string): string {
  if (!(e instanceof ApiError)) return `Something went wrong while trying to ${what}. Please try again.`;
  switch (e.status) {
    case 0:
      return `We could not reach the server to ${what}. Check your connection and try again.`;
    case 401:
      return `You are not signed in (or your sign-in has expired). Sign in again to ${what}.`;
    case 403:
      return `You are not allowed to ${what}.`;
    case 404:
      return `We could not ${what}: it no longer exists, or it is not available to you.`;
    case 409:
      return `We could not ${what}: ${e.message}`;
    case 410:
      return `We could not ${what}: this link or video address is no longer valid.`;
    default:
      if (e.status >= 500) return `The server had a problem while trying to ${what}. Please try again in a moment.`;
      return `We could not ${what}: ${e.message}`;
  }
}

export interface Me {
  caller: 'user' | 'platform';
  user: { id: string; name: string; email: string } | null;
  has_recordings: boolean;
}

export interface Part {
  n: number;
  status: string;
  duration_s: number;
  size_bytes?: number;
}

export interface Recording {
  id: string;
  session_id: string;
  room: string;
  title: string;
  status: string;
  recorded_at: string;
  duration_s: number;
  attempt?: number;
  attempts?: number;
  max_attempts?: number;
  countdown_s?: number;
  countdown_ends_at?: string;
  deadline?: string;
  automatic?: boolean;
  error?: string | null;
  parts: Part[];
  actions?: string[];
  release_at?: string | null;
}

export interface RecordingList {
  recordings: Recording[];
  total?: number;
  limit?: number;
  offset?: number;
}

export interface SessionInfo {
  id: string;
  title: string;
  timezone: string;
  ended?: boolean;
  your_role?: string;
  can_record?: boolean;
}

export interface WatchUrl {
  url: string;
  chat_url?: string;
  chapters_url?: string;
  expires_at: string;
}

// Which actions an item allows; a server without `actions` yet: watch and download.
export function allows(r: Recording, action: string): boolean {
  if (r.actions) return r.actions.includes(action);
  return action === 'watch' || action === 'download';
}
