import { readFileSync } from 'node:fs';
import { scopeDescriptions } from './clients.mjs';

export const stylesheet = readFileSync(new URL('./pages.css', import.meta.url), 'utf8');
export const stylesheetPath = '/assets/pages.css';

/** An error the user sees as a page: nothing is sent to the client's redirect URI. */
export class PageError extends Error {
  constructor(status, message, registered) {
    super(message);
    this.status = status;
    this.registered = registered;
  }
}

class SafeHtml {
  constructor(value) {
    this.value = value;
  }
}

/** Escapes every interpolated value unless it is itself the result of `html`. */
function html(strings, ...values) {
  let out = strings[0];
  values.forEach((value, i) => {
    out += render(value) + strings[i + 1];
  });
  return new SafeHtml(out);
}

function render(value) {
  if (value instanceof SafeHtml) return value.value;
  if (Array.isArray(value)) return value.map(render).join('');
  if (value === undefined || value === null || value === false) return '';
  return String(value).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function layout(title, body) {
  return html`<!doctype html>
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <link rel="icon" href="data:," />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>${title} · oauth-elements dev server</title>
        <link rel="stylesheet" href="${stylesheetPath}" />
      </head>
      <body>
        <main>
          <p class="brand">oauth-elements dev server</p>
          <h1>${title}</h1>
          ${body}
        </main>
      </body>
    </html> `.value;
}

export function loginPage({ client, transactionId, demoUser, username, error }) {
  return layout(
    'Sign in',
    html` <p>Sign in to continue to <strong>${client.name}</strong>.</p>
      ${error && html`<p class="error" role="alert">${error}</p>`}
      <form method="post" action="/login">
        <input type="hidden" name="transaction_id" value="${transactionId}" />
        <label>Username <input name="username" autocomplete="username" required autofocus value="${username}" /></label>
        <label>Password <input name="password" type="password" autocomplete="current-password" required /></label>
        <div class="actions"><button type="submit">Sign in</button></div>
      </form>
      <p class="hint">Demo account: ${demoUser.username} / ${demoUser.password}</p>`,
  );
}

export function consentPage({ client, user, scope, redirectUri, transactionId }) {
  const items = scope.map((s) => html`<li><code>${s}</code>: ${scopeDescriptions.get(s)}</li>`);
  return layout(
    'Allow access?',
    html` <p><strong>${client.name}</strong> is asking for access to your account.</p>
      ${
        scope.length > 0
          ? html`<p>It will be able to:</p>
              <ul class="scopes">
                ${items}
              </ul>`
          : html`<p>It asks for no permissions beyond knowing that you signed in.</p>`
      }
      <p class="small">Signed in as ${user.name} (${user.username}). You will be sent back to ${redirectUri}.</p>
      <form method="post" action="/authorize/decision">
        <input type="hidden" name="transaction_id" value="${transactionId}" />
        <div class="actions">
          <button type="submit" name="decision" value="allow">Allow</button>
          <button type="submit" name="decision" value="deny" class="secondary">Deny</button>
        </div>
      </form>`,
  );
}

export function errorPage({ message, registered }) {
  return layout(
    'Sign-in request rejected',
    html` <p class="error" role="alert">${message}</p>
      ${
        registered &&
        html`<p>Registered redirect URIs (matched exactly):</p>
          <ul>
            ${registered.map((uri) => html`<li><code>${uri}</code></li>`)}
          </ul>`
      }
      <p>Nothing was sent back to the application. Go back to it and try again.</p>`,
  );
}

/**
 * `formTargets` lists the origins a form on the page may end up at: browsers apply
 * `form-action` to the redirects that follow a submission too, so the consent form needs
 * the client's origin or the final redirect back to the app would be blocked.
 */
export function sendPage(res, status, page, { formTargets = [] } = {}) {
  res.status(status);
  res.set({
    'Content-Type': 'text/html; charset=utf-8',
    'Content-Security-Policy': [
      "default-src 'none'",
      "style-src 'self'",
      // The empty data: icon above stops Firefox from fetching /favicon.ico against this policy.
      'img-src data:',
      `form-action ${["'self'", ...formTargets].join(' ')}`,
      "frame-ancestors 'none'",
      "base-uri 'none'",
    ].join('; '),
    'X-Frame-Options': 'DENY',
    'Referrer-Policy': 'no-referrer',
    'Cache-Control': 'no-store',
    'X-Content-Type-Options': 'nosniff',
  });
  res.send(page);
}
