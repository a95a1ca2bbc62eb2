import { css, html, LitElement, nothing } from 'lit';
import { Api, ApiError, humanError, Recording, RecordingList, SessionInfo } from './api.js';
import { isActive } from './format.js';
import { Notification, notificationText, NotificationStream } from './notifications.js';
import { base } from './styles.js';
import { define, SsrToasts } from './toasts.js';

// <ssr-record-button session="SID" [room="main"] [api-base] [token]>: the host's Record
// button. Idle: "Record" (asks for a name, then starts). Initializing: "Initializing", the
// seconds left of this attempt and "attempt N of M". Recording: green, named
// "Stop recording" (asks "Stop recording?" Yes/No). Notifications pop up as role="status".
export class SsrRecordButton extends LitElement {
  static styles = [
    base,
    css`
      :host {
        display: inline-block;
      }
      .record {
        display: inline-flex;
        align-items: center;
        gap: 0.5rem;
        font-weight: 600;
        padding: 0.5rem 1rem;
        min-height: 2.75rem;
      }
      .dot {
        width: 0.75rem;
        height: 0.75rem;
        border-radius: 50%;
        background: var(--danger);
        flex: none;
      }
      .record.initializing {
        background: #fffbeb;
        border-color: #b45309;
        color: #78350f;
      }
      .record.initializing .dot {
        background: #b45309;
        animation: pulse 1.2s ease-in-out infinite;
      }
      .record.recording {
        background: var(--ok);
        border-color: var(--ok);
        color: #fff;
      }
      .record.recording:hover:not(:disabled) {
        background: #166534;
      }
      .record.recording .dot {
        background: #fff;
        animation: pulse 1.6s ease-in-out infinite;
      }
      @keyframes pulse {
        50% {
          opacity: 0.35;
        }
      }
      @media (prefers-reduced-motion: reduce) {
        .dot {
          animation: none !important;
        }
      }
      .state {
        margin-left: 0.5rem;
      }
      label {
        display: block;
        font-weight: 600;
        margin-bottom: 0.25rem;
      }
      input {
        width: 100%;
      }
      dialog {
        max-width: min(28rem, calc(100vw - 1.5rem));
      }
      .error {
        margin-top: 0.75rem;
      }
      .actions {
        margin-top: 1rem;
      }
    `,
  ];

  static properties = {
    session: { type: String },
    room: { type: String },
    info: { state: true },
    rec: { state: true },
    ask: { state: true },
    error: { state: true },
    dialogError: { state: true },
    busy: { state: true },
    now: { state: true },
  };
  declare session: string;
  declare room: string;
  declare info: SessionInfo | null;
  declare rec: Recording | null;
  declare ask: 'none' | 'start' | 'stop';
  declare error: string;
  declare dialogError: string;
  declare busy: boolean;
  declare now: number;

  private stream: NotificationStream | null = null;
  private ticker: number | undefined;
  private poller: number | undefined;
  private deadline: number | null = null;
  private announced = new Set<string>();

  constructor() {
    super();
    this.session = '';
    this.room = 'main';
    this.info = null;
    this.rec = null;
    this.ask = 'none';
    this.error = '';
    this.dialogError = '';
    this.busy = false;
    this.now = Date.now();
  }

  private get api() {
    return Api.forElement(this);
  }

  connectedCallback() {
    super.connectedCallback();
    void this.load();
  }

  disconnectedCallback() {
    super.disconnectedCallback();
    this.stream?.stop();
    clearInterval(this.ticker);
    clearInterval(this.poller);
  }

  private async load() {
    const sid = encodeURIComponent(this.session);
    try {
      this.info = await this.api.get<SessionInfo>(`/api/v1/sessions/${sid}`);
    } catch (e) {
      this.error = humanError(e, 'load this session');
      return;
    }
    if (this.info.can_record === false) return;
    try {
      const list = await this.api.get<RecordingList>(`/api/v1/recordings?session_id=${sid}&limit=50`);
      const running = list.recordings.find(
        (r) => r.room === this.room && isActive(r.status) && r.status !== 'processing',
      );
      if (running) this.track(running);
    } catch {
      /* the button still works without the current state */
    }
    this.stream?.stop();
    this.stream = new NotificationStream(this.api, this.session, (n) => this.onNotification(n));
    this.stream.start();
  }

  private get state(): 'idle' | 'initializing' | 'recording' {
    const s = this.rec?.status;
    if (s === 'initializing') return 'initializing';
    if (s === 'recording' || s === 'paused') return 'recording';
    return 'idle';
  }

