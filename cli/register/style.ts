import { raw } from './html.js';

/**
 * The page's only style sheet, inline (one request, no framework). Colours keep a contrast of at
 * least 4.5:1 against their background (WCAG AA); every focusable element shows a visible focus
 * ring; tables scroll sideways on narrow screens instead of overflowing.
 */
export const STYLE = raw(`
:root { color-scheme: light; --ink: #1b1b1b; --muted: #4a4a4a; --line: #c8c8c8; --link: #0b57d0;
  --bad: #a50e0e; --warn: #7a4d00; --ok: #136c2e; --band: #f3f5f8; --focus: #0b57d0; }
* { box-sizing: border-box; }
body { margin: 0; font: 15px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif;
  color: var(--ink); background: #fff; }
a { color: var(--link); }
a:focus-visible, button:focus-visible, select:focus-visible {
  outline: 3px solid var(--focus); outline-offset: 2px; }
.skip { position: absolute; left: 0.5rem; top: -3rem; background: #fff; padding: 0.5rem 1rem;
  border: 2px solid var(--focus); z-index: 1; }
.skip:focus { top: 0.5rem; }
header { background: var(--band); border-bottom: 1px solid var(--line); padding: 0.75rem 1.5rem; }
header p { margin: 0.25rem 0 0; color: var(--muted); }
main { padding: 1rem 1.5rem 3rem; }
h1 { font-size: 1.5rem; margin: 0; }
h2 { font-size: 1.2rem; margin: 2rem 0 0.5rem; }
form.filters { display: flex; flex-wrap: wrap; gap: 0.75rem 1.25rem; align-items: end;
  margin: 0.5rem 0 1rem; }
form.filters label { display: flex; flex-direction: column; font-weight: 600; gap: 0.2rem; }
select, button { font: inherit; padding: 0.3rem 0.5rem; border: 1px solid #767676;
  border-radius: 4px; background: #fff; color: var(--ink); }
button { background: var(--link); color: #fff; border-color: var(--link); cursor: pointer; }
.scroll { overflow-x: auto; }
table { border-collapse: collapse; width: 100%; }
caption { text-align: left; color: var(--muted); padding: 0 0 0.4rem; }
th, td { text-align: left; vertical-align: top; padding: 0.35rem 0.6rem;
  border-bottom: 1px solid var(--line); }
thead th { background: var(--band); }
tbody th { font-weight: 600; }
ul.people { list-style: none; margin: 0; padding: 0; }
.bad { color: var(--bad); font-weight: 600; }
.warn { color: var(--warn); font-weight: 600; }
.ok { color: var(--ok); }
.muted { color: var(--muted); }
.notice { border-left: 4px solid var(--warn); background: #fff8e6; padding: 0.5rem 1rem; }
dl.chain { display: grid; grid-template-columns: max-content 1fr; gap: 0.3rem 1rem; }
dl.chain dt { font-weight: 600; }
dl.chain dd { margin: 0; }
`);
