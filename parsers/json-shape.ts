// A .json file that starts with "{" is read as NDJSON, one record per line. A pretty-printed object, or an
// API response wrapping the records ({"data": [...]}), is neither NDJSON nor a JSON array: each of its
// lines would be a reject. This looks at the text before reading and either says what the file is and
// what is accepted, or, when the one member is an array of records, reads that array in place.

import { TxlogError } from '../src/errors.js';

const ACCEPTED = 'txlog reads NDJSON (one JSON record per line) or a JSON array of records ([{...}, {...}])';

/** The first member's key when the text opens an object whose first member is an array: `{ "data": [`. */
const WRAPPER = /^\s*\{\s*"((?:[^"\\]|\\.)*)"\s*:\s*\[/;

export type JsonShape = { unwrapped: string; key: string; ignored: string[] } | null;

/**
 * `head`: the text's start; `whole`: whether it is the whole text. Null when the text reads as NDJSON;
 * `unwrapped`: the text with the wrapping object blanked out (line breaks kept, so line numbers hold), to
 * read as a JSON array. Throws when the text is one JSON document that is not records.
 */
export function jsonShape(name: string, head: string, whole: boolean): JsonShape {
  const text = head.replace(/^\uFEFF/, '');
  const firstLine = text.trimStart().split(/\r?\n|\r/, 1)[0].trim();
  if (!firstLine.startsWith('{')) return null;
  // One line that parses is a record, unless it is the whole text and an API response wrapping the records
  // ({"data":[…],"total":5} on one line): then it is read as the pretty-printed one is.
  if (parses(firstLine) && !(whole && text.trim() === firstLine && wrapsRecords(firstLine))) return null;
  const key = WRAPPER.exec(text)?.[1];
  if (whole) {
    let doc: unknown;
    try {
      doc = JSON.parse(text);
    } catch {
      // Records pretty-printed one after another (jq . output): no line is a record.
      if (firstLine === '{') throw prettyPrinted(name);
      return null; // Broken NDJSON: its lines are rejects, each with its reason.
    }
    if (doc === null || typeof doc !== 'object' || Array.isArray(doc)) return null;
    const members = Object.entries(doc as Record<string, unknown>);
    const arrays = members.filter(([, v]) => Array.isArray(v) && v.length > 0 && v.every((x) => x !== null && typeof x === 'object' && !Array.isArray(x)));
    // One array of objects beside nothing but plain values (a count, a status): clearly the records.
    const nested = members.filter(([, v]) => v !== null && typeof v === 'object');
    if (arrays.length === 1 && nested.length === 1) {
      const span = topLevelArray(text);
      if (span) return { unwrapped: blankOutside(text, span), key: arrays[0][0], ignored: members.map(([k]) => k).filter((k) => k !== arrays[0][0]) };
    }
    if (arrays.length > 0) {
      const k = arrays[0][0];
      throw new TxlogError(
        'JSON_SHAPE',
        `${name} is one JSON object with ${nested.length} nested members; its records may be the array under "${k}"; ${ACCEPTED}. Fix: extract the records, e.g. jq '.${jqKey(k)}' ${name} > records.json`,
      );
    }
    throw new TxlogError(
      'JSON_SHAPE',
      `${name} is one JSON object spread over ${text.trimEnd().split(/\r?\n|\r/).length} lines, not a list of records; ${ACCEPTED}. Fix: put each record on one line (jq -c . ${name}), or give the records as a JSON array`,
    );
  }
  if (key !== undefined) {
    throw new TxlogError(
      'JSON_SHAPE',
      `${name} is a JSON object wrapping an array under "${key}", too large to check whole; ${ACCEPTED}. Fix: extract the array, e.g. jq '.${jqKey(key)}' ${name} > records.json`,
    );
  }
  if (firstLine === '{') {
    throw prettyPrinted(name);
  }
  return null;
}

function prettyPrinted(name: string): TxlogError {
  return new TxlogError('JSON_SHAPE', `${name} holds pretty-printed JSON (its first line is "{" alone); ${ACCEPTED}. Fix: write one record per line (jq -c . ${name})`);
}

/** Members a record has and a wrapper does not (a wrapper beside them is a record with a list inside). */
const RECORD_KEY = /terminal|txn|timestamp|amount|status|终端|交易/i;

function wrapsRecords(line: string): boolean {
  const doc = JSON.parse(line) as unknown;
  if (doc === null || typeof doc !== 'object' || Array.isArray(doc)) return false;
  const members = Object.entries(doc as Record<string, unknown>);
  const arrays = members.filter(([, v]) => Array.isArray(v) && v.length > 0 && v.every((x) => x !== null && typeof x === 'object' && !Array.isArray(x)));
  return arrays.length === 1 && !members.some(([k, v]) => !Array.isArray(v) && RECORD_KEY.test(k));
}

function parses(s: string): boolean {
  try {
    JSON.parse(s);
    return true;
  } catch {
    return false;
  }
}

function jqKey(k: string): string {
  return /^[A-Za-z_][A-Za-z0-9_]*$/.test(k) ? k : `[${JSON.stringify(k)}]`;
}

/** Where the one array among the top-level object's members starts and ends ([start, end) in `text`). */
function topLevelArray(text: string): [number, number] | null {
  let depth = 0;
  let start = -1;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '"') {
      for (i++; i < text.length && text[i] !== '"'; i++) if (text[i] === '\\') i++;
    } else if (c === '{' || c === '[') {
      if (depth === 1 && c === '[') start = i;
      depth++;
    } else if (c === '}' || c === ']') {
      depth--;
      if (depth === 1 && c === ']' && start >= 0) return [start, i + 1];
    }
  }
  return null;
}

/** `{ "data": [ ... ], "total": 3 }` -> `          [ ... ]              `: the rest becomes spaces, line breaks stay. */
function blankOutside(text: string, [start, end]: [number, number]): string {
  const blank = (s: string) => s.replace(/[^\r\n]/g, ' ');
  return blank(text.slice(0, start)) + text.slice(start, end) + blank(text.slice(end));
}
