import type { FormatParser, ParseInfo, RowItem } from '../parsers/types.js';

/** Text as a parser receives it, cut into small chunks so row and escape boundaries fall mid-chunk. */
export async function* chunked(text: string, size = 7): AsyncIterable<string> {
  for (let i = 0; i < text.length; i += size) yield text.slice(i, i + size);
}

export async function parseAll(parser: FormatParser, text: string, size = 7, format: ParseInfo['format'] = parser.id): Promise<{ items: RowItem[]; info: ParseInfo }> {
  const info: ParseInfo = { format, profile: null, skippedLines: 0 };
  const items: RowItem[] = [];
  for await (const batch of parser.parse(chunked(text, size), { name: 'test' }, info)) items.push(...batch);
  return { items, info };
}
