import { css, html, LitElement, nothing } from 'lit';
import { Api, ApiError, humanError, Me, SessionInfo } from './api.js';
import './elements.js';
import { base } from './styles.js';
import { define } from './toasts.js';

const kSignedInKey = 'ssr-signed-in';

type Route =
  | { page: 'home' }
  | { page: 'recordings' }
  | { page: 'recording'; id: string }
  | { page: 'session'; id: string }
  | { page: 'link'; token: string }
  | { page: 'missing' };

export function route(pathname: string): Route {
  const parts = pathname.split('/').filter(Boolean).map(decodeURIComponent);
  if (parts.length === 0 || (parts.length === 1 && parts[0] === 'login')) return { page: 'home' };
  if (parts[0] === 'recordings' && parts.length === 1) return { page: 'recordings' };
  if (parts[0] === 'recordings' && parts.length === 2) return { page: 'recording', id: parts[1] };
  if (parts[0] === 'sessions' && parts.length === 2) return { page: 'session', id: parts[1] };
  if (parts[0] === 's' && parts.length === 2) return { page: 'link', token: parts[1] };
  return { page: 'missing' };
}

// The app: header (nav), main; the page from location.pathname; the elements do the work.
export class SsrApp extends LitElement {
  static styles = [
    base,
    css`
      :host {
        display: flex;
        flex-direction: column;
        min-height: 100dvh;
      }
      header {
        border-bottom: 1px solid var(--line);
        background: var(--surface);
      }
      .bar {
        max-width: 80rem;
        margin: 0 auto;
        padding: 0.6rem 1rem;
        display: flex;
        flex-wrap: wrap;
        gap: 0.5rem 1.25rem;
        align-items: center;
      }
      .brand {
        font-weight: 700;
        color: var(--text);
        text-decoration: none;
        display: inline-flex;
        gap: 0.4rem;
        align-items: center;
      }
      .brand img {
        width: 1.5rem;
        height: 1.5rem;
      }
      nav ul {
        display: flex;
        gap: 0.25rem;
        list-style: none;
        margin: 0;
        padding: 0;
      }
      nav a {
        display: inline-block;
        padding: 0.35rem 0.7rem;
        border-radius: 6px;
        color: var(--accent);
        text-decoration: none;
        font-weight: 600;
      }
      nav a[aria-current='page'] {
        background: #eff6ff;
        color: #1e3a8a;
      }
      nav a:hover {
        text-decoration: underline;
      }
      .user {
        margin-left: auto;
        display: flex;
        gap: 0.75rem;
        align-items: center;
        flex-wrap: wrap;
      }
      main {
        flex: 1;
        width: 100%;
        max-width: 80rem;
        margin: 0 auto;
        padding: 1.25rem 1rem 3rem;
      }
      h1 {
        font-size: 1.5rem;
        margin: 0 0 1rem;
      }
      .login {
        max-width: 24rem;
        margin: 2rem auto;
        border: 1px solid var(--line);
        border-radius: 10px;
        padding: 1.5rem;
        background: var(--surface);
      }
      .login label {
        display: block;
        font-weight: 600;
        margin: 0.75rem 0 0.25rem;
      }
      .login input {
        width: 100%;
      }
      .login button {
        margin-top: 1rem;
        width: 100%;
      }
      .session-card {
        border: 1px solid var(--line);
        border-radius: 10px;
        padding: 1.25rem;
        display: grid;
        gap: 0.75rem;
        max-width: 40rem;
      }
      .session-card p {
        margin: 0;
      }
    `,
  ];

  static properties = { me: { state: true }, loading: { state: true }, loginError: { state: true }, session: { state: true }, pageError: { state: true } };
  declare me: Me | null;
  declare loading: boolean;
  declare loginError: string;
  declare session: SessionInfo | null;
  declare pageError: string;
  private api = new Api();
  private r: Route = route(location.pathname);

  constructor() {
    super();
    this.me = null;
    this.loading = true;
    this.loginError = '';
    this.session = null;
    this.pageError = '';
  }

  connectedCallback() {
    super.connectedCallback();
    this.addEventListener('ssr-watch', (e) => {
      const r = (e as CustomEvent).detail.recording;
      e.preventDefault();
      location.assign(`/recordings/${encodeURIComponent(r.id)}`);
    });
    void this.loadMe();
  }

  // Whether this browser signed in here before: without it the sign-in form shows at once
  // (the login cookie is HttpOnly; asking /api/v1/me would only get a 401).
  private get signedInBefore(): boolean {
    try {
      return localStorage.getItem(kSignedInKey) === '1';
    } catch {
      return true;
    }
  }

  private set signedInBefore(on: boolean) {
    try {
      if (on) localStorage.setItem(kSignedInKey, '1');
      else localStorage.removeItem(kSignedInKey);
    } catch {
      /* storage off: /api/v1/me is always asked */
    }
  }

  private async loadMe() {
    if (this.r.page === 'link' || !this.signedInBefore) {
      this.loading = false;
      document.title = this.pageTitle();
      return;
    }
    try {
      this.me = await this.api.get<Me>('/api/v1/me');
    } catch (e) {
      this.me = null;
      if (e instanceof ApiError && e.status === 401) this.signedInBefore = false;
      else this.pageError = humanError(e, 'check who is signed in');
    }
    this.loading = false;
    if (this.me && this.r.page === 'home' && location.pathname !== '/') history.replaceState(null, '', '/');
    if (this.me && this.r.page === 'session') void this.loadSession(this.r.id);
    document.title = this.pageTitle();
  }

