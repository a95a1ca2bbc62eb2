// The embeddable custom elements (assets/elements.js): a platform on another origin loads
// this one file and uses them with `api-base` (ssr's origin) and `token` (a user's JWT).
export { SsrRecordButton } from './record-button.js';
export { SsrRecordedSessions } from './recorded-sessions.js';
export { SsrShareDialog } from './share-dialog.js';
export { SsrPlayer } from './player.js';
export { SsrToasts } from './toasts.js';
