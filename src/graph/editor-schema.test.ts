import { readdirSync, readFileSync } from 'node:fs';
import { Ajv } from 'ajv';
import { describe, expect, it } from 'vitest';
import { effectiveType, listTypes } from './catalog.ts';
import { editorBoardSchema } from './editor-schema.ts';

type Schema = Record<string, any>;
const examplesDir = new URL('../../examples/', import.meta.url);
const exampleBoards = readdirSync(examplesDir).filter((f) => f.endsWith('.board.json'));

/** The `then` branch the editor schema applies to objects of `type`. */
function propsFor(schema: Schema, type: string): Record<string, Schema> {
  const branch = schema.$defs.BoardObject.allOf.find((b: Schema) => b.if.properties.type.const === type);
  return branch.then.properties.props.properties;
}

describe('the editor schema', () => {
  const schema = editorBoardSchema() as Schema;

  it('accepts every example board, composite type names and expressions (it never rejects more than the published schema)', () => {
    const validate = new Ajv({ allErrors: true, strict: false }).compile(schema);
    expect(exampleBoards.length).toBeGreaterThan(5);
    for (const file of exampleBoards) {
      const document = JSON.parse(readFileSync(new URL(file, examplesDir), 'utf8'));
      expect({ file, ok: validate(document), errors: validate.errors }).toEqual({ file, ok: true, errors: null });
    }
    const odd = { boardlab: 1, name: 'odd', types: { pair: { objects: {} } }, objects: { p: { type: 'pair' }, u: { type: 'ns16550a', props: { 'reg-shift': '${shift}' } } } };
    expect(validate(odd)).toBe(true);
    expect(validate({ boardlab: 1, name: 'bad', objects: { u: { type: 'ns16550a', unknown: 1 } } })).toBe(false);
  });

  it('offers every instantiable catalog type for "type", each with its doc', () => {
    const typeSchema = schema.$defs.BoardObject.properties.type;
    const offered = typeSchema.anyOf[0];
    const names = listTypes({ abstract: false }).map((t) => t.name);
    expect(offered.enum).toEqual(names);
    expect(names).toContain('ns16550a');
    const uart = offered.markdownEnumDescriptions[names.indexOf('ns16550a')];
    expect(uart).toContain(effectiveType('ns16550a')!.doc);
    expect(typeSchema.anyOf[1]).toEqual({ type: 'string' }); // composite types are names too
  });

  it('describes each type\'s properties inside "props": doc, kind, default, enum values', () => {
    const ram = propsFor(schema, 'ram');
    const sizeSpec = effectiveType('ram')!.props.find((p) => p.name === 'size')!;
    expect(ram.size.description).toBe(sizeSpec.doc);
    expect(ram.size.markdownDescription).toMatch(/\*size\* · default `\d+(\.\d)? [KMG]iB`/);
    const withEnum = listTypes({ abstract: false }).flatMap((t) => t.props.filter((p) => p.kind === 'enum').map((p) => ({ type: t.name, prop: p })))[0];
    expect(withEnum).toBeDefined();
    expect(propsFor(schema, withEnum.type)[withEnum.prop.name].anyOf[0].enum).toEqual(withEnum.prop.values);
    for (const type of listTypes({ abstract: false })) expect(Object.keys(propsFor(schema, type.name)).sort()).toEqual(type.props.map((p) => p.name).sort());
  });
});

describe('the editor schema refers to its definitions by JSON Pointer', () => {
  it('has no $id names an editor would try to fetch', () => {
    const text = JSON.stringify(editorBoardSchema());
    expect(text).not.toContain('"$id"');
    expect(text.match(/"\$ref":"[^"]*"/g)?.every((ref) => ref.startsWith('"$ref":"#/$defs/'))).toBe(true);
  });
});
