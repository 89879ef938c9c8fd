// Stage 2 of resolution: templates, repetition and composite types are expanded into a flat list
// of objects with canonical paths, and flat lists of memory entries, wires and images, each with
// the expression environment it is evaluated in and the origin it came from.
import type { AssembledBoard, AssembledObject, AssembledProp, Origin, Sourced } from './assemble.ts';
import { ExprError, evalExpr, interpolate } from './expr.ts';
import { effectiveType, instantiableTypeNames } from './catalog.ts';
import { pointerOf, suggestion, type BoardProblem } from './problems.ts';
import { ROOT_PATH } from './references.ts';
import { PLAIN_NAME, type CompositeTypeDocument, type ImageDocument, type IrqWireDocument, type MemoryEntryDocument, type ResetWireDocument } from './schema.ts';
import { parseInteger, parseSize } from './values.ts';

export type Env = Readonly<Record<string, number>>;

export interface ExpandedObject {
  path: string;
  name: string;
  /** Catalog type, or the composite type's name for a composite instance. */
  type: string;
  parent: string;
  /** Given values (templates interpolated), by property name. */
  props: Record<string, AssembledProp>;
  origin: Origin;
  env: Env;
  /** Set for an instance of a composite type. */
  composite?: string;
}

export interface ExpandedEntry<T> {
  entry: T;
  origin: Origin;
  /** Object path relative references are resolved against (/machine, or a composite instance). */
  base: string;
  env: Env;
}

export interface ExpandedContainer {
  object: string;
  region: string;
  size: number;
  origin: Origin;
}

export interface ExpandedBoard {
  objects: ExpandedObject[];
  memory: ExpandedEntry<MemoryEntryDocument>[];
  irqs: ExpandedEntry<IrqWireDocument>[];
  resets: ExpandedEntry<ResetWireDocument>[];
  images: ExpandedEntry<ImageDocument>[];
  containers: ExpandedContainer[];
  /** Exposed ports of composite instances: "<instance path>.<port>" → "<component path>.<port>". */
  portAliases: Map<string, string>;
  params: Env;
}

/** Values of at most this many copies, so a typo cannot make a million objects. */
const MAX_REPEAT = 4096;
const MAX_OBJECTS = 100_000;

/** Interpolate ${...} in a string; other values pass through. */
function interpolateValue<T>(value: T, env: Env): T | string {
  return typeof value === 'string' && value.includes('${') ? interpolate(value, env) : value;
}

/** An integer written as a number, a literal string ("0x10", "4K"), or an expression over env. */
export function evaluateInteger(value: unknown, env: Env): number {
  if (typeof value === 'number') {
    if (!Number.isSafeInteger(value)) throw new ExprError(`${value} is not an integer`, 0);
    return value;
  }
  if (typeof value !== 'string') throw new ExprError(`expected an integer, not ${JSON.stringify(value)}`, 0);
  const text = value.includes('${') ? interpolate(value, env) : value;
  return parseInteger(text) ?? parseSize(text) ?? evalExpr(text, env);
}

function interpolateEntry<T extends object>(entry: T, env: Env): T {
  const result: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(entry)) result[key] = key === 'repeat' ? value : interpolateValue(value, env);
  return result as T;
}

class Expander {
  readonly problems: BoardProblem[] = [];
  readonly out: ExpandedBoard;
  private readonly composites: Record<string, Sourced<CompositeTypeDocument>>;

  constructor(board: AssembledBoard) {
    const params: Record<string, number> = {};
    for (const [name, p] of Object.entries(board.params)) {
      if (p.spec?.min !== undefined && p.value < p.spec.min) this.problem(p.origin.pointer, `parameter "${name}" = ${p.value} is below ${p.spec.min}`, p.spec.doc ?? `Use ${p.spec.min} to ${p.spec.max ?? '…'}.`);
      else if (p.spec?.max !== undefined && p.value > p.spec.max) this.problem(p.origin.pointer, `parameter "${name}" = ${p.value} is above ${p.spec.max}`, p.spec.doc ?? `Use ${p.spec.min ?? '…'} to ${p.spec.max}.`);
      params[name] = p.value;
    }
    this.composites = board.types;
    this.out = { objects: [], memory: [], irqs: [], resets: [], images: [], containers: [], portAliases: new Map(), params };
  }

  problem(pointer: string, message: string, hint: string): void {
    this.problems.push({ pointer, message, hint });
  }

  private exprProblem(origin: Origin, error: unknown, what: string): void {
    const message = error instanceof Error ? error.message : String(error);
    this.problem(origin.pointer, `${what}: ${message}`, 'Expressions use integers, parameters and + - * / % << >> & | ^ ~ ( ); ${i} is the copy index.');
  }

