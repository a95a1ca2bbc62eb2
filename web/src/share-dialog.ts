import { css, html, LitElement, nothing } from 'lit';
import { Api, ApiError, humanError, Recording } from './api.js';
import { formatDateTime, formatDuration, zonedToInstant } from './format.js';
import { base } from './styles.js';
import { define } from './toasts.js';

interface Sharing {
  stream_by: string[];
  download_by: string[];
  grants: { user: string; stream?: boolean; download?: boolean }[];
  release_at: string | null;
  release_timezone: string;
}
interface Participant {
  user: string;
  name?: string;
  role?: string;
}
interface Link {
  id: string;
  url?: string;
  created_at: string;
  expires_at: string | null;
  revoked_at: string | null;
  state: string;
}
interface Viewer {
  email: string;
  name?: string;
  kind?: string;
  first_view_at: string;
  last_view_at: string;
  views: number;
  watched_s: number;
}
interface Form {
  stream: string[];
  download: string[];
  grants: Record<string, { stream: boolean; download: boolean }>;
  date: string;
  time: string;
}

const key = (user: string) => user.toLowerCase();

// <ssr-share-dialog recording="RID" [api-base] [token]>: the Share window. open() shows it;
// nothing is saved until "Save" (PUT with If-Match); share links are created and revoked at
// once (they are not sharing settings). Fires `ssr-shared` after a save and `ssr-close`.
export class SsrShareDialog extends LitElement {
  static styles = [
    base,
    css`
      dialog {
        max-width: min(46rem, calc(100vw - 1rem));
        max-height: calc(100dvh - 1rem);
        padding: 0;
      }
      .head,
      .foot {
        padding: 1rem 1.25rem;
        display: flex;
        gap: 0.75rem;
        align-items: center;
      }
      .head {
        border-bottom: 1px solid var(--line);
        justify-content: space-between;
      }
      .head h2 {
        margin: 0;
      }
      .head p {
        margin: 0;
        overflow-wrap: anywhere;
      }
      .foot {
        border-top: 1px solid var(--line);
        justify-content: flex-end;
        flex-wrap: wrap;
        position: sticky;
        bottom: 0;
        background: var(--surface);
      }
      .body {
        padding: 0.5rem 1.25rem 1rem;
      }
      section {
        margin-top: 1rem;
      }
      h3 {
        font-size: 1rem;
        margin: 0 0 0.5rem;
      }
      fieldset {
        border: 1px solid var(--line);
        border-radius: 8px;
        padding: 0.5rem 0.9rem 0.7rem;
        margin: 0;
        min-width: 0;
      }
      legend {
        font-weight: 600;
        padding: 0 0.25rem;
      }
      .groups {
        display: grid;
        grid-template-columns: repeat(auto-fit, minmax(14rem, 1fr));
        gap: 0.75rem;
      }
      .check {
        display: inline-flex;
        gap: 0.4rem;
        align-items: center;
        margin-right: 1.25rem;
        min-height: 2rem;
      }
      .people {
        list-style: none;
        padding: 0;
        margin: 0;
      }
      .people li,
      .people .person {
        display: flex;
        flex-wrap: wrap;
        justify-content: space-between;
        align-items: center;
        gap: 0.25rem 1rem;
        padding: 0.35rem 0;
        border-bottom: 1px solid var(--soft);
      }
      .people .who {
        overflow-wrap: anywhere;
      }
      label.field {
        display: flex;
        flex-direction: column;
        font-size: 0.9rem;
        font-weight: 600;
        gap: 0.2rem;
      }
      .table-wrap {
        overflow-x: auto;
      }
      table {
        border-collapse: collapse;
        width: 100%;
        font-size: 0.9rem;
      }
      th,
      td {
        text-align: left;
        padding: 0.35rem 0.5rem;
        border-bottom: 1px solid var(--line);
        white-space: nowrap;
      }
      caption {
        text-align: left;
        font-weight: 600;
        padding-bottom: 0.4rem;
      }
      .links li {
        flex-wrap: wrap;
      }
      .new-link input {
        flex: 1 1 16rem;
      }
      .confirm {
        margin: 0.75rem 1.25rem 0;
      }
    `,
  ];

