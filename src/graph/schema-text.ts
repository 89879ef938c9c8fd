// The published forms of the schemas: JSON text with the draft declared.
import type { TSchema } from '@sinclair/typebox';
import { BoardDocumentSchema, LibraryDocumentSchema } from './schema.ts';
import { LessonDocumentSchema } from './lesson.ts';

function schemaText(schema: TSchema): string {
  return JSON.stringify({ $schema: 'http://json-schema.org/draft-07/schema#', ...JSON.parse(JSON.stringify(schema)) }, null, 2) + '\n';
}

export function boardSchemaText(): string {
  return schemaText(BoardDocumentSchema);
}

export function librarySchemaText(): string {
  return schemaText(LibraryDocumentSchema);
}

/** Published file name (under public/schema/) → its text. */
export function publishedSchemas(): Record<string, string> {
  return { 'board.schema.json': boardSchemaText(), 'library.schema.json': librarySchemaText(), 'lesson.schema.json': schemaText(LessonDocumentSchema) };
}
