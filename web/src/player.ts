import { css, html, LitElement, nothing, PropertyValues } from 'lit';
import { allows, Api, ApiError, humanError, Recording, RecordingList, WatchUrl } from './api.js';
import { Cue, formatClock, formatDateTime, parseVtt } from './format.js';
import { playerStyles } from './player-styles.js';
import { base } from './styles.js';
import { define } from './toasts.js';

interface PartInfo {
  n: number;
  duration_s: number;
}

const kSeekStep = 5;
const kProgressEveryMs = 10_000;

// <ssr-player recording="RID"> (a signed-in viewer) or <ssr-player link="TOKEN"> (a share
// link: asks for an e-mail first), with [api-base] [token] [global-keys]. Plays the parts in
// order; the chat (from the part's chat.vtt) follows playback beside the video; chapters seek.
export class SsrPlayer extends LitElement {
  static styles = [base, playerStyles];

  static properties = {
    recording: { type: String },
    link: { type: String },
    phase: { state: true },
    title: { state: true },
    parts: { state: true },
    index: { state: true },
    watch: { state: true },
    chat: { state: true },
    chapters: { state: true },
    time: { state: true },
    others: { state: true },
    menuOpen: { state: true },
    error: { state: true },
    note: { state: true },
    fullscreen: { state: true },
    recordedAt: { state: true },
  };
  declare recording: string;
  declare link: string;
  declare phase: 'email' | 'loading' | 'ready' | 'error';
  declare title: string;
  declare parts: PartInfo[];
  declare index: number;
  declare watch: WatchUrl | null;
  declare chat: Cue[];
  declare chapters: Cue[];
  declare time: number;
  declare others: Recording[] | null;
  declare menuOpen: boolean;
  declare error: string;
  declare note: string;
  declare fullscreen: boolean;
  declare recordedAt: string;

  private email = '';
  private sessionId = '';
  private linkWatch = new Map<number, WatchUrl>();
  private renewTimer: number | undefined;
  private progressTimer: number | undefined;
  private lastReported = '';
  private pendingSeek: number | null = null;
  private autoplay = false;
  private renewedAfterError = false;

  constructor() {
    super();
    this.recording = '';
    this.link = '';
    this.phase = 'loading';
    this.title = '';
    this.parts = [];
    this.index = 0;
    this.watch = null;
    this.chat = [];
    this.chapters = [];
    this.time = 0;
    this.others = null;
    this.menuOpen = false;
    this.error = '';
    this.note = '';
    this.fullscreen = false;
    this.recordedAt = '';
  }

  private get api() {
    return Api.forElement(this);
  }

  get video(): HTMLVideoElement | null {
    return this.renderRoot.querySelector('video');
  }

  connectedCallback() {
    super.connectedCallback();
    this.addEventListener('keydown', this.onKey);
    if (this.hasAttribute('global-keys')) window.addEventListener('keydown', this.onWindowKey);
    window.addEventListener('pagehide', this.onPageHide);
    document.addEventListener('fullscreenchange', this.onFullscreenChange);
    document.addEventListener('click', this.onDocumentClick, true);
    this.progressTimer = window.setInterval(() => this.reportProgress(false), kProgressEveryMs);
    if (this.link) this.phase = 'email';
    else void this.loadRecording();
  }

  disconnectedCallback() {
    super.disconnectedCallback();
    this.reportProgress(true);
    this.removeEventListener('keydown', this.onKey);
    window.removeEventListener('keydown', this.onWindowKey);
    window.removeEventListener('pagehide', this.onPageHide);
    document.removeEventListener('fullscreenchange', this.onFullscreenChange);
    document.removeEventListener('click', this.onDocumentClick, true);
    clearInterval(this.progressTimer);
    clearTimeout(this.renewTimer);
  }

  // --- loading -------------------------------------------------------------------------