  static properties = {
    recording: { type: String },
    rec: { state: true },
    form: { state: true },
    tz: { state: true },
    participants: { state: true },
    links: { state: true },
    viewers: { state: true },
    newLink: { state: true },
    loadError: { state: true },
    saveError: { state: true },
    conflict: { state: true },
    askDiscard: { state: true },
    note: { state: true },
    busy: { state: true },
  };
  declare recording: string;
  declare rec: Recording | null;
  declare form: Form | null;
  declare tz: string;
  declare participants: Participant[];
  declare links: Link[];
  declare viewers: Viewer[] | null;
  declare newLink: string;
  declare loadError: string;
  declare saveError: string;
  declare conflict: boolean;
  declare askDiscard: boolean;
  declare note: string;
  declare busy: boolean;
  private etag = '';
  private initial = '';

  constructor() {
    super();
    this.recording = '';
    this.reset();
  }

  private reset() {
    this.rec = null;
    this.form = null;
    this.tz = 'UTC';
    this.participants = [];
    this.links = [];
    this.viewers = null;
    this.newLink = '';
    this.loadError = '';
    this.saveError = '';
    this.conflict = false;
    this.askDiscard = false;
    this.note = '';
    this.busy = false;
  }

  private get api() {
    return Api.forElement(this);
  }

  private get path() {
    return `/api/v1/recordings/${encodeURIComponent(this.recording)}`;
  }

  private get dialog() {
    return this.renderRoot.querySelector('dialog')!;
  }

  async open() {
    this.reset();
    await this.updateComplete;
    if (!this.dialog.open) this.dialog.showModal();
    await this.load();
    this.renderRoot.querySelector<HTMLElement>('input[type=checkbox]')?.focus();
  }

  private async load() {
    try {
      const [rec, res] = await Promise.all([this.api.get<Recording>(this.path), this.api.fetch('GET', `${this.path}/sharing`)]);
      this.rec = rec;
      this.etag = res.headers.get('ETag') ?? '';
      const s = (await res.json()) as Sharing;
      this.tz = s.release_timezone || 'UTC';
      const [date, time] = s.release_at ? s.release_at.split('T') : ['', ''];
      const grants: Form['grants'] = {};
      for (const g of s.grants) grants[key(g.user)] = { stream: !!g.stream, download: !!g.download };
      this.form = { stream: [...s.stream_by], download: [...s.download_by], grants, date, time: time?.slice(0, 5) ?? '' };
      this.initial = this.serialize();
      this.saveError = '';
      this.conflict = false;
    } catch (e) {
      this.loadError = humanError(e, 'load the sharing settings');
      return;
    }
    const sid = encodeURIComponent(this.rec!.session_id);
    this.api.get<{ participants: Participant[] }>(`/api/v1/sessions/${sid}/participants`).then(
      (p) => (this.participants = p.participants.filter((x) => x.role !== 'host' && x.role !== 'cohost')),
      () => (this.participants = []),
    );
    void this.loadLinks();
    void this.loadViewers();
  }

  private async loadLinks() {
    try {
      this.links = (await this.api.get<{ links: Link[] }>(`${this.path}/links`)).links;
    } catch {
      this.links = [];
    }
  }

  private async loadViewers() {
    try {
      this.viewers = (await this.api.get<{ viewers: Viewer[] }>(`${this.path}/viewers`)).viewers;
    } catch {
      this.viewers = [];
    }
  }

  private serialize(): string {
    const f = this.form!;
    const grants = Object.entries(f.grants)
      .filter(([, g]) => g.stream || g.download)
      .sort(([a], [b]) => a.localeCompare(b));
    return JSON.stringify([[...f.stream].sort(), [...f.download].sort(), grants, f.date, f.time]);
  }

  get dirty(): boolean {
    return !!this.form && this.serialize() !== this.initial;
  }

  private toggleRole(list: 'stream' | 'download', role: string, on: boolean) {
    const f = this.form!;
    const set = new Set(f[list]);
    if (on) set.add(role);
    else set.delete(role);
    this.form = { ...f, [list]: [...set] };
  }

  private toggleGrant(user: string, what: 'stream' | 'download', on: boolean) {
    const f = this.form!;
    const g = { ...(f.grants[key(user)] ?? { stream: false, download: false }), [what]: on };
    this.form = { ...f, grants: { ...f.grants, [key(user)]: g } };
  }