  /** How many copies an entry makes (1 without `repeat`); undefined after reporting a problem. */
  private repeatCount(repeat: number | string | undefined, env: Env, origin: Origin): number | undefined {
    if (repeat === undefined) return 1;
    try {
      const n = typeof repeat === 'number' ? repeat : evaluateInteger(repeat.includes('${') ? repeat : repeat, env);
      if (n < 0 || n > MAX_REPEAT) {
        this.problem(`${origin.pointer}/repeat`, `repeat count ${n} is out of range`, `Use 0 to ${MAX_REPEAT} copies.`);
        return undefined;
      }
      return n;
    } catch (error) {
      this.exprProblem({ ...origin, pointer: `${origin.pointer}/repeat` }, error, 'repeat count');
      return undefined;
    }
  }

  expandObjects(objects: Record<string, AssembledObject>, parentPath: string, env: Env, stack: string[], seen: Map<string, Origin>): void {
    for (const [key, object] of Object.entries(objects)) {
      const count = this.repeatCount(object.repeat, env, object.origin);
      if (count === undefined) continue;
      if (object.repeat !== undefined && count > 1 && !key.includes('${')) {
        this.problem(`${object.origin.pointer}/repeat`, `"${key}" is repeated ${count} times but its name has no \${...}`, 'Put the index in the name, e.g. "uart${i}", so each copy has its own name.');
        continue;
      }
      for (let i = 0; i < count; i++) {
        const copyEnv: Env = object.repeat === undefined ? env : { ...env, i };
        let name: string;
        try {
          name = key.includes('${') ? interpolate(key, copyEnv) : key;
        } catch (error) {
          this.exprProblem(object.origin, error, `name "${key}"`);
          break;
        }
        if (!PLAIN_NAME.test(name)) {
          this.problem(object.origin.pointer, `"${key}" gives the invalid name "${name}"`, 'Names start with a lower-case letter and use only a-z, 0-9, "-" and "_".');
          continue;
        }
        const path = `${parentPath}/${name}`;
        const previous = seen.get(path);
        if (previous !== undefined) {
          this.problem(object.origin.pointer, `two objects are named "${path}"`, `The other one is at ${previous.pointer || 'the document root'}; sibling names must be unique.`);
          continue;
        }
        seen.set(path, object.origin);
        if (this.out.objects.length >= MAX_OBJECTS) {
          this.problem(object.origin.pointer, `the board has more than ${MAX_OBJECTS} objects`, 'Check repeat counts.');
          return;
        }
        this.expandObject(object, name, path, parentPath, copyEnv, stack, seen);
      }
    }
  }

  private expandObject(object: AssembledObject, name: string, path: string, parentPath: string, env: Env, stack: string[], seen: Map<string, Origin>): void {
    if (object.type === undefined) {
      this.problem(object.origin.pointer, `object "${name}" has no type`, 'Give it a "type" (only objects inherited through "extends" may leave it out).');
      return;
    }
    const props: Record<string, AssembledProp> = {};
    for (const [prop, given] of Object.entries(object.props)) {
      try {
        props[prop] = { value: interpolateValue(given.value, env), origin: given.origin };
      } catch (error) {
        this.exprProblem(given.origin, error, `property "${prop}"`);
      }
    }
    const composite = Object.hasOwn(this.composites, object.type) ? this.composites[object.type] : undefined;
    const expanded: ExpandedObject = { path, name, type: object.type, parent: parentPath, props, origin: object.origin, env };
    if (composite !== undefined) {
      expanded.composite = object.type;
      this.out.objects.push(expanded);
      this.instantiate(composite, expanded, stack, seen);
    } else {
      if (effectiveType(object.type) === undefined) {
        this.problem(`${object.origin.pointer}/type`, `unknown object type "${object.type}"`, suggestion(object.type, [...instantiableTypeNames(), ...Object.keys(this.composites)], 'types'));
      }
      this.out.objects.push(expanded);
    }
    this.expandObjects(object.children, path, env, stack, seen);
  }

