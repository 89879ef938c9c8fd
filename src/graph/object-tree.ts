// The object tree of a board document that may not resolve yet: objects with their canonical
// paths and layered property values, the board's parameters and its composite types — resolution's
// first stages (assemble, expand, layer properties) without the memory, wiring and CPU checks.
// A monitor building a machine piece by piece (QMP's preconfig phase) shows and edits this tree.
import { assembleBoard } from './assemble.ts';
import { effectiveType } from './catalog.ts';
import { expandBoard } from './expand.ts';
import type { MachineTypeSpec } from './machines.ts';
import { DEFAULT_PLATFORM, findPlatform } from './platforms.ts';
import { layerProps, type PropertyValue } from './props.ts';
import type { ResolveOptions } from './resolve.ts';
import type { BoardDocument, CompositeTypeDocument, ParamDocument } from './schema.ts';

/** An object as the object tree shows it. */
export interface TreeObject {
  path: string;
  name: string;
  type: string;
  parent: string;
  props: Record<string, PropertyValue>;
  /** An instance of a composite type (its props are the composite's parameters and exposed properties). */
  composite: boolean;
}

/** The composition tree: objects, board parameters, composite types. */
export interface ObjectTree {
  machineType: MachineTypeSpec | undefined;
  params: Array<{ name: string; value: number; spec?: ParamDocument }>;
  objects: TreeObject[];
  compositeTypes: Record<string, CompositeTypeDocument>;
}

/** Composite types from the library files a document names (already read, in ResolveOptions). */
export function libraryTypes(document: BoardDocument, options: ResolveOptions): Record<string, CompositeTypeDocument> {
  const types: Record<string, CompositeTypeDocument> = {};
  for (const name of document.libraries ?? []) {
    const library = options.libraries?.get(name) as { types?: Record<string, CompositeTypeDocument> } | undefined;
    if (typeof library === 'object' && library !== null && typeof library.types === 'object' && library.types !== null) Object.assign(types, library.types);
  }
  return types;
}

/** The object tree of `document`; empty when the document is too broken to assemble. */
export function objectTree(document: BoardDocument, options: ResolveOptions = {}): ObjectTree {
  const empty: ObjectTree = { machineType: undefined, params: [], objects: [], compositeTypes: {} };
  try {
    const { board: assembled } = assembleBoard(document);
    const fromLibraries = libraryTypes(document, options);
    for (const [name, entry] of Object.entries(fromLibraries)) {
      if (assembled.types[name] === undefined) assembled.types[name] = { entry, origin: { pointer: '/libraries', source: `library ${name}` } };
    }
    const { expanded } = expandBoard(assembled);
    const platform = findPlatform(options.platform ?? DEFAULT_PLATFORM) ?? findPlatform(DEFAULT_PLATFORM)!;
    const context = { platform, machineType: assembled.machineType, globals: assembled.globals };
    const objects: TreeObject[] = expanded.objects.map((object) => {
      const type = effectiveType(object.type);
      let props: Record<string, PropertyValue> = {};
      if (object.composite !== undefined) for (const [name, given] of Object.entries(object.props)) props[name] = given.value;
      else if (type !== undefined) props = layerProps(object, type, context, []).props;
      return { path: object.path, name: object.name, type: object.type, parent: object.parent, props, composite: object.composite !== undefined };
    });
    const params = Object.entries(assembled.params).map(([name, p]) => ({ name, value: p.value, spec: p.spec }));
    return { machineType: assembled.machineType, params, objects, compositeTypes: { ...fromLibraries, ...(document.types ?? {}) } };
  } catch {
    return empty;
  }
}
