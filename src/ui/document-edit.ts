// Edits of a board document, as pure functions from one document to the next (the designer's
// actions: set a property, add, delete and rename objects, wire IRQs, map regions, move nodes) and
// the undo history over document states. Each returns a new document; the input is never changed.
import { ROOT_PATH, type BoardDocument, type ObjectDocument, type PropertyValueDocument } from '../graph/index.ts';

const clone = <T>(value: T): T => structuredClone(value);

/** The document path of an object: "/machine/soc/uart0" → ["soc", "uart0"]. */
export function pathNames(path: string): string[] {
  return path.startsWith(`${ROOT_PATH}/`) ? path.slice(ROOT_PATH.length + 1).split('/') : [];
}

/** Reference text of an object in wires and mappings: "/machine/soc/uart0" → "soc/uart0". */
export function referenceOf(path: string): string {
  return pathNames(path).join('/');
}

/** The object's entry in the document, created (without a type: it re-configures an inherited object) if asked. */
function entry(document: BoardDocument, path: string, create: boolean): ObjectDocument | undefined {
  const names = pathNames(path);
  if (names.length === 0) return undefined;
  let container: Record<string, ObjectDocument | null> = document.objects;
  let object: ObjectDocument | undefined;
  for (const name of names) {
    let next = container[name];
    if (next === null || next === undefined) {
      if (!create) return undefined;
      next = {};
      container[name] = next;
    }
    object = next;
    if (name !== names[names.length - 1]) {
      if (!object.children) {
        if (!create) return undefined;
        object.children = {};
      }
      container = object.children;
    }
  }
  return object;
}

/** Sets (or with `undefined`, clears) an explicit property value of the object at `path`. */
export function setProperty(document: BoardDocument, path: string, name: string, value: PropertyValueDocument | undefined): BoardDocument {
  const next = clone(document);
  const object = entry(next, path, value !== undefined);
  if (!object) return next;
  if (value === undefined) {
    if (object.props) {
      delete object.props[name];
      if (Object.keys(object.props).length === 0) delete object.props;
    }
  } else {
    object.props = { ...object.props, [name]: value };
  }
  return next;
}

/** A name not used at the top level of the document (or by `taken`): "uart", "uart1", "uart2", … */
export function uniqueName(document: BoardDocument, base: string, taken: Iterable<string> = []): string {
  const used = new Set([...Object.keys(document.objects), ...taken]);
  const stem = base.toLowerCase().replace(/[^a-z0-9_-]+/g, '-').replace(/^[^a-z]+/, '') || 'object';
  if (!used.has(stem) && !/\d$/.test(stem)) return stem;
  const root = stem.replace(/\d+$/, '');
  for (let i = 0; ; i++) {
    const candidate = `${root}${i}`;
    if (!used.has(candidate)) return candidate;
  }
}

/** Adds a top-level object of `type`; returns the document and the new object's name. */
export function addObject(document: BoardDocument, type: string, base = type, props?: Record<string, PropertyValueDocument>): { document: BoardDocument; name: string } {
  const next = clone(document);
  const name = uniqueName(next, base);
  next.objects[name] = props && Object.keys(props).length > 0 ? { type, props } : { type };
  return { document: next, name };
}

/** Adds copies of objects (from the clipboard) with fresh names; returns the names given. */
export function pasteObjects(document: BoardDocument, objects: Record<string, ObjectDocument>, taken: Iterable<string> = []): { document: BoardDocument; names: string[] } {
  let next = clone(document);
  const names: string[] = [];
  for (const [name, object] of Object.entries(objects)) {
    const fresh = uniqueName(next, name, taken);
    next = { ...next, objects: { ...next.objects, [fresh]: clone(object) } };
    names.push(fresh);
  }
  return { document: next, names };
}

/** The object part of a reference "<object>.<port>[…]" (or a plain object reference); a port name may have a dot ("mbox.a.regs"), object names never do. */
function referencedObject(reference: string): string {
  const dot = reference.indexOf('.', reference.lastIndexOf('/') + 1);
  return dot < 0 ? reference : reference.slice(0, dot);
}

function refersTo(reference: string | undefined, object: string): boolean {
  if (reference === undefined) return false;
  const target = referencedObject(reference);
  return target === object || target.startsWith(`${object}/`) || reference === object || reference.startsWith(`${object}/`);
}

function renameReference(reference: string, from: string, to: string): string {
  if (reference === from) return to;
  if (reference.startsWith(`${from}.`) || reference.startsWith(`${from}/`)) return to + reference.slice(from.length);
  if (reference === `${ROOT_PATH}/${from}`) return `${ROOT_PATH}/${to}`;
  if (reference.startsWith(`${ROOT_PATH}/${from}/`) || reference.startsWith(`${ROOT_PATH}/${from}.`)) return `${ROOT_PATH}/${to}` + reference.slice(ROOT_PATH.length + 1 + from.length);
  if (reference === `domain:${from}`) return reference;
  return reference;
}

