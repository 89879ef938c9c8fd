// Stage 1 of resolution: a board that `extends` a machine type is merged onto that type's document.
// Objects merge by name (null removes one, and every mapping and wire that names it); memory
// entries by region, IRQ wires by input, images by CPU — the board's entry replaces the base's.
// Every piece remembers where it came from, so problems point into the user's document.
import { findMachineType, listMachineTypes, machineTypeId, type MachineTypeSpec } from './machines.ts';
import { pointerOf, type BoardProblem } from './problems.ts';
import type {
  BoardDocument,
  CompositeTypeDocument,
  ImageDocument,
  IrqWireDocument,
  MemoryEntryDocument,
  ObjectDocument,
  ParamDocument,
  PropertyValueDocument,
  ResetWireDocument,
} from './schema.ts';

/** Where a piece of the assembled board came from. */
export interface Origin {
  /** JSON Pointer in the user's document; for inherited pieces, the pointer of "extends". */
  pointer: string;
  /** "board", or the machine type id ("riscv-virt@1.1") the piece was inherited from. */
  source: string;
  /** For inherited pieces: the pointer inside the machine type's document. */
  basePointer?: string;
}

export interface AssembledProp {
  value: PropertyValueDocument;
  origin: Origin;
}

export interface AssembledObject {
  type: string | undefined;
  doc?: string;
  repeat?: number | string;
  props: Record<string, AssembledProp>;
  children: Record<string, AssembledObject>;
  origin: Origin;
}

export interface Sourced<T> {
  entry: T;
  origin: Origin;
}

export interface AssembledParam {
  value: number;
  spec?: ParamDocument;
  origin: Origin;
}

export interface AssembledBoard {
  name: string;
  description: string;
  machineType: MachineTypeSpec | undefined;
  params: Record<string, AssembledParam>;
  requires: Sourced<string>[];
  globals: Record<string, Record<string, AssembledProp>>;
  types: Record<string, Sourced<CompositeTypeDocument>>;
  objects: Record<string, AssembledObject>;
  memory: Sourced<MemoryEntryDocument>[];
  irqs: Sourced<IrqWireDocument>[];
  resets: Sourced<ResetWireDocument>[];
  resetDomains: Record<string, Sourced<string[]>>;
  images: Sourced<ImageDocument>[];
  /**
   * Changes to objects the base makes by repetition ("cpu${i}" makes cpu0, cpu1, …): applied after
   * expansion. `object` null removes the object.
   */
  patches: Array<{ name: string; object: AssembledObject | null; pointer: string }>;
}

const BOARD = 'board';

function convertObject(object: ObjectDocument, origin: (suffix: string) => Origin): AssembledObject {
  const props: Record<string, AssembledProp> = {};
  for (const [name, value] of Object.entries(object.props ?? {})) props[name] = { value, origin: origin(`/props${pointerOf(name)}`) };
  const children: Record<string, AssembledObject> = {};
  for (const [name, child] of Object.entries(object.children ?? {})) {
    if (child !== null) children[name] = convertObject(child, (suffix) => origin(`/children${pointerOf(name)}${suffix}`));
  }
  return { type: object.type, doc: object.doc, repeat: object.repeat, props, children, origin: origin('') };
}

/** Patch `base` with the user's object: props and children merge; a new type replaces everything. */
function patchObject(base: AssembledObject, patch: ObjectDocument, pointer: string): AssembledObject {
  const mine = convertObject(patch, (suffix) => ({ pointer: pointer + suffix, source: BOARD }));
  if (patch.type !== undefined && patch.type !== base.type) return mine;
  const children = { ...base.children };
  for (const [name, child] of Object.entries(patch.children ?? {})) {
    const childPointer = `${pointer}/children${pointerOf(name)}`;
    if (child === null) delete children[name];
    else children[name] = children[name] ? patchObject(children[name], child, childPointer) : mine.children[name];
  }
  return {
    type: base.type,
    doc: patch.doc ?? base.doc,
    repeat: patch.repeat ?? base.repeat,
    props: { ...base.props, ...mine.props },
    children,
    origin: { pointer, source: BOARD },
  };
}

function fromDocument(document: BoardDocument, source: string, pointerFor: (p: string) => string): AssembledBoard {
  const origin = (p: string): Origin => (source === BOARD ? { pointer: p, source } : { pointer: pointerFor(p), source, basePointer: p });
  const sourced = <T>(list: T[] | undefined, member: string): Sourced<T>[] => (list ?? []).map((entry, i) => ({ entry, origin: origin(pointerOf(member, i)) }));
  const objects: Record<string, AssembledObject> = {};
  for (const [name, object] of Object.entries(document.objects)) {
    if (object !== null) objects[name] = convertObject(object, (suffix) => origin(`${pointerOf('objects', name)}${suffix}`));
  }
  const globals: Record<string, Record<string, AssembledProp>> = {};
  for (const [type, props] of Object.entries(document.globals ?? {})) {
    globals[type] = {};
    for (const [prop, value] of Object.entries(props)) globals[type][prop] = { value, origin: origin(pointerOf('globals', type, prop)) };
  }
  const types: Record<string, Sourced<CompositeTypeDocument>> = {};
  for (const [name, def] of Object.entries(document.types ?? {})) types[name] = { entry: def, origin: origin(pointerOf('types', name)) };
  const resetDomains: Record<string, Sourced<string[]>> = {};
  for (const [name, members] of Object.entries(document.resetDomains ?? {})) resetDomains[name] = { entry: members, origin: origin(pointerOf('resetDomains', name)) };
  const params: Record<string, AssembledParam> = {};
  for (const [name, value] of Object.entries(document.params ?? {})) params[name] = { value, origin: origin(pointerOf('params', name)) };
  return {
    name: document.name,
    description: document.description ?? '',
    machineType: undefined,
    params,
    requires: sourced(document.requires, 'requires'),
    globals,
    types,
    objects,
    memory: sourced(document.memory, 'memory'),
    irqs: sourced(document.irqs, 'irqs'),
    resets: sourced(document.resets, 'resets'),
    resetDomains,
    images: sourced(document.images, 'images'),
    patches: [],
  };
}