  private async loadSession(id: string) {
    try {
      this.session = await this.api.get<SessionInfo>(`/api/v1/sessions/${encodeURIComponent(id)}`);
      document.title = this.pageTitle();
    } catch (e) {
      this.pageError = humanError(e, 'open this session');
    }
  }

  private pageTitle(): string {
    const t: Record<string, string> = {
      home: this.me ? 'Home' : 'Log in',
      recordings: 'Recorded Sessions',
      recording: 'Recording',
      session: this.session?.title ?? 'Session',
      link: 'Shared recording',
      missing: 'Page not found',
    };
    return `${t[this.r.page]} · ssr`;
  }

  private async login(e: Event) {
    e.preventDefault();
    const form = e.target as HTMLFormElement;
    const email = (form.querySelector('#email') as HTMLInputElement).value.trim();
    const password = (form.querySelector('#password') as HTMLInputElement).value;
    if (!email || !password) {
      this.loginError = 'Enter your e-mail and your password.';
      return;
    }
    try {
      await this.api.json('POST', '/api/v1/login', { email, password });
      this.loginError = '';
      this.loading = true;
      this.signedInBefore = true;
      await this.loadMe();
    } catch (err) {
      this.loginError =
        err instanceof ApiError && err.status === 401
          ? 'That e-mail and password do not match an account. Check them and try again.'
          : humanError(err, 'log in');
      await this.updateComplete;
      (this.renderRoot.querySelector('#password') as HTMLInputElement | null)?.select();
    }
  }

  private async logout() {
    this.signedInBefore = false;
    try {
      await this.api.json('POST', '/api/v1/logout', {});
    } catch {
      /* signed out anyway on this side */
    }
    location.assign('/');
  }

  private renderHeader() {
    const user = this.me?.user;
    const showTab = !!this.me?.has_recordings || this.me?.caller === 'platform';
    return html`<header>
      <div class="bar">
        <a class="brand" href="/"><img src="/assets/icon.svg" alt="" />ssr</a>
        ${this.me
          ? html`<nav aria-label="Main">
              <ul>
                ${showTab
                  ? html`<li><a href="/recordings" aria-current=${this.r.page === 'recordings' ? 'page' : nothing}>Recorded Sessions</a></li>`
                  : nothing}
              </ul>
            </nav>`
          : html`<nav aria-label="Main"></nav>`}
        ${this.me
          ? html`<div class="user">
              <span class="muted">Signed in as <strong>${user?.name ?? 'the platform'}</strong></span>
              <button type="button" @click=${this.logout}>Log out</button>
            </div>`
          : nothing}
      </div>
    </header>`;
  }

  private renderLogin(heading: string) {
    return html`<form class="login" @submit=${this.login} novalidate>
      <h1>${heading}</h1>
      <label for="email">E-mail</label>
      <input id="email" type="email" autocomplete="username" required />
      <label for="password">Password</label>
      <input id="password" type="password" autocomplete="current-password" required />
      ${this.loginError ? html`<p class="error" role="alert">${this.loginError}</p>` : nothing}
      <button type="submit" class="primary">Log in</button>
    </form>`;
  }

  private renderPage() {
    const r = this.r;
    if (r.page === 'link')
      return html`<h1 class="visually-hidden">Shared recording</h1>
        <ssr-player link=${r.token} global-keys></ssr-player>`;
    if (r.page === 'missing')
      return html`<h1>Page not found</h1>
        <p>There is nothing at this address. <a href="/">Go to the start page</a>.</p>`;
    if (this.loading) return html`<p class="muted">Loading…</p>`;
    if (!this.me)
      return html`${this.pageError ? html`<p class="error" role="alert">${this.pageError}</p>` : nothing}
      ${this.renderLogin(r.page === 'home' ? 'Log in' : 'Log in to continue')}`;
    switch (r.page) {
      case 'home':
        return html`<h1>Welcome, ${this.me.user?.name ?? 'platform'}</h1>
          ${this.me.has_recordings
            ? html`<p>Your recordings are in <a href="/recordings">Recorded Sessions</a>.</p>`
            : html`<p>Nothing has been recorded or shared with you yet. When it is, a “Recorded Sessions” tab appears above.</p>`}`;
      case 'recordings':
        return html`<h1>Recorded Sessions</h1>
          <ssr-recorded-sessions></ssr-recorded-sessions>`;
      case 'recording':
        return html`<h1 class="visually-hidden">Recording</h1>
          <ssr-player recording=${r.id} global-keys></ssr-player>`;
      case 'session':
        if (this.pageError) return html`<h1>Session</h1><p class="error" role="alert">${this.pageError}</p>`;
        if (!this.session) return html`<h1>Session</h1><p class="muted">Loading…</p>`;
        return html`<h1>${this.session.title}</h1>
          <div class="session-card">
            <p class="muted">Time zone: ${this.session.timezone}${this.session.your_role ? html` · your role: ${this.session.your_role}` : nothing}</p>
            <div><ssr-record-button session=${this.session.id}></ssr-record-button></div>
          </div>`;
    }
  }

  render() {
    return html`${this.renderHeader()}
      <main id="main">${this.renderPage()}</main>`;
  }
}

define('ssr-app', SsrApp);
