import { css } from '../css.js';

export const oauthFetchStyles = css`
  :host {
    display: block;
  }
  :host([hidden]) {
    display: none;
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
