// HTML and SVG are built with the `html` tag below, which escapes every interpolated value unless it is
// already Markup. Escaping is the default, so a forgotten call cannot let input through as markup.

export class Markup {
  constructor(readonly value: string) {}
  toString(): string {
    return this.value;
  }
}

export type Part = Markup | string | number | null | undefined | false | readonly Part[];

const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/**
 * Bidirectional controls (overrides, embeddings, isolates, marks): in text a person reads they turn what
 * follows around (T11\u202Eexe.txt shows as T11txt.exe) and run past the value they came in. Every format
 * opened by people shows them as U+FFFD, as the terminal summary does; report.json keeps the data as it is.
 */
export const BIDI_CONTROLS = /[\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069]/g;

/**
 * Escapes text for element content and quoted attribute values alike, in HTML and inline SVG. Control
 * characters are not allowed in HTML text and some break SVG, so they become U+FFFD, as bidi controls do.
 */
export function esc(text: string): string {
  return text
    .replace(/[&<>"']/g, (c) => ENTITIES[c])
    .replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/g, '\uFFFD')
    .replace(BIDI_CONTROLS, '\uFFFD');
}

function renderPart(part: Part): string {
  if (part === null || part === undefined || part === false) return '';
  if (part instanceof Markup) return part.value;
  if (Array.isArray(part)) return part.map(renderPart).join('');
  return esc(String(part));
}

export function html(strings: TemplateStringsArray, ...values: Part[]): Markup {
  let out = strings[0];
  for (let i = 0; i < values.length; i++) out += renderPart(values[i]) + strings[i + 1];
  return new Markup(out);
}

/** For trusted literals only (CSS, fixed markup). */
export function trusted(text: string): Markup {
  return new Markup(text);
}

/** SVG coordinates: one decimal is below a pixel and keeps the file small and stable. */
export function n1(x: number): string {
  return Number.isFinite(x) ? String(Math.round(x * 10) / 10) : '0';
}