  /** Expand a composite type's components under `instance`. */
  private instantiate(composite: Sourced<CompositeTypeDocument>, instance: ExpandedObject, stack: string[], seen: Map<string, Origin>): void {
    const typeName = instance.type;
    const def = composite.entry;
    const typePointer = composite.origin.pointer;
    if (stack.includes(typeName)) {
      this.problem(`${instance.origin.pointer}/type`, `composite type "${typeName}" contains itself (${[...stack, typeName].join(' → ')})`, 'A composite type cannot include itself, directly or through others.');
      return;
    }
    // Parameters: defaults, overridden by the instance's properties of the same name.
    const env: Record<string, number> = {};
    for (const [name, param] of Object.entries(def.params ?? {})) env[name] = param.default;
    const exposed = def.props ?? {};
    for (const [name, given] of Object.entries(instance.props)) {
      const param = def.params?.[name];
      if (param !== undefined) {
        try {
          const value = evaluateInteger(given.value, instance.env);
          if ((param.min !== undefined && value < param.min) || (param.max !== undefined && value > param.max)) {
            this.problem(given.origin.pointer, `parameter "${name}" of ${typeName} = ${value} is out of range`, `Allowed: ${param.min ?? '…'} to ${param.max ?? '…'}.`);
          } else env[name] = value;
        } catch (error) {
          this.exprProblem(given.origin, error, `parameter "${name}"`);
        }
      } else if (exposed[name] === undefined) {
        this.problem(given.origin.pointer, `composite type "${typeName}" has no property or parameter "${name}"`, suggestion(name, [...Object.keys(def.params ?? {}), ...Object.keys(exposed)], `properties of ${typeName}`));
      }
    }
    const inner: AssembledObject['children'] = {};
    for (const [key, object] of Object.entries(def.objects)) {
      inner[key] = toAssembled(object, { pointer: instance.origin.pointer, source: `type ${typeName}`, basePointer: `${typePointer}${pointerOf('objects', key)}` });
    }
    // Exposed properties set component properties (alias, scale, fan-out), as explicit values.
    const settings: Array<{ component: string; prop: string; value: AssembledProp; pointer: string; target: string }> = [];
    for (const [name, spec] of Object.entries(exposed)) {
      const given = instance.props[name];
      const value = given?.value ?? spec.default;
      if (value === undefined || value === null) continue;
      let passed: AssembledProp['value'] = value;
      if (spec.scale !== undefined) {
        try {
          const scaled = evaluateInteger(value, instance.env) * spec.scale;
          if (!Number.isSafeInteger(scaled)) throw new ExprError(`${value} × ${spec.scale} is not an integer`, 0);
          passed = scaled;
        } catch (error) {
          this.exprProblem(given?.origin ?? instance.origin, error, `property "${name}"`);
          continue;
        }
      }
      for (const target of Array.isArray(spec.to) ? spec.to : [spec.to]) {
        const dot = target.lastIndexOf('.');
        settings.push({
          component: target.slice(0, dot),
          prop: target.slice(dot + 1),
          value: { value: passed, origin: given?.origin ?? { pointer: instance.origin.pointer, source: `type ${typeName}` } },
          pointer: `${typePointer}${pointerOf('props', name)}/to`,
          target,
        });
      }
    }
    const innerSeen = new Map<string, Origin>([...seen]);
    const firstComponent = this.out.objects.length;
    this.expandObjects(inner, instance.path, env, [...stack, typeName], innerSeen);
    for (const [path, origin] of innerSeen) seen.set(path, origin);
    const components = this.out.objects.slice(firstComponent);
    for (const setting of settings) {
      const component = components.find((o) => o.path === `${instance.path}/${setting.component}`);
      if (component === undefined) {
        this.problem(setting.pointer, `"${setting.target}" does not name a component property of ${typeName}`, `Write "<component>.<property>"; components: ${components.filter((o) => o.parent === instance.path).map((o) => o.name).join(', ')}.`);
        continue;
      }
      component.props[setting.prop] = setting.value;
    }

    const origin = (member: string, i: number): Origin => ({ pointer: instance.origin.pointer, source: `type ${typeName}`, basePointer: `${typePointer}${pointerOf(member, i)}` });
    const push = <T extends object & { repeat?: number | string }>(list: ExpandedEntry<T>[], entries: T[] | undefined, member: string) =>
      (entries ?? []).forEach((entry, i) => this.expandEntry(list, { entry, origin: origin(member, i) }, instance.path, env));
    push(this.out.memory, def.memory?.map((m) => (m.into !== undefined && !m.into.includes('.') ? { ...m, into: `${instance.path}.${m.into}` } : m)), 'memory');
    push(this.out.irqs, def.irqs, 'irqs');
    push(this.out.resets, def.resets, 'resets');
    for (const [name, size] of Object.entries(def.containers ?? {})) {
      try {
        this.out.containers.push({ object: instance.path, region: name, size: evaluateInteger(size, env), origin: { pointer: instance.origin.pointer, source: `type ${typeName}`, basePointer: `${typePointer}${pointerOf('containers', name)}` } });
      } catch (error) {
        this.exprProblem({ pointer: `${typePointer}${pointerOf('containers', name)}`, source: 'board' }, error, `container "${name}" size`);
      }
    }
    for (const [name, target] of [...Object.entries(def.ports?.regions ?? {}), ...Object.entries(def.ports?.irqs ?? {})]) {
      this.out.portAliases.set(`${instance.path}.${name}`, target.startsWith('/') ? target : `${instance.path}/${target}`);
    }
  }

