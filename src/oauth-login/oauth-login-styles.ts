import { css } from '../css.js';

export const oauthLoginStyles = css`
  :host {
    display: inline-flex;
    flex-direction: column;
    align-items: flex-start;
    gap: 0.5em;
  }
  :host([hidden]) {
    display: none;
  }
  [part='button'] {
    font: var(--oauth-login-font, inherit);
    padding: var(--oauth-login-padding, 0.5em 1.25em);
    border: var(--oauth-login-border, 1px solid transparent);
    border-radius: var(--oauth-login-border-radius, 0.375em);
    background: var(--oauth-login-background, #1f6feb);
    color: var(--oauth-login-color, #fff);
    cursor: pointer;
  }
  :host([status='signed-in']) [part='button'] {
    background: var(--oauth-login-signed-in-background, #fff);
    color: var(--oauth-login-signed-in-color, #1f2328);
    border-color: var(--oauth-login-signed-in-border-color, #d0d7de);
  }
  [part='button']:focus-visible {
    outline: var(--oauth-login-focus-ring, 2px solid #1f6feb);
    outline-offset: 2px;
  }
  [part='error'] {
    margin: 0;
    color: var(--oauth-login-error-color, #b42318);
    font-size: 0.875em;
  }
  [part='error']:empty {
    display: none;
  }
`;