  private addPerson(e: Event) {
    e.preventDefault();
    const input = this.renderRoot.querySelector<HTMLInputElement>('#add-person')!;
    const user = input.value.trim();
    if (!user || /\s/.test(user)) {
      this.note = 'Type an e-mail address (or user id) without spaces.';
      return;
    }
    this.note = '';
    if (!this.form!.grants[key(user)]) this.toggleGrant(user, 'stream', true);
    input.value = '';
  }

  private setRelease(field: 'date' | 'time', value: string) {
    this.form = { ...this.form!, [field]: value };
  }

  private async save() {
    const f = this.form!;
    if (!!f.date !== !!f.time) {
      this.saveError = 'To schedule a release, give both a date and a time (or clear both to release now).';
      return;
    }
    const body: Sharing = {
      stream_by: f.stream,
      download_by: f.download,
      grants: Object.entries(f.grants)
        .filter(([, g]) => g.stream || g.download)
        .map(([user, g]) => ({ user, stream: g.stream, download: g.download })),
      release_at: f.date ? `${f.date}T${f.time}` : null,
      release_timezone: this.tz,
    };
    this.busy = true;
    try {
      await this.api.json('PUT', `${this.path}/sharing`, body, { 'If-Match': this.etag });
      this.initial = this.serialize();
      this.dispatchEvent(new CustomEvent('ssr-shared', { detail: { recording: this.recording, sharing: body }, bubbles: true, composed: true }));
      this.close();
    } catch (e) {
      if (e instanceof ApiError && e.status === 412) {
        this.conflict = true;
        this.saveError =
          'Someone else saved the sharing settings while you were editing. Nothing of yours was saved. Reload to see their settings, then make your change again.';
      } else if (e instanceof ApiError && e.status === 400 && e.body.field === 'release_at') {
        this.saveError = `That release time does not exist in ${this.tz} (the clocks change then). Pick another time.`;
      } else {
        this.saveError = humanError(e, 'save the sharing settings');
      }
    } finally {
      this.busy = false;
    }
  }

  private async reloadAfterConflict() {
    this.conflict = false;
    this.saveError = '';
    await this.load();
  }

  private requestClose() {
    if (this.dirty) {
      this.askDiscard = true;
      void this.updateComplete.then(() => this.renderRoot.querySelector<HTMLElement>('.confirm button.keep')?.focus());
      return;
    }
    this.close();
  }

  private close() {
    this.askDiscard = false;
    if (this.dialog.open) this.dialog.close();
    this.dispatchEvent(new CustomEvent('ssr-close', { bubbles: true, composed: true }));
  }

  private async createLink() {
    const date = this.renderRoot.querySelector<HTMLInputElement>('#link-expiry')!.value;
    const body: Record<string, string> = {};
    if (date) {
      const end = new Date(`${date}T23:59:59`);
      if (end.getTime() <= Date.now()) {
        this.note = 'The expiration date must be in the future.';
        return;
      }
      body.expires_at = end.toISOString();
    }
    try {
      const link = await this.api.json<Link>('POST', `${this.path}/links`, body);
      this.newLink = this.api.url(link.url ?? '');
      this.note = 'Link created. Copy it now: it is shown only once.';
      await this.loadLinks();
    } catch (e) {
      this.note = humanError(e, 'create a link');
    }
  }

  private async copyLink() {
    try {
      await navigator.clipboard.writeText(this.newLink);
      this.note = 'Link copied.';
    } catch {
      const input = this.renderRoot.querySelector<HTMLInputElement>('#new-link');
      input?.select();
      this.note = 'Press Ctrl+C (or ⌘C) to copy the selected link.';
    }
  }

  private async revoke(l: Link) {
    try {
      await this.api.json('DELETE', `${this.path}/links/${encodeURIComponent(l.id)}`);
      this.note = 'Link revoked: it no longer opens the recording.';
      await this.loadLinks();
    } catch (e) {
      this.note = humanError(e, 'revoke the link');
    }
  }

  private async downloadCsv() {
    try {
      await this.api.download(`${this.path}/viewers?format=csv`, `${this.rec?.title ?? this.recording} - viewers.csv`);
    } catch (e) {
      this.note = humanError(e, 'download the viewer report');
    }
  }

