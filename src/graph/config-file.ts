// The config-file form of a board: INI-like sections in the style of QEMU's -readconfig, one
// section per object, mapping, wire and image. Values are JSON literals ("text", 42, true, null,
// or [...]/{...} for the few structured members), so writing then reading gives back the same
// document, and so the same resolved machine.
//
//   [board]
//     name = "hello"
//     extends = "riscv-virt@1.1"
//   [object "uart1"]
//     type = "ns16550a"
//     fifo-depth = 1
//   [memory]
//     map = "uart1.regs"
//     at = "0x10001000"
import type { BoardProblem } from './problems.ts';
import type { BoardDocument, ObjectDocument } from './schema.ts';

const OBJECT_MEMBERS = new Set(['type', 'doc', 'repeat']);
/** Keys of an [object] section that are not properties; a property with such a name is written "prop:<name>". */
const RESERVED = new Set([...OBJECT_MEMBERS, 'remove', 'props', 'children']);
const LIST_SECTIONS: Record<string, 'memory' | 'irqs' | 'resets' | 'images'> = { memory: 'memory', irq: 'irqs', reset: 'resets', image: 'images' };

/** Set an own member, even one named "__proto__" (plain assignment would change the prototype). */
function setOwn(record: Record<string, unknown>, key: string, v: unknown): void {
  Object.defineProperty(record, key, { value: v, enumerable: true, writable: true, configurable: true });
}

function value(v: unknown): string {
  return JSON.stringify(v);
}

function quote(name: string): string {
  return JSON.stringify(name);
}

/** Write a board document as a config file. */
export function boardToConfig(document: BoardDocument): string {
  const out: string[] = [`# BoardLab board "${document.name}" (config-file form; boardlab export --format config)`, '[board]'];
  for (const key of ['boardlab', 'name', 'description', 'extends', 'requires', '$schema'] as const) {
    if (document[key] !== undefined) out.push(`  ${key} = ${value(document[key])}`);
  }
  if (document.params && Object.keys(document.params).length > 0) {
    out.push('', '[params]');
    for (const [k, v] of Object.entries(document.params)) out.push(`  ${k} = ${value(v)}`);
  }
  for (const [type, props] of Object.entries(document.globals ?? {})) {
    out.push('', `[global ${quote(type)}]`);
    for (const [k, v] of Object.entries(props)) out.push(`  ${k} = ${value(v)}`);
  }
  for (const [name, definition] of Object.entries(document.types ?? {})) {
    out.push('', `[type ${quote(name)}]`, `  definition = ${value(definition)}`);
  }
  const writeObject = (path: string, object: ObjectDocument | null) => {
    out.push('', `[object ${quote(path)}]`);
    if (object === null) {
      out.push('  remove = true');
      return;
    }
    for (const key of ['type', 'doc', 'repeat'] as const) if (object[key] !== undefined) out.push(`  ${key} = ${value(object[key])}`);
    if (object.props !== undefined && Object.keys(object.props).length === 0) out.push('  props = {}');
    for (const [k, v] of Object.entries(object.props ?? {})) out.push(`  ${RESERVED.has(k) || k.startsWith('prop:') ? `prop:${k}` : k} = ${value(v)}`);
    if (object.children !== undefined && Object.keys(object.children).length === 0) out.push('  children = {}');
    for (const [child, c] of Object.entries(object.children ?? {})) writeObject(`${path}/${child}`, c);
  };
  for (const [name, object] of Object.entries(document.objects)) writeObject(name, object);
  for (const [section, member] of Object.entries(LIST_SECTIONS)) {
    for (const entry of document[member] ?? []) {
      out.push('', `[${section}]`);
      for (const [k, v] of Object.entries(entry)) out.push(`  ${k} = ${value(v)}`);
    }
  }
  for (const [name, members] of Object.entries(document.resetDomains ?? {})) out.push('', `[reset-domain ${quote(name)}]`, `  members = ${value(members)}`);
  for (const [name, source] of Object.entries(document.sources ?? {})) {
    out.push('', `[source ${quote(name)}]`);
    for (const [k, v] of Object.entries(source)) out.push(`  ${k} = ${value(v)}`);
  }
  for (const [key, position] of Object.entries(document.layout ?? {})) {
    out.push('', `[layout ${quote(key)}]`, `  x = ${value(position.x)}`, `  y = ${value(position.y)}`);
  }
  return out.join('\n') + '\n';
}

export type ConfigResult = { ok: true; document: BoardDocument } | { ok: false; problems: BoardProblem[] };

/**
 * Read a config file back into a board document (which resolveBoard then checks). Syntax
 * problems name the line; their pointer is "" because a config file has no JSON Pointers.
 */
