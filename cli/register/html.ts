/**
 * HTML built by template functions, escaped by construction: `html\`...\`` escapes every value it
 * interpolates unless the value is already {@link Html} (built by `html` itself or {@link raw}).
 * Every attribute is written in double quotes, so escaping `& < > " '` is enough in text and in
 * attributes alike. Nothing a user writes ever reaches an `href` except through chain paths,
 * which start with `/chain/` or `#` and encode every part.
 */
export class Html {
  constructor(readonly text: string) {}

  toString(): string {
    return this.text;
  }
}

const ENTITIES: Readonly<Record<string, string>> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/** Text made safe for an HTML text node or a double-quoted attribute. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (character) => ENTITIES[character] ?? character);
}

/** A value a template may interpolate: text (escaped), Html (as is), lists of them, or nothing. */
export type Interpolation = Html | string | number | undefined | false | readonly Interpolation[];

function render(value: Interpolation): string {
  if (value === undefined || value === false) return '';
  if (value instanceof Html) return value.text;
  if (typeof value === 'number') return String(value);
  if (typeof value === 'string') return escapeHtml(value);
  return value.map(render).join('');
}

/** Literal parts with the indentation of their source lines removed (once per template). */
const compacted = new WeakMap<TemplateStringsArray, readonly string[]>();

function literals(strings: TemplateStringsArray): readonly string[] {
  let parts = compacted.get(strings);
  if (parts === undefined) {
    parts = strings.map((part) => part.replace(/\n\s+/g, '\n'));
    compacted.set(strings, parts);
  }
  return parts;
}

/**
 * The tagged template: literal parts as written (minus source indentation), every interpolation
 * escaped.
 */
export function html(strings: TemplateStringsArray, ...values: readonly Interpolation[]): Html {
  const parts = literals(strings);
  let out = parts[0] ?? '';
  for (let index = 0; index < values.length; index++) {
    out += render(values[index]) + (parts[index + 1] ?? '');
  }
  return new Html(out);
}

/** Markup that is trusted as written (constants of this folder only, never data). */
export function raw(markup: string): Html {
  return new Html(markup);
}
