// Writes docs/mapping.schema.json from the zod schema (run after `npm run build`).
import { writeFileSync, mkdirSync } from 'node:fs';
import { mappingJsonSchemaText } from '../dist/parsers/mapping-schema.js';

mkdirSync(new URL('../docs/', import.meta.url), { recursive: true });
writeFileSync(new URL('../docs/mapping.schema.json', import.meta.url), mappingJsonSchemaText());
