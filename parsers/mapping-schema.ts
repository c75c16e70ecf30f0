// The mapping file's JSON Schema, generated from the zod schema so the two never disagree; written to
// docs/mapping.schema.json (a test fails when that copy is stale) for editors via "$schema".
import { z } from 'zod';
import { Profile } from './mapping.js';

// Shown by editors on hover and completion; the zod schema's comments say the same for readers of the code.
const DESCRIPTIONS: Record<string, string> = {
  $schema: 'Path or URL of this schema, for editor completion; ignored by txlog.',
  name: 'Identifier (lower-case letters, digits, dashes) shown in report.json inputs[].profile. Required with "columns".',
  description: 'One sentence for people: which export this reads.',
  kind: 'Record kind the rows become: terminal (default), events or settlement.',
  match: 'Header signature for auto-detection (built-in profiles): the profile applies to a header holding all these columns.',
  encoding: 'Text encoding of the file (utf-8, gbk, gb18030, utf-16le, utf-16be, latin1).',
  delimiter: 'Field delimiter; detected from the header line when absent.',
  skipLines: 'Lines before the header row; searched for in the first 200 lines when absent.',
  columns: 'Canonical field -> header name, list of names (joined with a space), {"join"}, {"template"}, {"first"}, {"const"} or {"lineNumber"}.',
  values: 'Canonical field -> {export value: canonical value}, case-insensitive (e.g. status: {"交易成功": "approved"}).',
  statusFrom: 'Status from whether a column is empty (TabFormer "Errors?").',
  when: 'Per-row overrides: when every cell test in "if" holds, "columns" and "set" apply.',
  nullValues: 'Cell values that mean nothing here ("/", "-", "N/A").',
  defaults: 'Canonical field -> value used when the row has none.',
  dateFormat:
    'date-fns parse pattern of the timestamp, e.g. "dd.MM.yyyy HH:mm:ss" or "M/d/yyyy h:mm a" (dd day, MM month, yyyy year, HH hour 0-23, h hour 1-12, a AM/PM, mm minute, ss second). ' +
    'Absent: inferred from the values. Moment-style DD/YYYY are refused.',
  decimal: 'Decimal mark of amounts: "," for 149,00 and 1.234,56; "." for 12.30 and 1,234.56. Absent: inferred from the values.',
  timeZone: 'IANA zone of times without an offset (e.g. Asia/Shanghai); overrides --tz for this export.',
};

export function mappingJsonSchema(): Record<string, unknown> {
  const schema = z.toJSONSchema(Profile, { io: 'input', unrepresentable: 'any' }) as Record<string, unknown>;
  const props = schema.properties as Record<string, Record<string, unknown>>;
  for (const [key, text] of Object.entries(DESCRIPTIONS)) if (props[key]) props[key] = { description: text, ...props[key] };
  return {
    $schema: schema.$schema,
    $id: 'txlog-mapping.schema.json',
    title: 'txlog mapping profile',
    description:
      'How a merchant export is read (txlog --mapping FILE). With "columns": a profile naming where each field comes from. ' +
      'Without: only how values are read (dateFormat, decimal, timeZone, encoding, delimiter); the header is mapped by the built-in aliases.',
    ...Object.fromEntries(Object.entries(schema).filter(([k]) => k !== '$schema')),
  };
}

/** The file's text: stable key order, two-space indent, final newline. */
export function mappingJsonSchemaText(): string {
  return JSON.stringify(mappingJsonSchema(), null, 2) + '\n';
}
