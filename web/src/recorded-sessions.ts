import { css, html, LitElement, nothing } from 'lit';
import { allows, Api, ApiError, humanError, Recording, RecordingList } from './api.js';
import { formatDateTime, formatDuration, isActive, statusLabel } from './format.js';
import { NotificationStream } from './notifications.js';
import { base } from './styles.js';
import { define, SsrToasts } from './toasts.js';
import './share-dialog.js';
import type { SsrShareDialog } from './share-dialog.js';

const kPageSize = 20;

// <ssr-recorded-sessions [api-base] [token] [session-id]>: the caller's Recorded Sessions.
// "Watch Now" fires `ssr-watch` (detail: {recording}); unless a listener calls
// preventDefault() the page goes to /recordings/{id} of ssr.
export class SsrRecordedSessions extends LitElement {
  static styles = [
    base,
    css`
      :host {
        display: block;
      }
      .toolbar {
        display: flex;
        flex-wrap: wrap;
        gap: 0.5rem;
        align-items: end;
        margin-bottom: 1rem;
      }
      .toolbar label {
        display: block;
        font-weight: 600;
        font-size: 0.9rem;
      }
      .toolbar input {
        width: min(20rem, 100%);
      }
      .search {
        flex: 1 1 14rem;
      }
      ul.list {
        list-style: none;
        padding: 0;
        margin: 0;
        display: grid;
        gap: 0.75rem;
      }
      li.item {
        border: 1px solid var(--line);
        border-radius: 10px;
        padding: 0.9rem 1rem;
        background: var(--surface);
      }
      h2 {
        margin: 0 0 0.4rem;
        font-size: 1.1rem;
        overflow-wrap: anywhere;
      }
      .title-row {
        display: flex;
        gap: 0.5rem;
        align-items: center;
        flex-wrap: wrap;
      }
      .title-row input {
        flex: 1 1 14rem;
      }
      dl {
        display: grid;
        grid-template-columns: repeat(auto-fit, minmax(9rem, max-content));
        gap: 0.25rem 1.5rem;
        margin: 0 0 0.75rem;
      }
      dt {
        font-size: 0.8rem;
        color: var(--muted);
      }
      dd {
        margin: 0;
      }
      .badge {
        display: inline-block;
        padding: 0 0.5rem;
        border-radius: 999px;
        font-size: 0.85rem;
        border: 1px solid var(--line);
      }
      .badge.recording,
      .badge.initializing {
        color: #166534;
        border-color: #86efac;
        background: #f0fdf4;
      }
      .badge.failed {
        color: var(--danger);
        border-color: #fecaca;
        background: #fef2f2;
      }
      .pager {
        margin-top: 1rem;
      }
      .empty {
        padding: 2rem 1rem;
        text-align: center;
        border: 1px dashed var(--line);
        border-radius: 10px;
      }
      .hint {
        font-size: 0.85rem;
      }
    `,
  ];

  static properties = {
    items: { state: true },
    total: { state: true },
    offset: { state: true },
    query: { state: true },
    loading: { state: true },
    error: { state: true },
    editing: { state: true },
    rowError: { state: true },
    confirmDelete: { state: true },
  };
  declare items: Recording[];
  declare total: number;
  declare offset: number;
  declare query: string;
  declare loading: boolean;
  declare error: string;
  declare editing: string | null;
  declare rowError: { id: string; text: string } | null;
  declare confirmDelete: Recording | null;
  private poller: number | undefined;
  private searchTimer: number | undefined;
  private reloadTimer: number | undefined;
  private streams = new Map<string, NotificationStream>();

  constructor() {
    super();
    this.items = [];
    this.total = 0;
    this.offset = 0;
    this.query = '';
    this.loading = true;
    this.error = '';
    this.editing = null;
    this.rowError = null;
    this.confirmDelete = null;
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
    clearTimeout(this.poller);
    for (const s of this.streams.values()) s.stop();
    this.streams.clear();
  }

  // Live status: the notification stream of each session this host has a running recording in
  // (the 5 s poll stays as a safety net).
  private follow() {
    const live = new Set(this.items.filter((r) => isActive(r.status) && allows(r, 'share')).map((r) => r.session_id));
    for (const [sid, stream] of this.streams) {
      if (!live.has(sid)) {
        stream.stop();
        this.streams.delete(sid);
      }
    }
    for (const sid of live) {
      if (this.streams.has(sid)) continue;
      const stream = new NotificationStream(this.api, sid, () => {
        clearTimeout(this.reloadTimer);
        this.reloadTimer = window.setTimeout(() => void this.load(), 300);
      });
      this.streams.set(sid, stream);
      stream.start();
    }
  }

