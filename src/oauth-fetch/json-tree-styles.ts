import { css } from '../css.js';

/**
 * Styles for the tree that `renderJsonTree` builds. The default colours keep at least 4.5:1
 * contrast on a white background; pages with another background set the custom properties,
 * documented on `OAuthFetchElement`, which adopts these when it first shows a tree (their font
 * rule is in its own styles).
 */
export const jsonTreeStyles = css`
  .json-tree {
    font-size: var(--oauth-fetch-font-size, 0.875rem);
    line-height: 1.5;
    overflow-wrap: anywhere;
  }

  .json-tree ul {
    list-style: none;
    margin: 0;
    padding: 0 0 0 var(--oauth-fetch-indent, 1.25em);
  }

  /* Leaves line up with the text of summaries, after the disclosure triangle. */
  .json-row > :first-child:not(details),
  .json-more {
    margin-inline-start: 1.1em;
  }

  .json-tree summary {
    cursor: pointer;
    list-style: none;
    border-radius: 2px;
  }

  .json-tree summary::-webkit-details-marker {
    display: none;
  }

  /*
   * The disclosure triangle as a glyph with empty alternative text, so screen readers do not
   * read it out (they announce the summary's expanded state already). A glyph follows the
   * text colour, forced colours included. Swapped rather than rotated when open: a transform
   * gives every open summary its own paint property node (about 2 ms of the first frame of a
   * small response in Chromium). The fixed width keeps the text in place.
   */
  .json-tree summary::before {
    content: '▸';
    content: '▸' / '';
    display: inline-block;
    width: 1.1em;
  }

  .json-tree details[open] > summary::before {
    content: '▾';
    content: '▾' / '';
  }

  .json-tree summary:focus-visible,
  .json-more-button:focus-visible {
    outline: 2px solid var(--oauth-fetch-focus-color, #1750eb);
    outline-offset: 1px;
  }

  .json-key {
    color: var(--oauth-fetch-key-color, #881391);
  }

  .json-index {
    color: var(--oauth-fetch-index-color, #59636e);
  }

  .json-string {
    color: var(--oauth-fetch-string-color, #0b7a0b);
  }

  .json-number {
    color: var(--oauth-fetch-number-color, #1750eb);
  }

  .json-boolean {
    color: var(--oauth-fetch-boolean-color, #b45309);
  }

  .json-null {
    color: var(--oauth-fetch-null-color, #59636e);
  }

  .json-meta,
  .json-empty {
    color: var(--oauth-fetch-meta-color, #59636e);
  }

  .json-more-button {
    font: inherit;
    margin-block: 0.125em;
    cursor: pointer;
  }
`;