export function configToBoard(text: string): ConfigResult {
  const problems: BoardProblem[] = [];
  const document: Record<string, unknown> & { objects: Record<string, ObjectDocument | null> } = { objects: {} };
  const objectsByPath = new Map<string, ObjectDocument | null>();
  let current: Record<string, unknown> | undefined;
  let apply: ((key: string, v: unknown) => void) | undefined;
  text.split(/\r?\n/).forEach((raw, index) => {
    const line = raw.trim();
    const where = `line ${index + 1}`;
    if (line === '' || line.startsWith('#') || line.startsWith(';')) return;
    const section = /^\[([a-z-]+)(?:\s+("(?:[^"\\]|\\.)*"))?\]$/.exec(line);
    if (section) {
      const kind = section[1];
      const name = section[2] === undefined ? undefined : (JSON.parse(section[2]) as string);
      const needsName = ['global', 'type', 'object', 'reset-domain', 'layout', 'source'].includes(kind);
      if (needsName !== (name !== undefined)) {
        problems.push({ pointer: '', message: `${where}: section [${kind}] ${needsName ? 'needs a quoted name' : 'takes no name'}`, hint: needsName ? `Write [${kind} "name"].` : `Write [${kind}].` });
        apply = undefined;
        return;
      }
      apply = sectionApplier(kind, name!, document, objectsByPath, (message) => problems.push({ pointer: '', message: `${where}: ${message}`, hint: 'See docs/board-format.md, "Config files".' }));
      current = {};
      return;
    }
    const assignment = /^([A-Za-z0-9_$:.-]+)\s*=\s*(.*)$/.exec(line);
    if (!assignment) {
      problems.push({ pointer: '', message: `${where}: expected "[section]" or "key = value", not ${JSON.stringify(line.slice(0, 40))}`, hint: 'Each line is a section header, a key = value pair, or a # comment.' });
      return;
    }
    if (apply === undefined || current === undefined) {
      problems.push({ pointer: '', message: `${where}: "${assignment[1]}" is outside any section`, hint: 'Start with [board].' });
      return;
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(assignment[2]);
    } catch {
      problems.push({ pointer: '', message: `${where}: the value of "${assignment[1]}" is not a JSON literal: ${assignment[2].slice(0, 40)}`, hint: 'Quote text ("like this"); numbers, true, false and null stand alone.' });
      return;
    }
    apply(assignment[1], parsed);
  });
  if (problems.length > 0) return { ok: false, problems };
  return { ok: true, document: document as unknown as BoardDocument };
}

function sectionApplier(
  kind: string,
  name: string,
  document: Record<string, unknown> & { objects: Record<string, ObjectDocument | null> },
  objectsByPath: Map<string, ObjectDocument | null>,
  report: (message: string) => void,
): ((key: string, v: unknown) => void) | undefined {
  const record = (member: string): Record<string, unknown> => (document[member] ??= {}) as Record<string, unknown>;
  switch (kind) {
    case 'board':
      return (key, v) => setOwn(document, key, v);
    case 'params':
      return (key, v) => setOwn(record('params'), key, v);
    case 'global': {
      const globals = record('globals');
      if (!Object.hasOwn(globals, name)) setOwn(globals, name, {});
      return (key, v) => setOwn(globals[name] as Record<string, unknown>, key, v);
    }
    case 'type':
      return (key, v) => (key === 'definition' ? setOwn(record('types'), name, v) : report(`[type] takes only "definition", not "${key}"`));
    case 'reset-domain':
      return (key, v) => (key === 'members' ? setOwn(record('resetDomains'), name, v) : report(`[reset-domain] takes only "members", not "${key}"`));
    case 'source': {
      const sources = record('sources');
      if (!Object.hasOwn(sources, name)) setOwn(sources, name, {});
      return (key, v) => setOwn(sources[name] as Record<string, unknown>, key, v);
    }
    case 'layout': {
      const layout = record('layout');
      if (!Object.hasOwn(layout, name)) setOwn(layout, name, {});
      return (key, v) => setOwn(layout[name] as Record<string, unknown>, key, v);
    }
    case 'object': {
      const slash = name.lastIndexOf('/');
      const parentPath = slash < 0 ? undefined : name.slice(0, slash);
      const own = name.slice(slash + 1);
      const object: ObjectDocument = {};
      let container: Record<string, ObjectDocument | null>;
      if (parentPath === undefined) container = document.objects;
      else {
        const parent = objectsByPath.get(parentPath);
        if (parent === undefined || parent === null) {
          report(`[object "${name}"] comes before its parent [object "${parentPath}"]`);
          return undefined;
        }
        container = parent.children ??= {};
      }
      setOwn(container, own, object);
      objectsByPath.set(name, object);
      return (key, v) => {
        if (key === 'remove') {
          if (v === true) {
            setOwn(container, own, null);
            objectsByPath.set(name, null);
          }
        } else if (key === 'children') object.children ??= {};
        else if (key === 'props') object.props ??= {};
        else if (OBJECT_MEMBERS.has(key)) (object as Record<string, unknown>)[key] = v;
        else setOwn((object.props ??= {}), key.startsWith('prop:') ? key.slice(5) : key, v);
      };
    }
    default: {
      const member = LIST_SECTIONS[kind];
      if (member === undefined) {
        report(`unknown section [${kind}]`);
        return undefined;
      }
      const entry: Record<string, unknown> = {};
      ((document[member] ??= []) as unknown[]).push(entry);
      return (key, v) => setOwn(entry, key, v);
    }
  }
}
