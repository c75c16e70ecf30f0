import { csvParser } from './csv.js';
import { jsonArrayParser } from './json-array.js';
import { jposXmlParser } from './jpos-xml.js';
import { ndjsonParser } from './ndjson.js';
import type { FormatParser, ParseInfo } from './types.js';

type Format = ParseInfo['format'];

/** One line per input format. */
export const PARSERS: Readonly<Record<Format, FormatParser>> = {
  ndjson: ndjsonParser,
  json: jsonArrayParser,
  csv: csvParser,
  tsv: csvParser,
  xml: jposXmlParser,
};

/** The extension decides when it is specific; otherwise the first non-blank character does. */
export function detectFormat(name: string, head: string): Format {
  const base = name.toLowerCase().replace(/\.gz$/, '');
  if (base.endsWith('.ndjson') || base.endsWith('.jsonl')) return 'ndjson';
  if (base.endsWith('.tsv')) return 'tsv';
  if (base.endsWith('.csv')) return 'csv';
  if (base.endsWith('.xml') || /^<(\?xml|logger[\s>]|log[\s>])/.test(head.trimStart())) return 'xml';
  const first = head.trimStart()[0];
  if (first === '[') return 'json';
  if (first === '{') return 'ndjson';
  if (base.endsWith('.json')) return 'ndjson';
  const firstLine = head.slice(0, head.indexOf('\n') >>> 0);
  return firstLine.includes('\t') && !firstLine.includes(',') ? 'tsv' : 'csv';
}
