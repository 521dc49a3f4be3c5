import { css } from '../css.js';

export const oauthFetchStyles = css`
  :host {
    display: block;
  }
  :host([hidden]) {
    display: none;
  }
  /*
   * The host's text (the "Loading…" line) is in the tree's font too: the browser then loads
   * that font while the request is in flight, instead of during the first layout of the data
   * (3–4 ms of the frame in Chromium on Linux).
   */
  :host,
  .json-tree {
    font-family: var(--oauth-fetch-font-family, ui-monospace, SFMono-Regular, Menlo, Consolas, 'Liberation Mono', monospace);
  }

  [part='status'] {
    color: var(--oauth-fetch-status-color, #59636e);
    font-size: 0.875em;
  }
  [part='status']:empty {
    display: none;
  }
  :host([status='error']) [part='status'] {
    color: var(--oauth-fetch-error-color, #b42318);
  }
  [part='view'][aria-busy='true'] {
    opacity: 0.6;
  }
`;
