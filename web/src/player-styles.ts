import { css } from 'lit';

export const playerStyles = css`
  :host {
    display: block;
  }
  .email {
    display: flex;
    justify-content: center;
    padding: 1rem 0;
  }
  .card {
    width: min(28rem, 100%);
    border: 1px solid var(--line);
    border-radius: 10px;
    padding: 1.25rem;
    background: var(--surface);
  }
  .card h2 {
    margin-top: 0;
    font-size: 1.25rem;
  }
  .card label {
    display: block;
    font-weight: 600;
    margin-bottom: 0.25rem;
  }
  .card input {
    width: 100%;
    margin-bottom: 0.75rem;
  }
  .layout {
    display: grid;
    grid-template-columns: minmax(0, 1fr);
    gap: 1rem;
  }
  @media (min-width: 960px) {
    .layout {
      grid-template-columns: minmax(0, 1fr) 20rem;
    }
  }
  .stage {
    min-width: 0;
  }
  .stage:fullscreen {
    background: #000;
    color: #fff;
    display: flex;
    flex-direction: column;
    padding: 0.5rem;
  }
  .stage:fullscreen .screen {
    flex: 1;
  }
  .stage:fullscreen video {
    max-height: none;
    height: 100%;
  }
  .stage:fullscreen .muted {
    color: #d1d5db;
  }
  .topbar {
    display: grid;
    grid-template-columns: auto minmax(0, 1fr) auto;
    align-items: center;
    gap: 0.5rem;
    margin-bottom: 0.5rem;
  }
  .center {
    display: flex;
    justify-content: center;
    align-items: center;
    gap: 0.75rem;
    min-width: 0;
  }
  .heading {
    text-align: center;
    min-width: 0;
  }
  .heading h2 {
    margin: 0;
    font-size: 1.15rem;
    overflow-wrap: anywhere;
  }
  .heading p {
    margin: 0;
    font-size: 0.9rem;
  }
  button.icon {
    font-size: 1.4rem;
    line-height: 1;
    min-width: 2.75rem;
    min-height: 2.75rem;
    padding: 0 0.5rem;
  }
  .menu-wrap {
    position: relative;
  }
  [role='menu'] {
    position: absolute;
    left: 0;
    top: calc(100% + 0.25rem);
    z-index: 10;
    min-width: min(20rem, 80vw);
    max-height: 50vh;
    overflow: auto;
    background: var(--surface);
    border: 1px solid var(--line);
    border-radius: 8px;
    box-shadow: 0 8px 24px rgb(0 0 0 / 0.15);
    padding: 0.25rem;
  }
  [role='menu'] p {
    margin: 0.5rem;
  }
  [role='menuitem'] {
    display: block;
    padding: 0.5rem 0.75rem;
    border-radius: 6px;
    color: var(--text);
    text-decoration: none;
  }
  [role='menuitem']:hover,
  [role='menuitem']:focus {
    background: var(--soft);
  }
  .screen {
    background: #000;
    border-radius: 8px;
    overflow: hidden;
  }
  video {
    display: block;
    width: 100%;
    max-height: 70vh;
    background: #000;
  }
  .placeholder {
    aspect-ratio: 16 / 9;
    display: grid;
    place-items: center;
    color: #d1d5db;
  }
  .controls {
    margin-top: 0.5rem;
  }
  .keys {
    font-size: 0.85rem;
  }
  .side {
    display: flex;
    flex-direction: column;
    gap: 1rem;
    min-width: 0;
  }
  .side section {
    border: 1px solid var(--line);
    border-radius: 10px;
    padding: 0.75rem;
  }
  .side h3 {
    margin: 0 0 0.5rem;
    font-size: 1rem;
  }
  .side ol {
    list-style: none;
    margin: 0;
    padding: 0;
    overflow: auto;
  }
  .chapters ol {
    max-height: 14rem;
  }
  .chat ol {
    max-height: 22rem;
  }
  .chapters button {
    width: 100%;
    text-align: left;
    border: none;
    border-radius: 6px;
    padding: 0.35rem 0.5rem;
  }
  .chapters button[aria-current='true'] {
    background: #eff6ff;
    box-shadow: inset 3px 0 0 var(--accent);
  }
  .t {
    font-variant-numeric: tabular-nums;
    color: var(--muted);
    font-size: 0.85rem;
    margin-right: 0.35rem;
  }
  .chat li {
    padding: 0.3rem 0;
    border-bottom: 1px solid var(--soft);
    overflow-wrap: anywhere;
  }
  .chat strong {
    margin-right: 0.35rem;
  }
  .msg {
    white-space: pre-wrap;
  }
`;
