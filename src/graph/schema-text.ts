// The published form of the board schema: JSON text with the draft declared.
import { BoardDocumentSchema } from './schema.ts';

export function boardSchemaText(): string {
  const schema = { $schema: 'http://json-schema.org/draft-07/schema#', ...JSON.parse(JSON.stringify(BoardDocumentSchema)) };
  return JSON.stringify(schema, null, 2) + '\n';
}