function linkValues(objects: Record<string, ObjectDocument | null>, visit: (props: Record<string, PropertyValueDocument>, key: string) => void): void {
  for (const object of Object.values(objects)) {
    if (!object) continue;
    if (object.props) for (const key of Object.keys(object.props)) visit(object.props, key);
    if (object.children) linkValues(object.children, visit);
  }
}

/**
 * Removes the object at `path` and everything that refers to it: mappings of its regions, wires to
 * and from it, resets, its images, links to it (cleared) and its layout. An object inherited
 * through "extends" is removed with null.
 */
export function deleteObject(document: BoardDocument, path: string, inherited = false): BoardDocument {
  const next = clone(document);
  const names = pathNames(path);
  if (names.length === 0) return next;
  const reference = names.join('/');
  if (names.length === 1) {
    if (inherited) next.objects[names[0]] = null;
    else delete next.objects[names[0]];
  } else {
    const parent = entry(next, `${ROOT_PATH}/${names.slice(0, -1).join('/')}`, inherited);
    if (parent?.children) {
      if (inherited) parent.children[names[names.length - 1]] = null;
      else delete parent.children[names[names.length - 1]];
    }
  }
  if (next.memory) next.memory = next.memory.filter((m) => !refersTo(m.map, reference) && !refersTo(m.alias, reference) && !refersTo(m.into, reference));
  if (next.irqs) next.irqs = next.irqs.filter((w) => !refersTo(w.from, reference) && !refersTo(w.to, reference));
  if (next.resets) next.resets = next.resets.filter((r) => !refersTo(r.from, reference) && !refersTo(r.to, reference));
  if (next.images) next.images = next.images.filter((i) => i.cpu === undefined || !refersTo(i.cpu, reference));
  if (next.resetDomains) {
    for (const [domain, members] of Object.entries(next.resetDomains)) next.resetDomains[domain] = members.filter((m) => !refersTo(m, reference));
  }
  linkValues(next.objects, (props, key) => {
    const value = props[key];
    if (typeof value === 'string' && (value === reference || value === path || value.startsWith(`${path}/`) || value.startsWith(`${reference}/`))) props[key] = null;
  });
  if (next.layout) {
    for (const key of Object.keys(next.layout)) {
      const id = key.slice(key.indexOf(':') + 1);
      if (id === path || id.startsWith(`${path}/`) || id.startsWith(`${path}.`)) delete next.layout[key];
    }
  }
  for (const key of ['memory', 'irqs', 'resets', 'images'] as const) {
    if (next[key]?.length === 0) delete next[key];
  }
  return next;
}

export type RenameResult = { ok: true; document: BoardDocument } | { ok: false; reason: string };

/** Renames a top-level object and updates every reference to it in the document. */
export function renameObject(document: BoardDocument, path: string, name: string): RenameResult {
  const names = pathNames(path);
  if (names.length !== 1) return { ok: false, reason: 'only objects at the top of the board can be renamed' };
  const from = names[0];
  if (!/^[a-z][a-z0-9_-]*$/.test(name)) return { ok: false, reason: `"${name}" is not a valid name: lower-case letters, digits, "-" and "_", starting with a letter` };
  if (name === from) return { ok: true, document: clone(document) };
  if (name in document.objects) return { ok: false, reason: `there is already an object named "${name}"` };
  const source = document.objects[from];
  if (source === undefined || source === null) return { ok: false, reason: `${from} is inherited from the machine type and cannot be renamed` };
  const next = clone(document);
  // Keep the order of objects: rebuild the record with the new key in place.
  next.objects = Object.fromEntries(Object.entries(next.objects).map(([key, value]) => [key === from ? name : key, value]));
  const rename = (reference: string) => renameReference(reference, from, name);
  next.memory = next.memory?.map((m) => ({ ...m, ...(m.map && { map: rename(m.map) }), ...(m.alias && { alias: rename(m.alias) }), ...(m.into && { into: rename(m.into) }) }));
  next.irqs = next.irqs?.map((w) => ({ ...w, from: rename(w.from), to: rename(w.to) }));
  next.resets = next.resets?.map((r) => ({ ...r, from: rename(r.from), to: rename(r.to) }));
  next.images = next.images?.map((i) => (i.cpu === undefined ? i : { ...i, cpu: rename(i.cpu) }));
  if (next.resetDomains) next.resetDomains = Object.fromEntries(Object.entries(next.resetDomains).map(([domain, members]) => [domain, members.map(rename)]));
  linkValues(next.objects, (props, key) => {
    const value = props[key];
    if (typeof value === 'string' && (value === from || value.startsWith(`${from}/`) || value === `${ROOT_PATH}/${from}` || value.startsWith(`${ROOT_PATH}/${from}/`))) props[key] = rename(value);
  });
  if (next.layout) {
    next.layout = Object.fromEntries(
      Object.entries(next.layout).map(([key, position]) => {
        const colon = key.indexOf(':');
        return [`${key.slice(0, colon + 1)}${rename(key.slice(colon + 1))}`, position];
      }),
    );
  }
  for (const key of ['memory', 'irqs', 'resets', 'images'] as const) {
    if (next[key] === undefined) delete next[key];
  }
  return { ok: true, document: next };
}