/** The first path segment an entry's reference names ("soc/uart0.regs" → "soc"). */
function topObject(reference: string | undefined): string | undefined {
  if (reference === undefined) return undefined;
  const path = reference.replace(/^\/machine\//, '').replace(/^\//, '');
  return path.split(/[/.]/)[0];
}

/** Merge a board onto the machine type it extends (if any). */
export function assembleBoard(document: BoardDocument): { board: AssembledBoard; problems: BoardProblem[] } {
  const problems: BoardProblem[] = [];
  const mine = fromDocument(document, BOARD, (p) => p);
  if (document.extends === undefined) return { board: mine, problems };

  const spec = findMachineType(document.extends);
  if (spec === undefined) {
    const [name] = document.extends.split('@');
    const versions = listMachineTypes().filter((m) => m.name === name).map(machineTypeId);
    problems.push({
      pointer: '/extends',
      message: `unknown machine type "${document.extends}"`,
      hint: versions.length > 0 ? `Known versions: ${versions.join(', ')}.` : `Known machine types: ${[...new Set(listMachineTypes().map(machineTypeId))].join(', ')}.`,
    });
    return { board: mine, problems };
  }
  const id = machineTypeId(spec);
  const base = fromDocument(spec.document, id, () => '/extends');
  base.machineType = spec;

  // Parameters: the machine type's defaults, overridden by the board's, within the declared ranges.
  const params: Record<string, AssembledParam> = {};
  for (const [name, paramSpec] of Object.entries(spec.params)) params[name] = { value: paramSpec.default, spec: paramSpec, origin: { pointer: '/extends', source: id } };
  for (const [name, param] of Object.entries(mine.params)) params[name] = { ...param, spec: params[name]?.spec };

  // Objects: merge by name; null removes an inherited object.
  const objects = { ...base.objects };
  const removed = new Set<string>();
  const patches: AssembledBoard['patches'] = [];
  const repeated = Object.keys(base.objects).some((key) => key.includes('${'));
  for (const [name, object] of Object.entries(document.objects)) {
    const pointer = pointerOf('objects', name);
    if (object === null) {
      if (objects[name] === undefined) {
        if (repeated) patches.push({ name, object: null, pointer });
        else problems.push({ pointer, message: `"${name}" is not an object of ${id}, so there is nothing to remove`, hint: `Objects of ${id}: ${Object.keys(base.objects).join(', ')}.` });
      }
      delete objects[name];
      removed.add(name);
    } else if (objects[name] !== undefined) {
      objects[name] = patchObject(objects[name], object, pointer);
    } else if (object.type === undefined && repeated) {
      patches.push({ name, object: mine.objects[name], pointer }); // re-configures a repeated object
    } else {
      objects[name] = mine.objects[name];
    }
  }

  // Lists: inherited entries that name a removed object go; the board's entries replace inherited
  // ones for the same region (memory), input (IRQs), or CPU (images).
  const keep = <T>(list: Sourced<T>[], refs: (entry: T) => Array<string | undefined>) =>
    list.filter((s) => !refs(s.entry).some((r) => removed.has(topObject(r) ?? '')));
  const replaceBy = <T>(inherited: Sourced<T>[], own: Sourced<T>[], key: (entry: T) => string | undefined) => {
    const ownKeys = new Set<string | undefined>(own.map((s) => key(s.entry)).filter((k) => k !== undefined));
    return [...inherited.filter((s) => !ownKeys.has(key(s.entry))), ...own];
  };
  const globals = { ...base.globals };
  for (const [type, props] of Object.entries(mine.globals)) globals[type] = { ...(globals[type] ?? {}), ...props };

  return {
    board: {
      name: document.name,
      description: document.description ?? base.description,
      machineType: spec,
      params,
      requires: [...base.requires, ...mine.requires],
      globals,
      types: { ...base.types, ...mine.types },
      objects,
      memory: replaceBy(keep(base.memory, (e) => [e.map, e.alias, e.into]), mine.memory, (e) => e.map ?? undefined),
      irqs: replaceBy(keep(base.irqs, (e) => [e.from, e.to]), mine.irqs, (e) => e.to),
      resets: [...keep(base.resets, (e) => [e.from, e.to]), ...mine.resets],
      resetDomains: { ...base.resetDomains, ...mine.resetDomains },
      images: replaceBy(keep(base.images, (e) => [e.cpu]), mine.images, (e) => e.cpu),
      patches,
    },
    problems,
  };
}
