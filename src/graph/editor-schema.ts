// The board schema as the JSON editor uses it: the published schema plus what only an editor
// needs — the catalog's type names (with each type's doc) offered for an object's "type", and for
// each catalog type its properties (with their docs, defaults, units and enum values) offered
// inside "props". Nothing here rejects a document the published schema accepts: type names stay
// open (composite types are names too) and property values keep the published value rules.
import { listTypes, type EffectiveType, type PropertySpec } from './catalog.ts';
import { boardSchemaText } from './schema-text.ts';
import { formatSize } from './values.ts';

type JsonSchema = Record<string, unknown>;

/** The default as a user would write it: sizes readable, addresses in hex. */
function defaultText(spec: PropertySpec): string | undefined {
  const value = spec.default;
  if (value === null) return undefined;
  if (typeof value === 'number' && spec.kind === 'size') return formatSize(value);
  if (typeof value === 'number' && spec.kind === 'address') return `0x${(value >>> 0).toString(16)}`;
  return JSON.stringify(value);
}

/** Markdown shown on hover and beside a completion: doc, kind, default, range, unit. */
function propertyMarkdown(spec: PropertySpec): string {
  const facts = [`*${spec.kind === 'link' && spec.linkTo ? `link<${spec.linkTo}>` : spec.kind}*`];
  const shown = defaultText(spec);
  if (shown !== undefined) facts.push(`default \`${shown}\``);
  if (spec.min !== undefined || spec.max !== undefined) facts.push(`range ${spec.min ?? '…'} – ${spec.max ?? '…'}`);
  if (spec.unit) facts.push(`unit ${spec.unit}`);
  if (spec.values) facts.push(`one of ${spec.values.map((v) => `\`${v}\``).join(', ')}`);
  return `${spec.doc}\n\n${facts.join(' · ')}`;
}

function propertySchema(spec: PropertySpec): JsonSchema {
  const schema: JsonSchema = { description: spec.doc, markdownDescription: propertyMarkdown(spec) };
  // Offered values; a string alternative keeps expressions ("${width}") and other spellings valid.
  if (spec.kind === 'enum' && spec.values) schema.anyOf = [{ enum: [...spec.values] }, { type: 'string' }];
  else if (spec.kind === 'bool') schema.anyOf = [{ enum: [true, false] }, { type: 'string' }];
  else if (spec.default !== null) schema.examples = [spec.kind === 'size' && typeof spec.default === 'number' ? formatSize(spec.default) : spec.default];
  return schema;
}

function typeMarkdown(type: EffectiveType): string {
  const props = type.props.length === 0 ? 'no properties' : `properties: ${type.props.map((p) => `\`${p.name}\``).join(', ')}`;
  return `**${type.name}** (${type.category}) — ${type.doc}\n\n${props}`;
}

/**
 * Refers to definitions by JSON Pointer ("#/$defs/BoardObject") instead of by TypeBox's $id names,
 * which an editor resolves against the schema's URI and would try to fetch.
 */
function localRefs(node: unknown): void {
  if (Array.isArray(node)) node.forEach(localRefs);
  else if (typeof node === 'object' && node !== null) {
    const schema = node as JsonSchema;
    if (typeof schema.$ref === 'string' && !schema.$ref.includes('#')) schema.$ref = `#/$defs/${schema.$ref}`;
    for (const value of Object.values(schema)) localRefs(value);
  }
}

/** The board schema with the catalog's types and properties for completion and hover. */
export function editorBoardSchema(): JsonSchema {
  const schema = JSON.parse(boardSchemaText()) as JsonSchema & { $defs: Record<string, JsonSchema & { properties: Record<string, JsonSchema> }> };
  delete schema.$id;
  for (const definition of Object.values(schema.$defs)) delete definition.$id;
  localRefs(schema);
  const boardObject = schema.$defs.BoardObject;
  const types = listTypes({ abstract: false });
  boardObject.properties.type = {
    ...boardObject.properties.type,
    anyOf: [{ enum: types.map((t) => t.name), markdownEnumDescriptions: types.map(typeMarkdown) }, { type: 'string' }],
  };
  boardObject.allOf = types.map((type) => ({
    if: { properties: { type: { const: type.name } }, required: ['type'] },
    then: { properties: { props: { properties: Object.fromEntries(type.props.map((p) => [p.name, propertySchema(p)])) } } },
  }));
  return schema;
}