  // Follows one recording: its state now, then the stream and a slow poll as a safety net.
  private track(r: Recording | null) {
    this.rec = r && isActive(r.status) && r.status !== 'processing' ? r : null;
    const d = r?.deadline ?? r?.countdown_ends_at;
    if (r && d) this.deadline = Date.parse(d);
    else if (r?.countdown_s && r.status === 'initializing' && this.deadline === null)
      this.deadline = Date.now() + r.countdown_s * 1000;
    clearInterval(this.ticker);
    clearInterval(this.poller);
    if (this.rec) {
      this.ticker = window.setInterval(() => (this.now = Date.now()), 1000);
      this.poller = window.setInterval(() => void this.refresh(), 4000);
    }
    this.dispatchEvent(
      new CustomEvent('ssr-recording-change', { detail: { state: this.state, recording: r }, bubbles: true, composed: true }),
    );
  }

  private async refresh() {
    if (!this.rec) return;
    try {
      const r = await this.api.get<Recording>(`/api/v1/recordings/${encodeURIComponent(this.rec.id)}`);
      const was = this.rec;
      if (!was || (r.status === was.status && r.attempt === was.attempt)) return;
      const max = r.max_attempts ?? r.attempts;
      const n = { recording_id: r.id, room: r.room, title: r.title, max_attempts: max };
      if (r.attempt && was.attempt && r.attempt > was.attempt)
        this.announce({ ...n, type: 'recording.attempt_failed', attempt: was.attempt });
      if (r.status === 'recording' && was.status === 'initializing') this.announce({ ...n, type: 'recording.started' });
      if (r.status === 'processing' || r.status === 'ready') this.announce({ ...n, type: 'recording.stopped' });
      if (r.status === 'failed') this.announce({ ...n, type: 'recording.failed', message: r.error ?? undefined });
      this.deadline = null;
      this.track(r);
    } catch {
      /* try again at the next tick */
    }
  }

  private onNotification(n: Notification) {
    this.dispatchEvent(new CustomEvent('ssr-notification', { detail: n, bubbles: true, composed: true }));
    this.announce(n);
    const mine = (n.room ?? 'main') === this.room || (this.rec && n.recording_id === this.rec.id);
    if (!mine || !n.recording_id) return;
    const base = this.rec && this.rec.id === n.recording_id ? this.rec : ({ id: n.recording_id, room: n.room, title: n.title, parts: [] } as unknown as Recording);
    const next = { ...base };
    switch (n.type) {
      case 'recording.initializing':
        next.status = 'initializing';
        next.attempt = n.attempt;
        next.max_attempts = n.max_attempts ?? n.attempts;
        if (n.deadline) this.deadline = Date.parse(n.deadline);
        else if (n.countdown_s) this.deadline = Date.now() + n.countdown_s * 1000;
        break;
      case 'recording.started':
      case 'recording.resumed':
        next.status = 'recording';
        break;
      case 'recording.paused':
        next.status = 'paused';
        break;
      case 'recording.stopped':
      case 'recording.ready':
      case 'recording.failed':
        next.status = n.type === 'recording.failed' ? 'failed' : 'processing';
        this.deadline = null;
        break;
      default:
        return;
    }
    this.track(next);
  }

  // One message per event, whether the stream or the poll saw it first.
  private announce(n: Notification) {
    const key = `${n.type}:${n.recording_id ?? n.id ?? ''}:${n.type === 'recording.attempt_failed' ? n.attempt : ''}:${n.recipient ?? ''}`;
    if (this.announced.has(key)) return;
    this.announced.add(key);
    const text = notificationText(n);
    if (text) this.toasts?.show(text);
  }

  private get toasts(): SsrToasts | null {
    return this.renderRoot.querySelector('ssr-toasts');
  }

  private dialog(): HTMLDialogElement | null {
    return this.renderRoot.querySelector('dialog');
  }

  private onClick() {
    this.dialogError = '';
    this.ask = this.state === 'idle' ? 'start' : 'stop';
  }

  updated() {
    const d = this.dialog();
    if (d && !d.open) {
      d.showModal();
      (d.querySelector('input, button.primary') as HTMLElement | null)?.focus();
    }
  }

  private close() {
    this.dialog()?.close();
    this.ask = 'none';
    (this.renderRoot.querySelector('button.record') as HTMLElement | null)?.focus();
  }