  private renderRoles(list: 'stream' | 'download', legend: string) {
    const f = this.form!;
    return html`<fieldset>
      <legend>${legend}</legend>
      ${[
        ['attendees', 'Attendees'],
        ['presenters', 'Presenters'],
      ].map(
        ([role, label]) => html`<label class="check"
          ><input
            type="checkbox"
            .checked=${f[list].includes(role)}
            @change=${(e: Event) => this.toggleRole(list, role, (e.target as HTMLInputElement).checked)}
          />${label}</label
        >`,
      )}
    </fieldset>`;
  }

  private renderPeople() {
    const f = this.form!;
    const rows = new Map<string, string>();
    for (const p of this.participants) rows.set(key(p.user), p.name ? `${p.name} (${p.user})` : p.user);
    for (const user of Object.keys(f.grants)) if (!rows.has(user)) rows.set(user, user);
    return html`<section aria-labelledby="people-h">
      <h3 id="people-h">Individual participants</h3>
      ${rows.size === 0 ? html`<p class="muted">No attendees or presenters known for this session yet.</p>` : nothing}
      <div class="people">
        ${[...rows].map(([user, label]) => {
          const g = f.grants[user] ?? { stream: false, download: false };
          return html`<div class="person" role="group" aria-label=${label}>
            <span class="who">${label}</span>
            <span>
              <label class="check"
                ><input type="checkbox" .checked=${g.stream} @change=${(e: Event) => this.toggleGrant(user, 'stream', (e.target as HTMLInputElement).checked)} />Stream</label
              ><label class="check"
                ><input type="checkbox" .checked=${g.download} @change=${(e: Event) => this.toggleGrant(user, 'download', (e.target as HTMLInputElement).checked)} />Download</label
              >
            </span>
          </div>`;
        })}
      </div>
      <form class="row" @submit=${this.addPerson} style="margin-top:.5rem">
        <label class="field" style="flex:1 1 14rem">Add someone by e-mail<input id="add-person" type="text" inputmode="email" autocomplete="off" /></label>
        <button type="submit" style="align-self:end">Add</button>
      </form>
    </section>`;
  }

  private renderRelease() {
    const f = this.form!;
    return html`<section>
      <fieldset>
        <legend>Schedule a Recording to be Released</legend>
        <p class="muted" style="margin:.25rem 0 .5rem">Time zone: <strong>${this.tz}</strong> (the session's). Leave empty to release now.</p>
        <div class="row">
          <label class="field">Release date<input type="date" .value=${f.date} @input=${(e: Event) => this.setRelease('date', (e.target as HTMLInputElement).value)} /></label>
          <label class="field">Release time<input type="time" .value=${f.time} @input=${(e: Event) => this.setRelease('time', (e.target as HTMLInputElement).value)} /></label>
          ${f.date || f.time
            ? html`<button type="button" style="align-self:end" @click=${() => (this.form = { ...f, date: '', time: '' })}>Clear release</button>`
            : nothing}
        </div>
        ${this.releaseHere()}
      </fieldset>
    </section>`;
  }

  // The release as the viewer's own clock reads it, when their zone is another one.
  private releaseHere() {
    const f = this.form!;
    if (!f.date || !f.time) return nothing;
    const mine = Intl.DateTimeFormat().resolvedOptions().timeZone;
    if (mine === this.tz) return nothing;
    const at = zonedToInstant(`${f.date}T${f.time}`, this.tz);
    return at ? html`<p class="muted" style="margin:.5rem 0 0">That is ${formatDateTime(at.toISOString())} where you are.</p>` : nothing;
  }