  async load() {
    clearTimeout(this.poller);
    const params = new URLSearchParams({ limit: String(kPageSize), offset: String(this.offset) });
    if (this.query) params.set('q', this.query);
    const sid = this.getAttribute('session-id');
    if (sid) params.set('session_id', sid);
    try {
      const list = await this.api.get<RecordingList>(`/api/v1/recordings?${params}`);
      this.items = list.recordings;
      this.total = list.total ?? list.recordings.length;
      this.error = '';
    } catch (e) {
      this.error = humanError(e, 'load your recordings');
    } finally {
      this.loading = false;
    }
    // Recordings still running or being stored: look again shortly.
    if (this.items.some((r) => isActive(r.status))) this.poller = window.setTimeout(() => void this.load(), 5000);
    this.follow();
  }

  private onSearch(e: Event) {
    const q = (e.target as HTMLInputElement).value.trim();
    clearTimeout(this.searchTimer);
    this.searchTimer = window.setTimeout(() => {
      this.query = q;
      this.offset = 0;
      void this.load();
    }, 300);
  }

  private page(delta: number) {
    this.offset = Math.max(0, this.offset + delta * kPageSize);
    void this.load();
  }

  private toasts(): SsrToasts | null {
    return this.renderRoot.querySelector('ssr-toasts');
  }

  private watch(r: Recording) {
    const ev = new CustomEvent('ssr-watch', { detail: { recording: r }, bubbles: true, composed: true, cancelable: true });
    if (this.dispatchEvent(ev)) location.assign(this.api.url(`/recordings/${encodeURIComponent(r.id)}`));
  }

  private async download(r: Recording, n: number) {
    try {
      await this.api.download(
        `/api/v1/recordings/${encodeURIComponent(r.id)}/parts/${n}/download`,
        `${r.title} - part ${n}.webm`,
      );
    } catch (e) {
      this.rowError = { id: r.id, text: humanError(e, 'download this recording') };
    }
  }

  private startRename(r: Recording) {
    this.rowError = null;
    this.editing = r.id;
    void this.updateComplete.then(() => {
      const input = this.renderRoot.querySelector<HTMLInputElement>(`input[data-rename="${r.id}"]`);
      input?.focus();
      input?.select();
    });
  }

  private endRename(r: Recording) {
    this.editing = null;
    void this.updateComplete.then(() =>
      this.renderRoot.querySelector<HTMLElement>(`button[data-rename-button="${r.id}"]`)?.focus(),
    );
  }

  private async onRenameKey(e: KeyboardEvent, r: Recording) {
    if (e.key === 'Escape') {
      e.preventDefault();
      e.stopPropagation();
      this.endRename(r);
    } else if (e.key === 'Enter') {
      e.preventDefault();
      const title = (e.target as HTMLInputElement).value.trim();
      if (!title) {
        this.rowError = { id: r.id, text: 'A recording needs a title. Type one, or press Escape to keep the old title.' };
        return;
      }
      if (title === r.title) return this.endRename(r);
      try {
        const updated = await this.api.json<Recording>('PATCH', `/api/v1/recordings/${encodeURIComponent(r.id)}`, { title });
        this.items = this.items.map((x) => (x.id === r.id ? { ...x, title: updated.title ?? title } : x));
        this.rowError = null;
        this.endRename(r);
        this.toasts()?.show(`Renamed to “${updated.title ?? title}”.`);
      } catch (err) {
        this.rowError = { id: r.id, text: humanError(err, 'rename this recording') };
      }
    }
  }

  private askDelete(r: Recording) {
    this.confirmDelete = r;
    void this.updateComplete.then(() => {
      const d = this.renderRoot.querySelector<HTMLDialogElement>('dialog#confirm-delete');
      if (d && !d.open) d.showModal();
      d?.querySelector<HTMLElement>('button.no')?.focus();
    });
  }

  private closeDelete() {
    this.renderRoot.querySelector<HTMLDialogElement>('dialog#confirm-delete')?.close();
    this.confirmDelete = null;
  }

  private async doDelete() {
    const r = this.confirmDelete;
    if (!r) return;
    this.closeDelete();
    try {
      await this.api.json('DELETE', `/api/v1/recordings/${encodeURIComponent(r.id)}`);
      this.toasts()?.show(`“${r.title}” was deleted.`);
      if (this.items.length === 1 && this.offset > 0) this.offset = Math.max(0, this.offset - kPageSize);
      await this.load();
    } catch (e) {
      this.rowError = {
        id: r.id,
        text:
          e instanceof ApiError && e.status === 409
            ? 'This recording is still being recorded or processed. Stop it first, then delete it.'
            : humanError(e, 'delete this recording'),
      };
    }
  }

  private share(r: Recording) {
    const dialog = this.renderRoot.querySelector<SsrShareDialog>('ssr-share-dialog');
    if (!dialog) return;
    dialog.setAttribute('recording', r.id);
    void dialog.open();
  }