  private async start(ev: Event) {
    ev.preventDefault();
    const name = (this.renderRoot.querySelector('#name') as HTMLInputElement).value.trim();
    this.busy = true;
    try {
      const body: Record<string, string> = { room: this.room };
      if (name) body.name = name;
      const r = await this.api.json<Recording>('POST', `/api/v1/sessions/${encodeURIComponent(this.session)}/recordings`, body);
      this.deadline = null;
      this.track(r);
      this.close();
    } catch (e) {
      this.dialogError =
        e instanceof ApiError && e.status === 409
          ? `The recording could not start: ${e.message}`
          : humanError(e, 'start the recording');
    } finally {
      this.busy = false;
    }
  }

  private async stop() {
    if (!this.rec) return this.close();
    this.busy = true;
    try {
      const r = await this.api.json<Recording>('POST', `/api/v1/recordings/${encodeURIComponent(this.rec.id)}/stop`, {});
      this.deadline = null;
      if (r.status === 'failed') this.announce({ type: 'recording.failed', recording_id: r.id, title: r.title, message: 'It was stopped before it started.' });
      else this.announce({ type: 'recording.stopped', recording_id: r.id, title: r.title });
      this.track(r);
      this.close();
    } catch (e) {
      if (e instanceof ApiError && e.code === 'already_stopped') {
        this.track(null);
        this.close();
      } else {
        this.dialogError = humanError(e, 'stop the recording');
      }
    } finally {
      this.busy = false;
    }
  }

  private renderButton() {
    const state = this.state;
    if (state === 'initializing') {
      const left = this.deadline ? Math.max(0, Math.ceil((this.deadline - this.now) / 1000)) : null;
      const attempt = this.rec?.attempt ?? 1;
      const max = this.rec?.max_attempts ?? this.rec?.attempts;
      return html`<button type="button" class="record initializing" @click=${this.onClick}>
        <span class="dot" aria-hidden="true"></span>Initializing…${left !== null ? html` <span>${left} s left</span>` : nothing}
        ${max ? html`<span>· attempt ${attempt} of ${max}</span>` : nothing}
      </button>`;
    }
    if (state === 'recording') {
      return html`<button type="button" class="record recording" @click=${this.onClick}>
          <span class="dot" aria-hidden="true"></span>Stop recording</button
        ><span class="state muted">${this.rec?.status === 'paused' ? 'Paused' : 'Recording'}</span>`;
    }
    return html`<button type="button" class="record" @click=${this.onClick}>
      <span class="dot" aria-hidden="true"></span>Record
    </button>`;
  }

  private renderDialog() {
    if (this.ask === 'start') {
      return html`<dialog aria-labelledby="start-title" @cancel=${(e: Event) => (e.preventDefault(), this.close())}>
        <form @submit=${this.start}>
          <h2 id="start-title">Start a recording</h2>
          <label for="name">Recording name</label>
          <input id="name" type="text" maxlength="200" placeholder=${this.info?.title ?? ''} autocomplete="off" />
          <p class="muted">Leave it empty to use the session title.</p>
          ${this.dialogError ? html`<p class="error" role="alert">${this.dialogError}</p>` : nothing}
          <div class="row end actions">
            <button type="button" @click=${this.close}>Cancel</button>
            <button type="submit" class="primary" ?disabled=${this.busy}>Start</button>
          </div>
        </form>
      </dialog>`;
    }
    if (this.ask === 'stop') {
      return html`<dialog aria-labelledby="stop-title" @cancel=${(e: Event) => (e.preventDefault(), this.close())}>
        <h2 id="stop-title">Stop recording?</h2>
        <p>${this.state === 'initializing' ? 'The recording has not started yet; stopping cancels it.' : 'What was recorded so far is kept and will be ready to watch shortly.'}</p>
        ${this.dialogError ? html`<p class="error" role="alert">${this.dialogError}</p>` : nothing}
        <div class="row end actions">
          <button type="button" @click=${this.close}>No</button>
          ${this.busy ? html`<span class="muted" role="status">Stopping…</span>` : nothing}
          <button type="button" class="primary" ?disabled=${this.busy} @click=${this.stop}>Yes</button>
        </div>
      </dialog>`;
    }
    return nothing;
  }

  render() {
    if (this.error) return html`<p class="error" role="alert">${this.error}</p>`;
    if (!this.info) return html`<span class="muted">Loading…</span>`;
    if (this.info.can_record === false) return html`<p class="muted">Only hosts and co-hosts can record this session.</p>`;
    return html`${this.renderButton()}${this.renderDialog()}<ssr-toasts></ssr-toasts>`;
  }
}

define('ssr-record-button', SsrRecordButton);