  private renderLinks() {
    return html`<section aria-labelledby="links-h">
      <h3 id="links-h">Link to recording</h3>
      <div class="row">
        <label class="field">Link expiration date (optional)<input id="link-expiry" type="date" /></label>
        <button type="button" style="align-self:end" @click=${this.createLink}>Create link</button>
      </div>
      ${this.newLink
        ? html`<div class="row new-link" style="margin-top:.5rem">
            <label class="visually-hidden" for="new-link">New link</label>
            <input id="new-link" type="text" readonly .value=${this.newLink} @focus=${(e: Event) => (e.target as HTMLInputElement).select()} />
            <button type="button" @click=${this.copyLink}>Copy link</button>
          </div>`
        : nothing}
      ${this.links.length
        ? html`<ul class="people links" aria-label="Links">
            ${this.links.map(
              (l) => html`<li>
                <span>Created ${formatDateTime(l.created_at)} · ${l.expires_at ? `expires ${formatDateTime(l.expires_at)}` : 'never expires'} ·
                  <strong>${l.state}</strong></span>
                ${l.state === 'active'
                  ? html`<button type="button" class="danger" aria-label="Revoke link created ${formatDateTime(l.created_at)}" @click=${() => this.revoke(l)}>Revoke</button>`
                  : nothing}
              </li>`,
            )}
          </ul>`
        : html`<p class="muted">No links yet.</p>`}
    </section>`;
  }

  private renderViewers() {
    const v = this.viewers;
    return html`<section>
      <div class="row" style="justify-content:space-between">
        <h3 id="viewers-h" style="margin:0">Viewer report</h3>
        <button type="button" @click=${this.downloadCsv}>Download CSV</button>
      </div>
      ${v === null
        ? html`<p class="muted">Loading…</p>`
        : v.length === 0
          ? html`<p class="muted">Nobody has watched this recording yet.</p>`
          : html`<div class="table-wrap" tabindex="0" role="region" aria-labelledby="viewers-h">
              <table>
                <thead><tr><th scope="col">Viewer</th><th scope="col">How</th><th scope="col">Views</th><th scope="col">First viewed</th><th scope="col">Last viewed</th><th scope="col">Watched</th></tr></thead>
                <tbody>
                  ${v.map(
                    (r) => html`<tr>
                      <td>${r.name ? `${r.name} <${r.email}>` : r.email}</td>
                      <td>${r.kind === 'user' ? 'Signed in' : 'Link'}</td>
                      <td>${r.views}</td>
                      <td>${formatDateTime(r.first_view_at)}</td>
                      <td>${formatDateTime(r.last_view_at)}</td>
                      <td>${formatDuration(r.watched_s)}</td>
                    </tr>`,
                  )}
                </tbody>
              </table>
            </div>`}
    </section>`;
  }

  private renderBody() {
    if (this.loadError) return html`<div class="body"><p class="error" role="alert">${this.loadError}</p></div>`;
    if (!this.form) return html`<div class="body"><p class="muted">Loading…</p></div>`;
    return html`<div class="body">
      <section class="groups">${this.renderRoles('stream', 'Allow Streaming By')}${this.renderRoles('download', 'Allow Download By')}</section>
      ${this.renderPeople()} ${this.renderRelease()} ${this.renderLinks()} ${this.renderViewers()}
      ${this.note ? html`<p class="notice" role="status">${this.note}</p>` : nothing}
    </div>`;
  }

  render() {
    return html`<dialog aria-labelledby="share-h" @cancel=${(e: Event) => (e.preventDefault(), this.requestClose())}>
      <div class="head">
        <div>
          <h2 id="share-h">Share</h2>
          ${this.rec ? html`<p class="muted">${this.rec.title}</p>` : nothing}
        </div>
        <button type="button" aria-label="Close" @click=${this.requestClose}>×</button>
      </div>
      ${this.renderBody()}
      ${this.saveError
        ? html`<div class="confirm error" role="alert">
            <p style="margin:0 0 .5rem">${this.saveError}</p>
            ${this.conflict ? html`<button type="button" @click=${this.reloadAfterConflict}>Reload</button>` : nothing}
          </div>`
        : nothing}
      ${this.askDiscard
        ? html`<div class="confirm notice" role="alertdialog" aria-labelledby="discard-h">
            <p id="discard-h" style="margin:0 0 .5rem"><strong>Discard your changes?</strong> They have not been saved.</p>
            <div class="row">
              <button type="button" class="keep" @click=${() => (this.askDiscard = false)}>Keep editing</button>
              <button type="button" class="danger" @click=${this.close}>Discard changes</button>
            </div>
          </div>`
        : nothing}
      <div class="foot">
        <button type="button" @click=${this.requestClose}>Cancel</button>
        <button type="button" class="primary" ?disabled=${!this.form || this.busy || this.conflict} @click=${this.save}>Save</button>
      </div>
    </dialog>`;
  }
}

define('ssr-share-dialog', SsrShareDialog);