/** Wires an IRQ output to an input (references like "uart0.irq", "plic.in[3]"). */
export function addIrqWire(document: BoardDocument, from: string, to: string): BoardDocument {
  const next = clone(document);
  next.irqs = [...(next.irqs ?? []), { from, to }];
  return next;
}

/** An address as a mapping's "at" holds it: hex, as people write them ("0x10000000"). */
function addressText(at: number): string {
  return `0x${(at >>> 0).toString(16)}`;
}

/** Maps a region ("ram.mem") at an address (in an address space other than "system" when given). */
/** Maps `region` at `at` in `space`; with `alias`, shows there a region mapped elsewhere already (RAM two CPUs share). */
export function addMapping(document: BoardDocument, region: string, at: number, space = 'system', alias = false): BoardDocument {
  const next = clone(document);
  const entry = alias ? { alias: region, at: addressText(at) } : { map: region, at: addressText(at) };
  next.memory = [...(next.memory ?? []), { ...entry, ...(space !== 'system' && { space }) }];
  return next;
}

/** The index in its list of a board entry pointer ("/irqs/3" → ["irqs", 3]), or undefined. */
function entryIndex(pointer: string): { list: 'irqs' | 'memory' | 'resets'; index: number } | undefined {
  const match = /^\/(irqs|memory|resets)\/(\d+)$/.exec(pointer);
  return match ? { list: match[1] as 'irqs' | 'memory' | 'resets', index: Number(match[2]) } : undefined;
}

/** Removes the IRQ wire, mapping or reset wire at a pointer ("/memory/2"); other pointers change nothing. */
export function removeEntry(document: BoardDocument, pointer: string): BoardDocument {
  const next = clone(document);
  const at = entryIndex(pointer);
  const list = at ? (next[at.list] as unknown[] | undefined) : undefined;
  if (!at || !list || at.index >= list.length) return next;
  list.splice(at.index, 1);
  if (list.length === 0) delete next[at.list];
  return next;
}

/** Changes the ends of the IRQ wire at a pointer ("/irqs/0") in place, so its place in the list stays. */
export function setIrqWire(document: BoardDocument, pointer: string, ends: { from?: string; to?: string }): BoardDocument {
  const next = clone(document);
  const at = entryIndex(pointer);
  const wire = at?.list === 'irqs' ? next.irqs?.[at.index] : undefined;
  if (!wire) return next;
  if (ends.from !== undefined) wire.from = ends.from;
  if (ends.to !== undefined) wire.to = ends.to;
  return next;
}

/**
 * Moves a mapped region: the board's own entry at `pointer` changes in place; an inherited mapping
 * (from the machine type) gets an entry of the board for the same region, which replaces it.
 */
export function setMappingAddress(document: BoardDocument, pointer: string, region: string, at: number): BoardDocument {
  const index = entryIndex(pointer);
  const entry = index?.list === 'memory' ? document.memory?.[index.index] : undefined;
  if (!entry) return addMapping(document, region, at);
  const next = clone(document);
  next.memory![index!.index] = { ...entry, at: addressText(at) };
  return next;
}

/** Stores a node position the user chose (key "irq:/machine/uart0"). */
export function setLayout(document: BoardDocument, key: string, position: { x: number; y: number }): BoardDocument {
  const next = clone(document);
  next.layout = { ...next.layout, [key]: { x: Math.round(position.x), y: Math.round(position.y) } };
  return next;
}

/** The document without its layout member: two documents that differ only in layout run the same board. */
export function withoutLayout(document: BoardDocument): BoardDocument {
  const { layout: _layout, ...rest } = document;
  return rest as BoardDocument;
}

export function documentText(document: BoardDocument): string {
  return JSON.stringify(document, null, 2) + '\n';
}

/** Undo and redo over document texts. */
export class History {
  private readonly past: string[] = [];
  private readonly future: string[] = [];
  constructor(private readonly limit = 200) {}

  /** Records `previous` as the state before a new edit (the redo stack empties). */
  record(previous: string): void {
    if (this.past[this.past.length - 1] === previous) return;
    this.past.push(previous);
    if (this.past.length > this.limit) this.past.shift();
    this.future.length = 0;
  }

  undo(current: string): string | undefined {
    const previous = this.past.pop();
    if (previous !== undefined) this.future.push(current);
    return previous;
  }

  redo(current: string): string | undefined {
    const next = this.future.pop();
    if (next !== undefined) this.past.push(current);
    return next;
  }

  get canUndo(): boolean {
    return this.past.length > 0;
  }

  get canRedo(): boolean {
    return this.future.length > 0;
  }

  clear(): void {
    this.past.length = 0;
    this.future.length = 0;
  }
}