  /** Re-configure or remove objects a machine type made by repetition (cpu0 of "cpu${i}"). */
  applyPatches(patches: AssembledBoard['patches']): void {
    for (const patch of patches) {
      const path = `${ROOT_PATH}/${patch.name}`;
      const index = this.out.objects.findIndex((o) => o.path === path);
      if (index < 0) {
        this.problem(patch.pointer, `"${patch.name}" is not an object of the machine type, so there is nothing to ${patch.object === null ? 'remove' : 're-configure'}`, `Give it a "type" to add it, or check the name; objects: ${this.out.objects.filter((o) => o.parent === ROOT_PATH).map((o) => o.name).join(', ')}.`);
        continue;
      }
      if (patch.object === null) {
        const removed = this.out.objects[index];
        this.out.objects = this.out.objects.filter((o) => o !== removed && !o.path.startsWith(`${path}/`));
        const names = (reference: string | undefined) => reference !== undefined && new RegExp(`^(/machine/)?${patch.name}([./[]|$)`).test(reference);
        this.out.memory = this.out.memory.filter((m) => !names((m.entry as MemoryEntryDocument).map) && !names((m.entry as MemoryEntryDocument).alias));
        this.out.irqs = this.out.irqs.filter((w) => !names((w.entry as IrqWireDocument).from) && !names((w.entry as IrqWireDocument).to));
        this.out.resets = this.out.resets.filter((r) => !names((r.entry as ResetWireDocument).from) && !names((r.entry as ResetWireDocument).to));
        this.out.images = this.out.images.filter((i) => !names((i.entry as ImageDocument).cpu));
        continue;
      }
      const object = this.out.objects[index];
      for (const [prop, given] of Object.entries(patch.object.props)) {
        try {
          object.props[prop] = { value: interpolateValue(given.value, object.env), origin: given.origin };
        } catch (error) {
          this.exprProblem(given.origin, error, `property "${prop}"`);
        }
      }
    }
  }

  expandEntry<T extends object & { repeat?: number | string }>(list: ExpandedEntry<T>[], sourced: Sourced<T>, base: string, env: Env): void {
    const count = this.repeatCount(sourced.entry.repeat, env, sourced.origin);
    if (count === undefined) return;
    for (let i = 0; i < count; i++) {
      const copyEnv = sourced.entry.repeat === undefined ? env : { ...env, i };
      try {
        list.push({ entry: interpolateEntry(sourced.entry, copyEnv), origin: sourced.origin, base, env: copyEnv });
      } catch (error) {
        this.exprProblem(sourced.origin, error, 'entry');
        return;
      }
    }
  }
}

function toAssembled(object: CompositeTypeDocument['objects'][string], origin: Origin): AssembledObject {
  const props: Record<string, AssembledProp> = {};
  for (const [name, value] of Object.entries(object.props ?? {})) props[name] = { value, origin };
  const children: Record<string, AssembledObject> = {};
  for (const [name, child] of Object.entries(object.children ?? {})) if (child !== null) children[name] = toAssembled(child, origin);
  return { type: object.type, doc: object.doc, repeat: object.repeat, props, children, origin };
}

/** Expand an assembled board. Problems carry pointers into the user's document. */
export function expandBoard(board: AssembledBoard): { expanded: ExpandedBoard; problems: BoardProblem[] } {
  const expander = new Expander(board);
  const env = expander.out.params;
  expander.expandObjects(board.objects, ROOT_PATH, env, [], new Map());
  for (const m of board.memory) expander.expandEntry(expander.out.memory, m, ROOT_PATH, env);
  for (const w of board.irqs) expander.expandEntry(expander.out.irqs, w, ROOT_PATH, env);
  for (const r of board.resets) expander.expandEntry(expander.out.resets, r, ROOT_PATH, env);
  for (const image of board.images) expander.expandEntry(expander.out.images, { entry: image.entry as ImageDocument & { repeat?: undefined }, origin: image.origin }, ROOT_PATH, env);
  expander.applyPatches(board.patches);
  return { expanded: expander.out, problems: expander.problems };
}
