import { css, html, LitElement } from 'lit';
import { base } from './styles.js';

// Pop-up messages, each a role="status" region that stays 15 s or until dismissed.
export class SsrToasts extends LitElement {
  static styles = [
    base,
    css`
      :host {
        position: fixed;
        z-index: 1000;
        right: 1rem;
        bottom: 1rem;
        left: auto;
        display: flex;
        flex-direction: column;
        gap: 0.5rem;
        max-width: min(26rem, calc(100vw - 2rem));
      }
      div[role='status'] {
        display: flex;
        gap: 0.75rem;
        align-items: flex-start;
        background: #111827;
        color: #f9fafb;
        padding: 0.75rem 0.9rem;
        border-radius: 8px;
        box-shadow: 0 6px 20px rgb(0 0 0 / 0.2);
      }
      div[role='status'] span {
        flex: 1;
      }
      button {
        background: transparent;
        color: #f9fafb;
        border-color: #6b7280;
        min-height: 1.75rem;
        padding: 0 0.5rem;
      }
      button:hover:not(:disabled) {
        background: #374151;
      }
      :focus-visible {
        outline-color: #93c5fd;
      }
    `,
  ];
  static properties = { items: { state: true } };
  declare items: { id: number; text: string }[];
  private next = 1;

  constructor() {
    super();
    this.items = [];
  }

  show(text: string) {
    const id = this.next++;
    this.items = [...this.items, { id, text }];
    setTimeout(() => this.dismiss(id), 15_000);
  }

  dismiss(id: number) {
    this.items = this.items.filter((t) => t.id !== id);
  }

  render() {
    return this.items.map(
      (t) =>
        html`<div role="status">
          <span>${t.text}</span>
          <button type="button" aria-label="Dismiss message" @click=${() => this.dismiss(t.id)}>×</button>
        </div>`,
    );
  }
}

export function define(name: string, ctor: CustomElementConstructor) {
  if (!customElements.get(name)) customElements.define(name, ctor);
}
define('ssr-toasts', SsrToasts);
