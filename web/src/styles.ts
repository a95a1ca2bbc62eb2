import { css } from 'lit';

// Shared look of the elements: system fonts, one accent colour, visible focus. A page can
// change the accent with `--ssr-accent` (keep it AA on white).
export const base = css`
  :host {
    --accent: var(--ssr-accent, #1d4ed8);
    --accent-text: var(--ssr-accent-text, #ffffff);
    --text: var(--ssr-text, #1f2937);
    --muted: var(--ssr-muted, #4b5563);
    --line: var(--ssr-line, #d1d5db);
    --surface: var(--ssr-surface, #ffffff);
    --soft: var(--ssr-soft, #f3f4f6);
    --danger: #b91c1c;
    --ok: #15803d;
    font-family: system-ui, -apple-system, 'Segoe UI', Roboto, 'Noto Sans', sans-serif;
    color: var(--text);
    line-height: 1.45;
    box-sizing: border-box;
  }
  *,
  *::before,
  *::after {
    box-sizing: inherit;
  }
  button,
  input,
  select {
    font: inherit;
  }
  button {
    cursor: pointer;
    border: 1px solid var(--line);
    background: var(--surface);
    color: var(--text);
    border-radius: 6px;
    padding: 0.4rem 0.8rem;
    min-height: 2.25rem;
  }
  button:hover:not(:disabled) {
    background: var(--soft);
  }
  button.primary {
    background: var(--accent);
    border-color: var(--accent);
    color: var(--accent-text);
  }
  button.primary:hover:not(:disabled) {
    filter: brightness(0.92);
    background: var(--accent);
  }
  button.danger {
    color: var(--danger);
    border-color: var(--danger);
  }
  button:disabled {
    cursor: not-allowed;
    opacity: 0.55;
  }
  input[type='text'],
  input[type='email'],
  input[type='password'],
  input[type='search'],
  input[type='date'],
  input[type='time'] {
    border: 1px solid #6b7280;
    border-radius: 6px;
    padding: 0.4rem 0.6rem;
    min-height: 2.25rem;
    background: var(--surface);
    color: var(--text);
    max-width: 100%;
  }
  input[type='checkbox'] {
    width: 1.1rem;
    height: 1.1rem;
    accent-color: var(--accent);
  }
  :focus-visible {
    outline: 3px solid var(--accent);
    outline-offset: 2px;
  }
  .muted {
    color: var(--muted);
  }
  .error {
    color: var(--danger);
    background: #fef2f2;
    border: 1px solid #fecaca;
    border-radius: 6px;
    padding: 0.6rem 0.8rem;
  }
  .notice {
    background: #eff6ff;
    border: 1px solid #bfdbfe;
    border-radius: 6px;
    padding: 0.6rem 0.8rem;
  }
  .visually-hidden {
    position: absolute;
    width: 1px;
    height: 1px;
    overflow: hidden;
    clip: rect(0 0 0 0);
    white-space: nowrap;
  }
  dialog {
    border: 1px solid var(--line);
    border-radius: 10px;
    padding: 1.25rem;
    max-width: min(40rem, calc(100vw - 1.5rem));
    width: 100%;
    color: var(--text);
    background: var(--surface);
  }
  dialog::backdrop {
    background: rgb(17 24 39 / 0.45);
  }
  dialog h2 {
    margin: 0 0 0.75rem;
    font-size: 1.25rem;
  }
  .row {
    display: flex;
    flex-wrap: wrap;
    gap: 0.5rem;
    align-items: center;
  }
  .end {
    justify-content: flex-end;
  }
`;