  private renderItem(r: Recording) {
    const ready = r.parts.filter((p) => p.status === 'ready' || !p.status);
    // The server's `actions` already weigh the parts' state; older servers: finished ones only.
    const canWatch = allows(r, 'watch') && ready.length > 0 && (!!r.actions || !isActive(r.status));
    const canDownload = allows(r, 'download') && ready.length > 0 && (!!r.actions || !isActive(r.status));
    const editing = this.editing === r.id;
    return html`<li class="item" aria-labelledby="t-${r.id}">
      <div class="title-row">
        ${editing
          ? html`<input
                type="text"
                aria-label="Recording title"
                data-rename=${r.id}
                maxlength="200"
                .value=${r.title}
                @keydown=${(e: KeyboardEvent) => this.onRenameKey(e, r)}
              /><span class="hint muted">Enter saves · Escape cancels</span>`
          : html`<h2 id="t-${r.id}">${r.title}</h2>`}
      </div>
      <dl>
        <div><dt>Recorded On</dt><dd><time datetime=${r.recorded_at}>${formatDateTime(r.recorded_at)}</time></dd></div>
        <div><dt>Duration</dt><dd>${formatDuration(r.duration_s)}</dd></div>
        <div><dt>Parts</dt><dd>${r.parts.length}</dd></div>
        <div>
          <dt>Status</dt>
          <dd><span class="badge ${r.status}">${statusLabel(r.status)}</span></dd>
        </div>
        ${r.release_at
          ? html`<div>
              <dt>${Date.parse(r.release_at) > Date.now() ? 'Release scheduled' : 'Released'}</dt>
              <dd><time datetime=${r.release_at}>${formatDateTime(r.release_at)}</time></dd>
            </div>`
          : nothing}
      </dl>
      ${this.rowError?.id === r.id ? html`<p class="error" role="alert">${this.rowError.text}</p>` : nothing}
      <div class="row">
        ${canWatch ? html`<button type="button" class="primary" @click=${() => this.watch(r)}>Watch Now</button>` : nothing}
        ${canDownload
          ? ready.length <= 1
            ? ready.map((p) => html`<button type="button" @click=${() => this.download(r, p.n)}>Download</button>`)
            : ready.map((p) => html`<button type="button" @click=${() => this.download(r, p.n)}>Download part ${p.n}</button>`)
          : nothing}
        ${allows(r, 'rename') && !editing
          ? html`<button type="button" data-rename-button=${r.id} @click=${() => this.startRename(r)}>
              <span aria-hidden="true">✎</span> Rename
            </button>`
          : nothing}
        ${allows(r, 'share') ? html`<button type="button" @click=${() => this.share(r)}>Share</button>` : nothing}
        ${allows(r, 'delete') ? html`<button type="button" class="danger" @click=${() => this.askDelete(r)}>Delete</button>` : nothing}
      </div>
    </li>`;
  }

  private renderBody() {
    if (this.loading) return html`<p class="muted">Loading your recordings…</p>`;
    if (this.error)
      return html`<div class="error" role="alert">
        <p>${this.error}</p>
        <button type="button" @click=${() => this.load()}>Try again</button>
      </div>`;
    if (this.items.length === 0)
      return html`<div class="empty">
        ${this.query
          ? html`<p>No recordings match “${this.query}”.</p>`
          : html`<p><strong>No recordings yet…</strong></p>
              <p class="muted">When a class you host is recorded, or someone shares a recording with you, it appears here.</p>`}
      </div>`;
    const from = this.offset + 1;
    const to = this.offset + this.items.length;
    return html`<ul class="list">
        ${this.items.map((r) => this.renderItem(r))}
      </ul>
      <nav class="pager row" aria-label="Pages">
        <button type="button" ?disabled=${this.offset === 0} @click=${() => this.page(-1)}>Previous page</button>
        <span class="muted">${from}–${to} of ${this.total}</span>
        <button type="button" ?disabled=${to >= this.total} @click=${() => this.page(1)}>Next page</button>
      </nav>`;
  }

  render() {
    return html`<div class="toolbar">
        <div class="search">
          <label for="q">Search recordings</label>
          <input id="q" type="search" placeholder="Title" @input=${this.onSearch} />
        </div>
        <button type="button" @click=${() => this.load()}>Refresh</button>
      </div>
      ${this.renderBody()}
      <dialog id="confirm-delete" aria-labelledby="del-title" @cancel=${() => (this.confirmDelete = null)}>
        ${this.confirmDelete
          ? html`<h2 id="del-title">Delete “${this.confirmDelete.title}”?</h2>
              <p>Every part of this recording is removed for everyone. This cannot be undone.</p>
              <div class="row end">
                <button type="button" class="no" @click=${this.closeDelete}>No</button>
                <button type="button" class="primary" @click=${this.doDelete}>Yes</button>
              </div>`
          : nothing}
      </dialog>
      <ssr-share-dialog
        api-base=${this.getAttribute('api-base') ?? ''}
        token=${this.getAttribute('token') ?? ''}
        @ssr-shared=${() => this.load()}
      ></ssr-share-dialog>
      <ssr-toasts></ssr-toasts>`;
  }
}

define('ssr-recorded-sessions', SsrRecordedSessions);