  private async loadRecording() {
    this.phase = 'loading';
    try {
      const r = await this.api.get<Recording>(`/api/v1/recordings/${encodeURIComponent(this.recording)}`);
      this.title = r.title;
      this.sessionId = r.session_id;
      this.recordedAt = r.recorded_at;
      this.parts = r.parts.filter((p) => p.status === 'ready').map((p) => ({ n: p.n, duration_s: p.duration_s }));
      if (this.parts.length === 0) {
        this.error = 'This recording is not ready to watch yet. Try again in a moment.';
        this.phase = 'error';
        return;
      }
      this.phase = 'ready';
      void this.loadOthers();
      await this.playPart(0, false);
    } catch (e) {
      this.error = humanError(e, 'open this recording');
      this.phase = 'error';
    }
  }

  private async loadOthers() {
    try {
      const list = await this.api.get<RecordingList>(
        `/api/v1/recordings?session_id=${encodeURIComponent(this.sessionId)}&limit=200`,
      );
      this.others = list.recordings.filter((r) => r.id !== this.recording && allows(r, 'watch') && r.status === 'ready');
    } catch {
      this.others = [];
    }
  }

  private async submitEmail(e: Event) {
    e.preventDefault();
    const input = this.renderRoot.querySelector<HTMLInputElement>('#email')!;
    this.email = input.value.trim();
    this.error = '';
    if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(this.email)) {
      this.error = 'Please enter a valid e-mail address, for example name@example.org.';
      input.focus();
      return;
    }
    try {
      const reply = await this.views();
      const rec = reply.recording as Recording | undefined;
      this.title = rec?.title ?? (reply.title as string) ?? '';
      this.recordedAt = rec?.recorded_at ?? '';
      const listed = rec?.parts ?? reply.parts;
      const parts = (Array.isArray(listed) ? listed : []).filter((p: { status?: string }) => !p.status || p.status === 'ready') as PartInfo[];
      this.parts = parts.length ? parts.map((p) => ({ n: p.n, duration_s: p.duration_s })) : [...this.linkWatch.keys()].map((n) => ({ n, duration_s: 0 }));
      this.phase = 'ready';
      await this.playPart(0, false);
    } catch (err) {
      if (err instanceof ApiError && err.status === 400) this.error = 'Please enter a valid e-mail address, for example name@example.org.';
      else if (err instanceof ApiError && err.status === 410) this.error = 'This link has expired or has been revoked. Ask the person who shared it for a new one.';
      else if (err instanceof ApiError && err.status === 404) this.error = 'This link does not exist. Check that you copied all of it.';
      else this.error = humanError(err, 'open this link');
    }
  }

  // POST /s/{token}/views: one watch URL per part (`watch`), or the one of `part`.
  private async views(part?: number): Promise<Record<string, unknown>> {
    const body: Record<string, unknown> = { email: this.email };
    if (part) body.part = part;
    const reply = await this.api.json<Record<string, unknown>>('POST', `/s/${encodeURIComponent(this.link)}/views`, body);
    const list = reply.watch as (WatchUrl & { n: number })[] | undefined;
    if (Array.isArray(list)) for (const w of list) this.linkWatch.set(w.n, w);
    if (typeof reply.url === 'string') this.linkWatch.set(Number(reply.part ?? part ?? 1), reply as unknown as WatchUrl);
    return reply;
  }

  private async watchUrl(n: number, fresh: boolean): Promise<WatchUrl> {
    if (this.link) {
      const cached = this.linkWatch.get(n);
      const stale = !cached || Date.parse(cached.expires_at) - Date.now() < 300_000;
      if (fresh || stale) await this.views(n);
      const w = this.linkWatch.get(n);
      if (!w) throw new ApiError(404, 'not_found', 'no watch URL for this part');
      return w;
    }
    return this.api.json<WatchUrl>('POST', `/api/v1/recordings/${encodeURIComponent(this.recording)}/parts/${n}/watch`, {});
  }

  private async playPart(i: number, autoplay: boolean) {
    if (i < 0 || i >= this.parts.length) return;
    this.reportProgress(false);
    this.index = i;
    this.chat = [];
    this.chapters = [];
    this.time = 0;
    this.autoplay = autoplay;
    this.renewedAfterError = false;
    try {
      this.setWatch(await this.watchUrl(this.parts[i].n, false));
    } catch (e) {
      this.note = humanError(e, `play part ${this.parts[i].n}`);
      return;
    }
    const w = this.watch!;
    void this.fetchCues(w.chat_url ?? `${w.url}/chat.vtt`).then((c) => (this.chat = c));
    void this.fetchCues(this.chaptersUrl(w)).then((c) => (this.chapters = c));
  }

  private chaptersUrl(w: WatchUrl) {
    return w.chapters_url ?? `${w.url.replace(/[?#].*$/, '')}/chapters.vtt`;
  }

  private async fetchCues(path: string): Promise<Cue[]> {
    try {
      const res = await fetch(this.api.url(path), { credentials: 'omit' });
      return res.ok ? parseVtt(await res.text()) : [];
    } catch {
      return [];
    }
  }

  private setWatch(w: WatchUrl) {
    this.watch = w;
    clearTimeout(this.renewTimer);
    const remaining = Date.parse(w.expires_at) - Date.now();
    if (!isFinite(remaining)) return;
    // Renew a few minutes before the end (halfway for short-lived URLs).
    const lead = Math.min(300_000, remaining / 2);
    this.renewTimer = window.setTimeout(() => void this.renew(), Math.max(1000, remaining - lead));
  }

  // A fresh watch URL for the same part; the video resumes where it was.
  private async renew(): Promise<boolean> {
    const old = this.watch;
    if (!old) return false;
    let fresh: WatchUrl | null = null;
    try {
      const res = await fetch(this.api.url(`${old.url}/renew`), {
        method: 'POST',
        credentials: 'omit',
        headers: { 'Content-Type': 'application/json' },
        body: '{}',
      });
      if (res.ok) fresh = { ...old, ...(await res.json()) };
    } catch {
      /* fall back below */
    }
    if (!fresh) {
      try {
        fresh = await this.watchUrl(this.parts[this.index].n, true);
      } catch {
        return false;
      }
    }
    this.reportProgress(false);
    const v = this.video;
    this.pendingSeek = v?.currentTime ?? null;
    this.autoplay = !!v && !v.paused;
    this.setWatch(fresh);
    return true;
  }

  // --- progress --------------------------------------------------------------------------

  private watchToken(): string | null {
    const m = /\/watch\/([^/?#]+)/.exec(this.watch?.url ?? '');
    return m ? m[1] : null;
  }

  private reportProgress(leaving: boolean) {
    const v = this.video;
    const token = this.watchToken();
    if (!v || !token || v.played.length === 0) return;
    const watched: [number, number][] = [];
    for (let i = 0; i < v.played.length; i++) {
      const span: [number, number] = [Math.round(v.played.start(i) * 10) / 10, Math.round(v.played.end(i) * 10) / 10];
      if (span[1] > span[0]) watched.push(span);
    }
    const body = JSON.stringify({ watched });
    if (!watched.length || body === this.lastReported) return;
    this.lastReported = body;
    void fetch(this.api.url(`/watch/${token}/progress`), {
      method: 'POST',
      credentials: 'omit',
      headers: { 'Content-Type': 'application/json' },
      body,
      keepalive: leaving,
    }).catch(() => {});
  }

  private onPageHide = () => this.reportProgress(true);

  // --- video events ----------------------------------------------------------------------

  private onLoadedMetadata() {
    const v = this.video!;
    if (this.pendingSeek !== null) {
      v.currentTime = this.pendingSeek;
      this.pendingSeek = null;
    }
    if (this.autoplay) void v.play().catch(() => {});
    this.autoplay = false;
  }

  private onEnded() {
    if (this.index + 1 < this.parts.length) {
      this.lastReported = '';
      void this.playPart(this.index + 1, true);
    }
  }

  private async onVideoError() {
    // An expired or revoked watch URL: one renewal, then tell the viewer.
    if (!this.renewedAfterError) {
      this.renewedAfterError = true;
      if (await this.renew()) return;
    }
    this.note = 'This video cannot be played right now. Your access may have ended; reload the page to try again.';
  }

  // --- controls --------------------------------------------------------------------------

  private stage(): HTMLElement | null {
    return this.renderRoot.querySelector('.stage');
  }

  async toggleFullscreen() {
    try {
      if (document.fullscreenElement) await document.exitFullscreen();
      else await this.stage()?.requestFullscreen();
    } catch {
      this.note = 'Full screen is not available here.';
    }
  }

  private onFullscreenChange = () => {
    this.fullscreen = !!document.fullscreenElement;
  };

  async togglePip() {
    const v = this.video;
    if (!v) return;
    try {
      if (document.pictureInPictureElement) await document.exitPictureInPicture();
      else await v.requestPictureInPicture();
    } catch {
      this.note = 'Picture-in-Picture is not available for this video right now.';
    }
  }

  private seekBy(delta: number) {
    const v = this.video;
    if (!v) return;
    const end = isFinite(v.duration) ? v.duration : Infinity;
    v.currentTime = Math.min(end, Math.max(0, v.currentTime + delta));
  }

  seek(t: number) {
    const v = this.video;
    if (!v) return;
    v.currentTime = t;
    this.time = t;
  }

  private togglePlay() {
    const v = this.video;
    if (!v) return;
    if (v.paused) void v.play().catch(() => {});
    else v.pause();
  }

  private handleKey(e: KeyboardEvent): void {
    if (e.ctrlKey || e.metaKey || e.altKey || this.phase !== 'ready') return;
    const target = e.composedPath()[0] as HTMLElement;
    const tag = target?.tagName;
    if (tag === 'INPUT' || tag === 'TEXTAREA' || tag === 'SELECT' || target?.isContentEditable) return;
    if (target?.closest?.('[role=menu]')) return;
    const onControl = tag === 'BUTTON' || tag === 'A' || tag === 'SUMMARY';
    // On the focused <video> its own controls already toggle playback with space.
    if (tag === 'VIDEO' && e.key === ' ') return;
    if (e.key === ' ' && !onControl) {
      e.preventDefault();
      this.togglePlay();
    } else if (e.key === 'ArrowLeft' || e.key === 'ArrowRight') {
      e.preventDefault();
      this.seekBy(e.key === 'ArrowLeft' ? -kSeekStep : kSeekStep);
    } else if (e.key === 'f' || e.key === 'F') {
      e.preventDefault();
      void this.toggleFullscreen();
    }
  }

  private onKey = (e: KeyboardEvent) => {
    if (e.defaultPrevented) return;
    this.handleKey(e);
  };

  // With global-keys, keys typed on the page (focus on <body>) control the player too.
  private onWindowKey = (e: KeyboardEvent) => {
    if (e.defaultPrevented || e.composedPath().includes(this)) return;
    const t = e.target as HTMLElement;
    if (t === document.body || t === document.documentElement) this.handleKey(e);
  };

  // A click outside the open menu closes it.
  private onDocumentClick = (e: MouseEvent) => {
    if (!this.menuOpen) return;
    const wrap = this.renderRoot.querySelector('.menu-wrap');
    if (wrap && !e.composedPath().includes(wrap)) this.menuOpen = false;
  };

  private toggleMenu() {
    this.menuOpen = !this.menuOpen;
    if (this.menuOpen) void this.updateComplete.then(() => this.menuItems()[0]?.focus());
  }

  private menuItems(): HTMLElement[] {
    return [...this.renderRoot.querySelectorAll<HTMLElement>('[role=menuitem]')];
  }

  private onMenuKey(e: KeyboardEvent) {
    const items = this.menuItems();
    const i = items.indexOf(e.composedPath()[0] as HTMLElement);
    if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
      e.preventDefault();
      const next = (i + (e.key === 'ArrowDown' ? 1 : -1) + items.length) % items.length;
      items[next]?.focus();
    } else if (e.key === 'Escape' || e.key === 'Tab') {
      if (e.key === 'Escape') e.preventDefault();
      this.menuOpen = false;
      this.renderRoot.querySelector<HTMLElement>('#more-button')?.focus();
    }
  }

  private openOther(r: Recording, e: Event) {
    const ev = new CustomEvent('ssr-watch', { detail: { recording: r }, bubbles: true, composed: true, cancelable: true });
    if (!this.dispatchEvent(ev)) {
      e.preventDefault();
      this.menuOpen = false;
    }
  }

  // Another recording set on a player already shown (a platform reusing the element).
  protected willUpdate(changed: PropertyValues) {
    if (changed.has('recording') && changed.get('recording') && this.recording && !this.link) {
      this.reportProgress(false);
      this.others = null;
      this.menuOpen = false;
      void this.loadRecording();
    }
  }

  protected updated(changed: PropertyValues) {
    if (changed.has('time')) {
      const list = this.renderRoot.querySelector('.chat ol');
      const last = list?.lastElementChild as HTMLElement | null;
      if (list && last && changed.get('time') !== undefined) list.scrollTop = list.scrollHeight;
    }
  }

  // --- rendering -------------------------------------------------------------------------

  private renderEmail() {
    return html`<div class="email">
      <form @submit=${this.submitEmail} class="card" novalidate>
        <h2>Watch a shared recording</h2>
        <p class="muted">Enter your e-mail address to watch. The person who shared this recording can see who watched it.</p>
        <label for="email">E-mail</label>
        <input id="email" type="email" autocomplete="email" required aria-invalid=${this.error ? "true" : "false"} />
        ${this.error ? html`<p class="error" role="alert">${this.error}</p>` : nothing}
        <div class="row end"><button type="submit" class="primary">Continue</button></div>
      </form>
    </div>`;
  }

  private renderMenu() {
    if (this.link) return nothing;
    return html`<div class="menu-wrap">
      <button
        id="more-button"
        type="button"
        class="icon"
        aria-haspopup="menu"
        aria-expanded=${this.menuOpen ? 'true' : 'false'}
        aria-controls="more-menu"
        title="Additional Recordings"
        @click=${this.toggleMenu}
      >
        <span aria-hidden="true">☰</span><span class="visually-hidden">Additional Recordings</span>
      </button>
      ${this.menuOpen
        ? html`<div id="more-menu" role="menu" aria-label="Additional Recordings" @keydown=${this.onMenuKey}>
            ${this.others === null
              ? html`<p class="muted" role="none">Loading…</p>`
              : this.others.length === 0
                ? html`<p class="muted" role="none">No other recordings of this session.</p>`
                : this.others.map(
                    (r) => html`<a role="menuitem" tabindex="-1" href=${this.api.url(`/recordings/${encodeURIComponent(r.id)}`)} @click=${(e: Event) => this.openOther(r, e)}
                      >${r.title}<span class="muted"> · ${formatDateTime(r.recorded_at)}</span></a
                    >`,
                  )}
          </div>`
        : nothing}
    </div>`;
  }

  private renderPlayer() {
    const w = this.watch;
    const part = this.parts[this.index];
    const chatSrc = w ? this.api.url(w.chat_url ?? `${w.url}/chat.vtt`) : '';
    const pip = 'pictureInPictureEnabled' in document && document.pictureInPictureEnabled;
    const now = this.time;
    const shownChat = this.chat.filter((c) => c.start <= now + 0.25);
    const current = [...this.chapters].reverse().find((c) => c.start <= now + 0.25);
    return html`<div class="layout">
      <div class="stage">
        <div class="topbar">
          <button type="button" class="icon" aria-label="Previous recording" title="Previous recording" ?disabled=${this.index === 0} @click=${() => this.playPart(this.index - 1, true)}>
            <span aria-hidden="true">‹</span>
          </button>
          <div class="center">
            ${this.renderMenu()}
            <div class="heading">
              <h2>${this.title}</h2>
              <p class="muted">Part ${part?.n ?? 1} of ${this.parts.length}${this.recordedAt ? html` · <time datetime=${this.recordedAt}>${formatDateTime(this.recordedAt)}</time>` : nothing}</p>
            </div>
          </div>
          <button type="button" class="icon" aria-label="Next recording" title="Next recording" ?disabled=${this.index >= this.parts.length - 1} @click=${() => this.playPart(this.index + 1, true)}>
            <span aria-hidden="true">›</span>
          </button>
        </div>
        <div class="screen">
          ${w
            ? html`<video
                controls
                preload="metadata"
                playsinline
                crossorigin=${this.api.crossOrigin ? 'anonymous' : nothing}
                src=${this.api.url(w.url)}
                aria-label=${`${this.title}, part ${part?.n ?? 1}`}
                @loadedmetadata=${this.onLoadedMetadata}
                @timeupdate=${(e: Event) => (this.time = (e.target as HTMLVideoElement).currentTime)}
                @seeked=${(e: Event) => (this.time = (e.target as HTMLVideoElement).currentTime)}
                @ended=${this.onEnded}
                @error=${this.onVideoError}
              >
                <track kind="subtitles" label="Chat" srclang="en" src=${chatSrc} />
                ${this.chapters.length ? html`<track kind="chapters" label="Chapters" srclang="en" default src=${this.api.url(this.chaptersUrl(w))} />` : nothing}
              </video>`
            : html`<div class="placeholder muted">Loading the video…</div>`}
        </div>
        <div class="controls row">
          <button type="button" aria-pressed=${this.fullscreen ? 'true' : 'false'} @click=${this.toggleFullscreen}>Full Screen</button>
          <button type="button" ?disabled=${!pip} @click=${this.togglePip}>Picture-in-Picture</button>
          <span class="muted keys">Keys: Space play/pause · ← → 5 s · F full screen</span>
        </div>
        ${this.note ? html`<p class="notice" role="status">${this.note}</p>` : nothing}
      </div>
      <aside class="side" aria-label="Chat and chapters">
        <section class="chapters" aria-labelledby="chapters-h">
          <h3 id="chapters-h">Chapters</h3>
          ${this.chapters.length
            ? html`<ol>
                ${this.chapters.map(
                  (c) => html`<li>
                    <button type="button" aria-current=${c === current ? 'true' : 'false'} @click=${() => this.seek(c.start)}>
                      <span class="t">${formatClock(c.start)}</span> ${c.text}
                    </button>
                  </li>`,
                )}
              </ol>`
            : html`<p class="muted">No chapters for this part.</p>`}
        </section>
        <section class="chat" aria-labelledby="chat-h">
          <h3 id="chat-h">Chat</h3>
          ${this.chat.length === 0
            ? html`<p class="muted">No chat messages in this part.</p>`
            : shownChat.length === 0
              ? html`<p class="muted">Messages appear here as the video plays.</p>`
              : nothing}
          <ol aria-live="off">
            ${shownChat.map(
              (c) => html`<li>
                <span class="t">${formatClock(c.start)}</span>
                ${c.speaker ? html`<strong>${c.speaker}</strong>` : nothing}
                <span class="msg">${c.text}</span>
              </li>`,
            )}
          </ol>
        </section>
      </aside>
    </div>`;
  }

  render() {
    if (this.phase === 'email') return this.renderEmail();
    if (this.phase === 'error') return html`<p class="error" role="alert">${this.error}</p>`;
    if (this.phase === 'loading') return html`<p class="muted">Loading the recording…</p>`;
    return this.renderPlayer();
  }
}

define('ssr-player', SsrPlayer);
