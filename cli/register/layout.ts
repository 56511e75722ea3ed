import { html, type Html, type Interpolation } from './html.js';
import { STYLE } from './style.js';

export interface Document {
  readonly title: string;
  /** A line under the title: when the page was computed, and from what. */
  readonly subtitle: Interpolation;
  readonly body: Interpolation;
}

/** A whole page: language, title, skip link, header and the main landmark the skip link targets. */
export function layout(document: Document): Html {
  return html`<!doctype html>
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>${document.title}</title>
        <style>
          ${STYLE}
        </style>
      </head>
      <body>
        <a class="skip" href="#main">Skip to content</a>
        <header>
          <h1>${document.title}</h1>
          <p>${document.subtitle}</p>
        </header>
        <main id="main" tabindex="-1">${document.body}</main>
      </body>
    </html> `;
}

/** One table with a caption, column headers with scope, and rows (each row's first cell a `th`). */
export function table(
  caption: Interpolation,
  columns: readonly string[],
  rows: readonly Html[],
  empty: string,
): Html {
  if (rows.length === 0) return html`<p class="muted">${empty}</p>`;
  return html`<div class="scroll">
    <table>
      <caption>
        ${caption}
      </caption>
      <thead>
        <tr>
          ${columns.map((column) => html`<th scope="col">${column}</th>`)}
        </tr>
      </thead>
      <tbody>
        ${rows}
      </tbody>
    </table>
  </div>`;
}
