import { unsafeCSS, type CSSResult } from '@lit/reactive-element';

/**
 * The tag for the elements' own style sheets: lit's `css` without its checks of
 * interpolated values, since these sheets have none (the signature refuses them). lit's
 * `css` and its messages would add 160 bytes gzip to the bundle; the sheet is the same.
 */
export const css = (literal: TemplateStringsArray): CSSResult => unsafeCSS(literal[0]);
