// Board document → resolved machine: flat objects with canonical paths and final property values
// (with the layer each came from), and every memory mapping, IRQ line, reset wire and image,
// checked. Never throws: any input gives either a resolved board or a list of problems, each with
// a JSON Pointer, a message and a hint.
//
//   parse JSON → schema (ajv) → assemble (extends) → expand (repeat, composites) → layer properties
//   → check memory, IRQs, resets, images, links, reset vectors, platform features
import type { ErrorObject, ValidateFunction } from 'ajv';
// Compiled ahead of time (scripts/write-validators.ts): the page's CSP refuses Ajv's run-time `new Function`.
import { validateBoard } from './validators/board.js';
import { validateLibrary } from './validators/library.js';
import { assembleBoard, type Origin } from './assemble.ts';
import { boardShapeProblem, boardSizeProblem } from './board-input.ts';
import { cpuArchitecture, effectiveType, IRQ_SIGNALS, isA, listTypes, type EffectiveType, type RegionPortSpec } from './catalog.ts';
import { evaluateInteger, expandBoard, type Env, type ExpandedBoard, type ExpandedEntry, type ExpandedObject } from './expand.ts';
import { evalExpr } from './expr.ts';
import { machineTypeId } from './machines.ts';
import { cpuAddressSpace } from './memory-map.ts';
import { DEFAULT_PLATFORM, FEATURES, findPlatform, listPlatforms, platformId } from './platforms.ts';
import { pointerOf, suggestion, valueAtPointer, type BoardProblem } from './problems.ts';
import { checkGlobals, layerProps, type PropertyOrigin, type PropertyValue } from './props.ts';
import { ROOT_PATH, absolutePath, parsePortReference, relativePath, type PortReference } from './references.ts';
import { BOARD_FORMAT_VERSION, SOURCE_MARCHES, type BoardDocument, type CompositeTypeDocument, type LibraryDocument, type ImageDocument, type IrqWireDocument, type MemoryEntryDocument, type ResetWireDocument } from './schema.ts';
import { cpuMarch, marchRunsOn, type ResolvedSource } from './sources.ts';
import { formatSize, hex } from './values.ts';
import { boardWarnings } from './warnings.ts';

export { type BoardProblem } from './problems.ts';
export { ROOT_PATH } from './references.ts';
export type { PropertyValue, PropertyOrigin } from './props.ts';

export interface ResolvedObject {
  path: string;
  name: string;
  /** Catalog type, or a composite type's name (then `composite` is true and props are its parameters). */
  type: string;
  parent: string | null;
  props: Record<string, PropertyValue>;
  /** For each property, the layer and source that set it. */
  origins: Record<string, PropertyOrigin>;
  /** Pointer of the object in the document (for inherited objects, "/extends"). */
  pointer: string;
  /** Where the object came from: "board", a machine type id, or "type <composite>". */
  source: string;
  composite?: boolean;
}

export type MappingKind = 'ram' | 'rom' | 'mmio' | 'alias';

/** A leaf region at its absolute address (containers are flattened away). */
export interface ResolvedMapping {
  object: string;
  region: string;
  base: number;
  size: number;
  space: string;
  kind: MappingKind;
  /** Priorities from the address space down to this mapping (QEMU semantics: higher wins, per container). */
  priorities: number[];
  /** Containers this mapping sits in, outermost first, as "<object path>.<region>". */
  containers: string[];
  /** For an alias: the region it is a window onto, and where in it the window starts. */
  alias?: { object: string; region: string; offset: number; kind: 'ram' | 'rom' | 'mmio' };
  pointer: string;
}

export interface ResolvedContainer {
  object: string;
  region: string;
  base: number;
  size: number;
  space: string;
  pointer: string;
}

export interface ResolvedIrqEndpoint {
  object: string;
  port: string;
  index: number;
}

/** One signal line: a single output line to a single input line. */
export interface ResolvedIrq {
  from: string;
  to: string;
  source: ResolvedIrqEndpoint;
  target: ResolvedIrqEndpoint;
  pointer: string;
}

export interface ResolvedReset {
  /** "board" (the system reset) or "<object path>.<reset output>". */
  from: string;
  /** "board", or the object paths it resets. */
  to: 'board' | string[];
  /** As written (a path or "domain:<name>"), for display. */
  label: string;
  pointer: string;
}

export interface ResolvedImage {
  cpu: string | undefined;
  /** The image file; for an image assembled from one of the board's sources, the source's name ("main.s"). */
  file: string;
  /** Set when the image is assembled from one of the board's sources: what to assemble, and how (./sources.ts). */
  source?: ResolvedSource;
  format: 'elf' | 'binary' | 'ihex';
  /** Load address (binary images). */
  at: number | undefined;
  space: string;
  pointer: string;
}

export interface ResolvedBoard {
  name: string;
  description: string;
  /** "riscv-virt@1.1" when the board extends a machine type. */
  machineType: string | undefined;
  platform: string;
  params: Record<string, number>;
  objects: ResolvedObject[];
  memory: ResolvedMapping[];
  containers: ResolvedContainer[];
  irqs: ResolvedIrq[];
  resets: ResolvedReset[];
  images: ResolvedImage[];
}

/**
 * A resolved board (with warnings, which never stop it from running: see ./warnings.ts; absent
 * means none), or the problems that stop it.
 */
export type BoardResult = { ok: true; board: ResolvedBoard; warnings?: BoardProblem[] } | { ok: false; problems: BoardProblem[] };

export interface ResolveOptions {
  /** The host platform ("node@1", "browser@1"): its defaults and features. Default node@1. */
  platform?: string;
  /** Library files the board's "libraries" name, already read and parsed (path as written → JSON, or a LibraryReadError). */
  libraries?: ReadonlyMap<string, unknown>;
}


/** Put in ResolveOptions.libraries for a library file that could not be read or parsed. */
export class LibraryReadError {
  constructor(readonly reason: string) {}
}

/** Composite types from the library files a board names; problems point at the "libraries" entry. */
function libraryTypes(document: BoardDocument, options: ResolveOptions): { types: Record<string, { entry: CompositeTypeDocument; origin: Origin }>; problems: BoardProblem[] } {
  const types: Record<string, { entry: CompositeTypeDocument; origin: Origin }> = {};
  const problems: BoardProblem[] = [];
  (document.libraries ?? []).forEach((path, i) => {
    const pointer = pointerOf('libraries', i);
    const library = options.libraries?.get(path);
    if (library === undefined || library instanceof LibraryReadError) {
      problems.push({ pointer, message: `library "${path}" could not be read${library ? `: ${library.reason}` : ''}`, hint: 'Library files are found relative to the board file.' });
      return;
    }
    const validate: ValidateFunction = validateLibrary;
    if (!validate(library)) {
      for (const p of schemaProblems(validate.errors ?? [], library)) problems.push({ pointer, message: `library "${path}"${p.pointer ? ` at ${p.pointer}` : ''}: ${p.message}`, hint: p.hint });
      return;
    }
    for (const [name, entry] of Object.entries((library as LibraryDocument).types)) {
      types[name] = { entry, origin: { pointer, source: `library ${path}`, basePointer: pointerOf('types', name) } };
    }
  });
  return { types, problems };
}

/** Parse JSON text and resolve it. Syntax errors name the line and column. */
export function parseBoard(text: string, options: ResolveOptions = {}): BoardResult {
  const tooBig = boardSizeProblem(text.length);
  if (tooBig) return { ok: false, problems: [tooBig] };
  let document: unknown;
  try {
    document = JSON.parse(text);
  } catch (error) {
    return { ok: false, problems: [jsonSyntaxProblem(text, error)] };
  }
  return resolveBoard(document, options);
}

function jsonSyntaxProblem(text: string, error: unknown): BoardProblem {
  const raw = error instanceof Error ? error.message : String(error);
  const position = /position (\d+)/.exec(raw);
  let where = '';
  if (position) {
    const offset = Number(position[1]);
    const before = text.slice(0, offset).split('\n');
    where = ` at line ${before.length}, column ${before[before.length - 1].length + 1}`;
  } else if (text.trim() === '') {
    where = ': the file is empty';
  }
  const detail = raw.replace(/ in JSON at position \d+.*$/, '').replace(/^JSON\.parse: /, '');
  return {
    pointer: '',
    message: `the board is not valid JSON${where} (${detail})`,
    hint: text.trim() === '' ? 'A board document is an object: {"boardlab": 1, "name": "my-board", "objects": {…}}.' : 'Check for a missing comma, an unquoted key or a trailing comma near that place.',
  };
}

/** Resolve a parsed board document. Never throws. */
export function resolveBoard(document: unknown, options: ResolveOptions = {}): BoardResult {
  const shape = boardShapeProblem(document);
  if (shape) return { ok: false, problems: [shape] };
  try {
    const validate: ValidateFunction = validateBoard;
    if (!validate(document)) return { ok: false, problems: schemaProblems(validate.errors ?? [], document) };
    return new Resolver(document as BoardDocument, options).resolve();
  } catch (error) {
    // A bug in the resolver must still not crash the caller: report it against the whole document.
    return { ok: false, problems: [{ pointer: '', message: `internal error while resolving: ${error instanceof Error ? error.message : String(error)}`, hint: 'This is a BoardLab bug; please report it with the document.' }] };
  }
}

function schemaProblems(errors: ErrorObject[], document: unknown): BoardProblem[] {
  const byPointer = new Map<string, BoardProblem>();
  for (const e of errors) {
    let pointer = e.instancePath;
    let message: string;
    let hint: string;
    if (e.keyword === 'additionalProperties') {
      const key = String((e.params as { additionalProperty: string }).additionalProperty);
      pointer += pointerOf(key);
      if ((e.parentSchema as { patternProperties?: unknown } | undefined)?.patternProperties !== undefined) {
        message = `invalid name "${key}"`;
        hint = 'Names start with a lower-case letter and use only a-z, 0-9, "-" and "_" (and ${...} in templates).';
      } else {
        message = `unknown member "${key}"`;
        hint = `Remove "${key}" or check its spelling.`;
      }
    } else if (e.keyword === 'required') {
      const key = String((e.params as { missingProperty: string }).missingProperty);
      message = `missing required member "${key}"`;
      hint = key === 'boardlab' ? 'Add "boardlab": 1 (the board format version).' : `Add "${key}".`;
    } else if (e.keyword === 'propertyNames' || (e.keyword === 'pattern' && e.propertyName !== undefined)) {
      continue;
    } else if (e.keyword === 'pattern') {
      message = 'invalid name';
      hint = 'Names start with a lower-case letter and use only a-z, 0-9, "-" and "_".';
    } else if (e.keyword === 'const' && pointer === '/boardlab' && typeof valueAtPointer(document, pointer) === 'number' && (valueAtPointer(document, pointer) as number) > BOARD_FORMAT_VERSION) {
      // A board from a newer BoardLab: say which versions meet, not just "must be 1".
      message = `the board is format version ${String(valueAtPointer(document, pointer))}, newer than this BoardLab reads (version ${BOARD_FORMAT_VERSION})`;
      hint = `Open it in a BoardLab that reads format version ${String(valueAtPointer(document, pointer))}.`;
    } else if (e.keyword === 'const') {
      message = `must be ${JSON.stringify((e.params as { allowedValue: unknown }).allowedValue)}`;
      hint = 'This format version only accepts that value.';
    } else if (e.keyword === 'type' || e.keyword === 'anyOf') {
      message = `has the wrong type (${describeJsonType(valueAtPointer(document, pointer))})`;
      hint = e.keyword === 'type' ? `Expected ${String((e.params as { type: string }).type)}.` : 'Expected one of the forms the format allows here; see docs/board-format.md.';
    } else {
      message = e.message ?? 'is invalid';
      hint = 'See the board format in docs/board-format.md.';
    }
    const existing = byPointer.get(pointer);
    if (existing === undefined || e.keyword === 'anyOf') byPointer.set(pointer, { pointer, message, hint });
  }
  return [...byPointer.values()];
}

function describeJsonType(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'object') return 'an object';
  return `${typeof value} ${JSON.stringify(value)}`;
}

interface RegionTarget {
  object: ResolvedObject;
  region: string;
  size: number;
  kind: 'ram' | 'rom' | 'mmio' | 'container';
}

/** A node of the memory tree: an address space or a container, with what is mapped into it. */
interface MemoryNode {
  key: string;
  space: string;
  size: number;
  children: Array<{ at: number; size: number; priority: number; target: RegionTarget | undefined; alias?: ResolvedMapping['alias']; aliasKind?: 'ram' | 'rom' | 'mmio'; pointer: string; label: string }>;
}

class Resolver {
  private readonly problems: BoardProblem[] = [];
  private readonly objects: ResolvedObject[] = [];
  private readonly byPath = new Map<string, ResolvedObject>();
  private readonly types = new Map<string, EffectiveType>();
  private expanded!: ExpandedBoard;

  constructor(
    private readonly document: BoardDocument,
    private readonly options: ResolveOptions,
  ) {}

  private problem(pointer: string, message: string, hint: string): void {
    this.problems.push({ pointer, message, hint });
  }

  resolve(): BoardResult {
    const platformName = this.options.platform ?? DEFAULT_PLATFORM;
    const platform = findPlatform(platformName);
    if (platform === undefined) {
      return { ok: false, problems: [{ pointer: '', message: `unknown platform "${platformName}"`, hint: `Known platforms: ${listPlatforms().map(platformId).join(', ')}.` }] };
    }
    const library = libraryTypes(this.document, this.options);
    this.problems.push(...library.problems);
    const { board: assembled, problems: assembleProblems } = assembleBoard(this.document);
    this.problems.push(...assembleProblems);
    assembled.types = { ...library.types, ...assembled.types };
    if (this.problems.length > 0) return { ok: false, problems: this.problems };
    const { expanded, problems: expandProblems } = expandBoard(assembled);
    this.problems.push(...expandProblems);
    this.expanded = expanded;

    for (const required of assembled.requires) {
      if (!platform.features.includes(required.entry)) {
        this.problem(
          required.origin.pointer,
          FEATURES[required.entry] === undefined ? `unknown platform feature "${required.entry}"` : `the board needs the feature "${required.entry}", which platform ${platformId(platform)} does not provide`,
          FEATURES[required.entry] === undefined ? suggestion(required.entry, Object.keys(FEATURES), 'features') : `"${required.entry}" is ${FEATURES[required.entry]}. Platforms with it: ${listPlatforms().filter((p) => p.features.includes(required.entry)).map(platformId).join(', ')}.`,
        );
      }
    }
    const interfaces = new Set(listTypes().flatMap((t) => t.interfaces));
    checkGlobals(assembled.globals, interfaces, this.problems);
    const context = { platform, machineType: assembled.machineType, globals: assembled.globals };
    for (const object of expanded.objects) this.addObject(object, context);

    const { memory, containers } = this.resolveMemory();
    const irqs = this.resolveIrqs();
    const resets = this.resolveResets(assembled.resetDomains);
    const images = this.resolveImages();
    this.checkLinks();
    this.checkCpus(memory, images);
    if (this.problems.length > 0) return { ok: false, problems: dedupe(this.problems) };
    const board: ResolvedBoard = {
      name: assembled.name,
      description: assembled.description,
      machineType: assembled.machineType ? machineTypeId(assembled.machineType) : undefined,
      platform: platformId(platform),
      params: { ...expanded.params },
      objects: this.objects,
      memory,
      containers,
      irqs,
      resets,
      images,
    };
    return { ok: true, board, warnings: boardWarnings(board) };
  }

  private addObject(object: ExpandedObject, context: Parameters<typeof layerProps>[2]): void {
    const resolved: ResolvedObject = {
      path: object.path,
      name: object.name,
      type: object.type,
      parent: object.parent,
      props: {},
      origins: {},
      pointer: object.origin.pointer,
      source: object.origin.source,
    };
    const type = effectiveType(object.type);
    if (object.composite !== undefined) {
      resolved.composite = true;
      for (const [name, given] of Object.entries(object.props)) {
        resolved.props[name] = given.value;
        resolved.origins[name] = { layer: 'explicit', source: given.origin.source, pointer: given.origin.pointer };
      }
    } else if (type !== undefined) {
      if (type.abstract) {
        this.problem(`${object.origin.pointer}/type`, `type "${type.name}" is abstract and cannot be instantiated`, `Use one of its subtypes: ${listTypes({ parent: type.name, abstract: false }).map((t) => t.name).join(', ') || '(none)'}.`);
      }
      const { props, origins } = layerProps(object, type, context, this.problems);
      resolved.props = props;
      resolved.origins = origins;
      this.types.set(object.path, type);
    }
    this.objects.push(resolved);
    this.byPath.set(resolved.path, resolved);
  }

  private env(entry: ExpandedEntry<unknown>): Env {
    return entry.env;
  }

  /** Follow composite port aliases: "/machine/bank.irq" → "/machine/bank/uart0.irq". */
  private followAlias(reference: PortReference): PortReference {
    let current = reference;
    for (let hops = 0; hops < 16; hops++) {
      const target = this.expanded.portAliases.get(`${current.object}.${current.port}`);
      if (target === undefined) return current;
      const next = parsePortReference(target, ROOT_PATH);
      if (next === undefined) return current;
      current = { object: next.object, port: next.port, first: current.first ?? next.first, count: current.count };
    }
    return current;
  }

  private findObject(path: string, pointer: string): ResolvedObject | undefined {
    const object = this.byPath.get(path);
    if (object === undefined) {
      const rel = relativePath(path);
      this.problem(pointer, `no object "${rel}" on this board`, suggestion(rel, this.objects.map((o) => relativePath(o.path)), 'objects'));
    }
    return object;
  }

  private integer(value: unknown, env: Env, pointer: string, what: string): number | undefined {
    try {
      return evaluateInteger(value, env);
    } catch (error) {
      this.problem(pointer, `${what} ${JSON.stringify(value)} is not an integer: ${error instanceof Error ? error.message : String(error)}`, 'Write a number, "0x…", a size such as "4K", or an expression over parameters.');
      return undefined;
    }
  }

  private regionSize(object: ResolvedObject, spec: RegionPortSpec): number {
    if (typeof spec.size === 'number') return spec.size;
    if ('prop' in spec.size) return Number(object.props[spec.size.prop]);
    const env: Record<string, number> = {};
    for (const [k, v] of Object.entries(object.props)) if (typeof v === 'number') env[k.replace(/-/g, '_')] = v;
    return evalExpr(spec.size.expr, env);
  }

  /** A region reference → the region (a catalog region or a composite container). */
  private regionTarget(reference: string, base: string, pointer: string): RegionTarget | undefined {
    const parsed = parsePortReference(reference, base);
    if (parsed === undefined || parsed.first !== undefined) {
      this.problem(pointer, `"${reference}" is not a region reference`, 'Write "<object>.<region>", e.g. "uart0.regs".');
      return undefined;
    }
    const ref = this.followAlias(parsed);
    const object = this.findObject(ref.object, pointer);
    if (object === undefined) return undefined;
    const container = this.expanded.containers.find((c) => c.object === object.path && c.region === ref.port);
    if (container) return { object, region: ref.port, size: container.size, kind: 'container' };
    const type = this.types.get(object.path);
    if (type === undefined) {
      if (object.composite) this.problem(pointer, `composite "${object.name}" has no region or container "${ref.port}"`, 'Composite types expose regions through "ports.regions" or "containers".');
      return undefined;
    }
    const spec = type.regions.find((r) => r.name === ref.port);
    if (spec === undefined) {
      this.problem(pointer, `object "${object.name}" (${type.name}) has no region "${ref.port}"`, suggestion(ref.port, type.regions.map((r) => r.name), `regions of ${type.name}`));
      return undefined;
    }
    return { object, region: spec.name, size: this.regionSize(object, spec), kind: spec.kind };
  }

  private resolveMemory(): { memory: ResolvedMapping[]; containers: ResolvedContainer[] } {
    const nodes = new Map<string, MemoryNode>();
    const nodeFor = (key: string, space: string, size: number) => {
      let node = nodes.get(key);
      if (node === undefined) {
        node = { key, space, size, children: [] };
        nodes.set(key, node);
      }
      return node;
    };
    const mappedRegions = new Map<string, string>();
    this.expanded.memory.forEach((item) => {
      const { entry, origin, base } = item;
      const pointer = origin.pointer;
      const m = entry as MemoryEntryDocument;
      if ((m.map === undefined) === (m.alias === undefined)) {
        this.problem(pointer, m.map === undefined ? 'a memory entry needs "map" or "alias"' : 'a memory entry has both "map" and "alias"', 'Use "map" to place a region, or "alias" (with "offset" and "size") to place a window onto one.');
        return;
      }
      const at = this.integer(m.at, this.env(item), `${pointer}/at`, 'address');
      if (at === undefined) return;
      if (at < 0 || at > 0xffffffff) {
        this.problem(`${pointer}/at`, `address ${at} is not a 32-bit address`, 'Addresses go from 0x0 to 0xffffffff.');
        return;
      }
      const priority = m.priority ?? 0;
      // Where it goes: a container region, or an address space.
      let parent: MemoryNode;
      if (m.into !== undefined) {
        const container = this.regionTarget(m.into, base, `${pointer}/into`);
        if (container === undefined) return;
        if (container.kind !== 'container') {
          this.problem(`${pointer}/into`, `${m.into} is a ${container.kind} region, not a container`, 'Only container regions of composite types take mappings ("containers").');
          return;
        }
        parent = nodeFor(`${container.object.path}.${container.region}`, '', container.size);
      } else {
        const space = m.space ?? 'system';
        parent = nodeFor(`space:${space}`, space, 0x1_0000_0000);
      }
      if (m.map !== undefined) {
        const target = this.regionTarget(m.map, base, `${pointer}/map`);
        if (target === undefined) return;
        const key = `${target.object.path}.${target.region}`;
        const previous = mappedRegions.get(key);
        if (previous !== undefined) {
          this.problem(`${pointer}/map`, `${relativePath(key)} is mapped twice (also at ${previous})`, 'A region has one place; map an "alias" of it to see it at a second address.');
          return;
        }
        mappedRegions.set(key, pointer);
        if (m.offset !== undefined) {
          this.problem(`${pointer}/offset`, '"offset" goes with "alias", not "map"', 'To show part of a region from an offset, use { "alias": "<object>.<region>", "offset": …, "size": …, "at": … }.');
          return;
        }
        let size = target.size;
        if (m.size !== undefined && target.kind !== 'container') {
          const given = this.integer(m.size, this.env(item), `${pointer}/size`, 'size');
          if (given === undefined) return;
          if (given <= 0 || given > target.size) {
            this.problem(`${pointer}/size`, `size ${formatSize(given)} does not fit ${relativePath(key)} (${formatSize(target.size)})`, 'Map at most the whole region; the size maps its first bytes.');
            return;
          }
          size = given;
        }
        if (target.kind === 'container') nodeFor(key, '', target.size);
        parent.children.push({ at, size, priority, target, pointer, label: relativePath(key) });
      } else {
        const target = this.regionTarget(m.alias!, base, `${pointer}/alias`);
        if (target === undefined) return;
        if (target.kind === 'container') {
          this.problem(`${pointer}/alias`, 'an alias of a container is not supported', 'Alias the regions inside it instead.');
          return;
        }
        const offset = m.offset === undefined ? 0 : this.integer(m.offset, this.env(item), `${pointer}/offset`, 'offset');
        const size = m.size === undefined ? target.size - (offset ?? 0) : this.integer(m.size, this.env(item), `${pointer}/size`, 'size');
        if (offset === undefined || size === undefined) return;
        if (offset < 0 || size <= 0 || offset + size > target.size) {
          this.problem(pointer, `alias window [+${hex(offset)}, ${formatSize(size)}] does not fit in ${relativePath(target.object.path)}.${target.region} (${formatSize(target.size)})`, 'Make "offset" + "size" at most the size of the aliased region.');
          return;
        }
        parent.children.push({
          at,
          size,
          priority,
          target: undefined,
          alias: { object: target.object.path, region: target.region, offset, kind: target.kind },
          aliasKind: target.kind,
          pointer,
          label: `alias of ${relativePath(target.object.path)}.${target.region}`,
        });
      }
    });

    // Each node: mappings must fit, and must not overlap at equal priority.
    for (const node of nodes.values()) {
      for (const child of node.children) {
        if (child.at + child.size > node.size) {
          this.problem(`${child.pointer}/at`, `${child.label} (${formatSize(child.size)}) at ${hex(child.at)} runs past the end of ${node.space ? `the ${node.space} address space` : `container ${relativePath(node.key)} (${formatSize(node.size)})`}`, 'Map it lower or make it smaller.');
        }
      }
      const sorted = [...node.children].sort((a, b) => a.at - b.at);
      for (let i = 0; i < sorted.length; i++) {
        for (let j = i + 1; j < sorted.length && sorted[j].at < sorted[i].at + sorted[i].size; j++) {
          const [a, b] = [sorted[i], sorted[j]];
          if (a.priority === b.priority) {
            const later = node.children.indexOf(a) > node.children.indexOf(b) ? a : b;
            const earlier = later === a ? b : a;
            this.problem(
              `${later.pointer}/at`,
              `${later.label} [${hex(later.at)}–${hex(later.at + later.size - 1)}] overlaps ${earlier.label} [${hex(earlier.at)}–${hex(earlier.at + earlier.size - 1)}] at equal priority ${a.priority}`,
              'Move one of them, shrink it, or give one a higher "priority" so it wins where they overlap.',
            );
          }
        }
      }
    }

    // Flatten: walk from each address space down through containers.
    const memory: ResolvedMapping[] = [];
    const containers: ResolvedContainer[] = [];
    const placed = new Set<string>();
    const walk = (node: MemoryNode, base: number, space: string, priorities: number[], chain: string[]) => {
      for (const child of node.children) {
        const absolute = base + child.at;
        if (child.target?.kind === 'container') {
          const key = `${child.target.object.path}.${child.target.region}`;
          placed.add(key);
          containers.push({ object: child.target.object.path, region: child.target.region, base: absolute, size: child.size, space, pointer: child.pointer });
          walk(nodes.get(key)!, absolute, space, [...priorities, child.priority], [...chain, key]);
        } else if (child.target !== undefined) {
          memory.push({ object: child.target.object.path, region: child.target.region, base: absolute, size: child.size, space, kind: child.target.kind, priorities: [...priorities, child.priority], containers: chain, pointer: child.pointer });
        } else if (child.alias !== undefined) {
          memory.push({ object: child.alias.object, region: child.alias.region, base: absolute, size: child.size, space, kind: 'alias', priorities: [...priorities, child.priority], containers: chain, alias: child.alias, pointer: child.pointer });
        }
      }
    };
    for (const node of nodes.values()) if (node.key.startsWith('space:')) walk(node, 0, node.space, [], []);
    for (const node of nodes.values()) {
      if (!node.key.startsWith('space:') && !placed.has(node.key) && node.children.length > 0) {
        this.problem(node.children[0].pointer, `container ${relativePath(node.key)} is never mapped, so nothing in it is reachable`, `Map it: { "map": "${relativePath(node.key)}", "at": "0x…" }.`);
      }
    }
    return { memory, containers };
  }

  /** Resolve one side of a wire to its lines; undefined after reporting a problem. */
  private irqLines(reference: string, direction: 'in' | 'out', base: string, pointer: string): ResolvedIrqEndpoint[] | undefined {
    const parsed = parsePortReference(reference, base);
    if (parsed === undefined) {
      this.problem(pointer, `"${reference}" is not an IRQ port reference`, 'Write "<object>.<port>", "<object>.<port>[n]" or "<object>.<port>[a..b]", e.g. "uart0.irq" or "plic.in[10]".');
      return undefined;
    }
    const ref = this.followAlias(parsed);
    const object = this.findObject(ref.object, pointer);
    if (object === undefined) return undefined;
    const type = this.types.get(object.path);
    if (type === undefined) {
      if (object.composite) this.problem(pointer, `composite "${object.name}" has no IRQ port "${ref.port}"`, 'Composite types expose IRQ ports through "ports.irqs".');
      return undefined;
    }
    const port = type.irqs.find((p) => p.name === ref.port && p.direction === direction);
    if (port === undefined) {
      const other = type.irqs.find((p) => p.name === ref.port);
      const names = type.irqs.filter((p) => p.direction === direction).map((p) => p.name);
      this.problem(
        pointer,
        other ? `${relativePath(object.path)}.${ref.port} is an IRQ ${other.direction === 'in' ? 'input' : 'output'}, not an ${direction === 'in' ? 'input' : 'output'}` : `object "${object.name}" (${type.name}) has no IRQ ${direction === 'in' ? 'input' : 'output'} "${ref.port}"`,
        other ? 'Wires go from an output ("from") to an input ("to").' : suggestion(ref.port, names, `IRQ ${direction === 'in' ? 'inputs' : 'outputs'} of ${type.name}`),
      );
      return undefined;
    }
    const count = typeof port.count === 'number' ? port.count : Number(object.props[port.count.prop]);
    const first = ref.first ?? 0;
    if (ref.first === undefined && count > 1) {
      this.problem(pointer, `${relativePath(object.path)}.${port.name} has ${count} lines; say which`, `Write ${relativePath(object.path)}.${port.name}[n] (0 to ${count - 1}) or a range [a..b].`);
      return undefined;
    }
    if (first + ref.count > count) {
      this.problem(pointer, `${reference}: line ${first + ref.count - 1} is out of range`, `${relativePath(object.path)}.${port.name} has lines 0 to ${count - 1}.`);
      return undefined;
    }
    return Array.from({ length: ref.count }, (_, k) => ({ object: object.path, port: port.name, index: first + k }));
  }

  /**
   * A wire between two ports that carry different architectures' signals (IrqPortSpec.signal: a
   * PLIC's meip into an ARM core's irq[n], …) is a problem at the wire; true when it is one.
   */
  private signalMismatch(source: ResolvedIrqEndpoint, target: ResolvedIrqEndpoint, from: string, to: string, pointer: string): boolean {
    const spec = (endpoint: ResolvedIrqEndpoint, direction: 'in' | 'out') => this.types.get(endpoint.object)?.irqs.find((p) => p.name === endpoint.port && p.direction === direction);
    const out = spec(source, 'out')?.signal;
    const into = spec(target, 'in')?.signal;
    if (out === undefined || into === undefined || out === into) return false;
    const describe = (signal: string) => IRQ_SIGNALS[signal]?.what ?? `a "${signal}" line`;
    const targetType = this.types.get(target.object)?.name ?? '?';
    this.problem(pointer, `${from} is ${describe(out)}, and ${to} is ${describe(into)}: ${relativePath(target.object)} (${targetType}) cannot take it`, IRQ_SIGNALS[into]?.wiring ?? 'Wire it to an input that takes this kind of line.');
    return true;
  }

  private resolveIrqs(): ResolvedIrq[] {
    const lines: ResolvedIrq[] = [];
    const drivenBy = new Map<string, string>();
    for (const item of this.expanded.irqs) {
      const wire = item.entry as IrqWireDocument;
      const pointer = item.origin.pointer;
      const sources = this.irqLines(wire.from, 'out', item.base, `${pointer}/from`);
      const targets = this.irqLines(wire.to, 'in', item.base, `${pointer}/to`);
      if (sources === undefined || targets === undefined) continue;
      if (sources.length !== 1 && sources.length !== targets.length) {
        this.problem(pointer, `${wire.from} has ${sources.length} lines but ${wire.to} has ${targets.length}`, 'A range wire needs as many inputs as outputs (or one output fanned out to many inputs).');
        continue;
      }
      targets.forEach((target, k) => {
        const source = sources.length === 1 ? sources[0] : sources[k];
        const key = `${target.object}.${target.port}[${target.index}]`;
        const from = `${relativePath(source.object)}.${source.port}[${source.index}]`;
        const to = `${relativePath(target.object)}.${target.port}[${target.index}]`;
        const previous = drivenBy.get(key);
        if (previous !== undefined) {
          this.problem(`${pointer}/to`, `IRQ input ${to} is driven by both ${previous} and ${from}`, 'An input takes one output. Use another input line, or combine the outputs in a device.');
          return;
        }
        drivenBy.set(key, from);
        if (this.signalMismatch(source, target, from, to, pointer)) return;
        lines.push({ from, to, source, target, pointer });
      });
    }
    return lines;
  }

  private resolveResets(domains: Record<string, { entry: string[]; origin: Origin }>): ResolvedReset[] {
    const resolvedDomains = new Map<string, string[]>();
    for (const [name, { entry, origin }] of Object.entries(domains)) {
      const members: string[] = [];
      entry.forEach((member, i) => {
        const path = absolutePath(member);
        if (this.findObject(path, origin.source === 'board' ? `${origin.pointer}/${i}` : origin.pointer)) members.push(path);
      });
      resolvedDomains.set(name, members);
    }
    const resets: ResolvedReset[] = [];
    for (const item of this.expanded.resets) {
      const wire = item.entry as ResetWireDocument;
      const pointer = item.origin.pointer;
      let from = 'board';
      if (wire.from !== 'board') {
        const ref = parsePortReference(wire.from, item.base);
        const object = ref && this.findObject(ref.object, `${pointer}/from`);
        if (ref === undefined) {
          this.problem(`${pointer}/from`, `"${wire.from}" is not a reset source`, 'Write "board" or "<object>.<reset output>", e.g. "test.system-reset".');
          continue;
        }
        if (object === undefined) continue;
        const type = this.types.get(object.path);
        const port = type?.resets.find((r) => r.name === ref.port && r.direction === 'out');
        if (port === undefined) {
          this.problem(`${pointer}/from`, `${relativePath(object.path)} has no reset output "${ref.port}"`, suggestion(ref.port, (type?.resets ?? []).filter((r) => r.direction === 'out').map((r) => r.name), 'reset outputs'));
          continue;
        }
        from = `${object.path}.${port.name}`;
      }
      let to: ResolvedReset['to'];
      if (wire.to === 'board') to = 'board';
      else if (wire.to.startsWith('domain:')) {
        const members = resolvedDomains.get(wire.to.slice('domain:'.length));
        if (members === undefined) {
          this.problem(`${pointer}/to`, `no reset domain "${wire.to.slice(7)}"`, suggestion(wire.to.slice(7), [...resolvedDomains.keys()], 'reset domains'));
          continue;
        }
        to = members;
      } else {
        const object = this.findObject(absolutePath(wire.to.replace(/\.reset$/, ''), item.base), `${pointer}/to`);
        if (object === undefined) continue;
        to = [object.path];
      }
      resets.push({ from, to, label: wire.to, pointer });
    }
    return resets;
  }

  private resolveImages(): ResolvedImage[] {
    const images: ResolvedImage[] = [];
    const assembledFor = new Map<string, { march: string; pointer: string }>();
    for (const item of this.expanded.images) {
      const image = item.entry as ImageDocument;
      const pointer = item.origin.pointer;
      const format = image.format ?? 'elf';
      let cpu: ResolvedObject | undefined;
      if (image.cpu !== undefined && image.source !== undefined) {
        cpu = this.findObject(absolutePath(image.cpu), `${pointer}/cpu`);
        if (cpu === undefined) continue;
        const source = this.resolveSource(image, pointer, cpu, assembledFor);
        if (source !== undefined) images.push({ cpu: cpu.path, file: source.name, format, at: undefined, space: image.space ?? cpuAddressSpace(cpu), pointer, source });
        continue;
      }
      if (image.source !== undefined) {
        this.problem(pointer, 'a source image needs a "cpu"', `Name the CPU that runs ${image.source} ("cpu": "cpu0").`);
        continue;
      }
      if (image.cpu !== undefined) {
        cpu = this.findObject(absolutePath(image.cpu), `${pointer}/cpu`);
        if (cpu === undefined) continue;
        if (!isA(cpu.type, 'cpu')) {
          this.problem(`${pointer}/cpu`, `"${image.cpu}" is a ${cpu.type}, not a CPU`, "Images are loaded for a CPU; name one of the board's CPUs.");
          continue;
        }
      } else if (format === 'elf') {
        this.problem(pointer, 'an ELF image needs a "cpu"', 'Name the CPU whose start address the ELF entry point sets.');
        continue;
      }
      let at: number | undefined;
      if (image.at !== undefined) {
        at = this.integer(image.at, item.env, `${pointer}/at`, 'load address');
        if (at === undefined) continue;
      } else if (format === 'binary') {
        this.problem(pointer, 'a binary image needs "at", its load address', 'Add "at": "0x80000000" (for example).');
        continue;
      }
      const space = image.space ?? (cpu ? cpuAddressSpace(cpu) : 'system');
      if (image.file === undefined) {
        this.problem(pointer, 'an image needs a "file" or a "source"', 'Name an image file ("file": "firmware/hello.elf") or one of the board\'s sources ("source": "main.s").');
        continue;
      }
      if (Object.hasOwn(this.document.sources ?? {}, image.file)) {
        this.problem(`${pointer}/file`, `image file ${image.file} has the name of one of the board's sources`, `To load the ELF assembled from the source, write "source": "${image.file}" instead of "file"; else rename the source.`);
        continue;
      }
      images.push({ cpu: cpu?.path, file: image.file, format, at, space, pointer });
    }
    return images;
  }

  /**
   * The source an image names, checked: it exists, the image names no file and no load address
   * (the source places itself), its CPU runs its instruction set, and every image that names it
   * assembles it the same way (`assembledFor`: the instruction set each source was assembled for so far).
   */
  private resolveSource(image: ImageDocument, pointer: string, cpu: ResolvedObject, assembledFor: Map<string, { march: string; pointer: string }>): ResolvedSource | undefined {
    const name = image.source!;
    const sources = this.document.sources ?? {};
    if (image.file !== undefined) {
      this.problem(pointer, `the image names both a file (${image.file}) and a source (${name})`, 'An image is either a file or one of the board\'s sources: remove "file" or "source".');
      return undefined;
    }
    if (!Object.hasOwn(sources, name)) {
      const names = Object.keys(sources);
      this.problem(`${pointer}/source`, `no source "${name}" in this board`, names.length > 0 ? suggestion(name, names, 'sources') : `The board has no sources: add one under "sources" ("sources": { "${name}": { "text": "…" } }), or name an image file with "file".`);
      return undefined;
    }
    if (image.format !== undefined && image.format !== 'elf') {
      this.problem(`${pointer}/format`, `a source assembles to an ELF image, not ${image.format}`, 'Remove "format" (or set it to "elf").');
      return undefined;
    }
    if (image.at !== undefined) {
      this.problem(`${pointer}/at`, 'a source image has no load address: its ELF places itself', `Set where the code goes with "textAddress" in /sources/${name}, and remove "at".`);
      return undefined;
    }
    const document = sources[name];
    const sourcePointer = pointerOf('sources', name);
    const cpuSet = cpuMarch(cpu.type);
    if (cpuSet === undefined) {
      this.problem(`${pointer}/cpu`, `${relativePath(cpu.path)} (${cpu.type}) is not a CPU the assembler builds for`, `Name the CPU that runs ${name}; the assembler builds for ${SOURCE_MARCHES.join(', ')}.`);
      return undefined;
    }
    const march = document.march ?? cpuSet;
    if (!marchRunsOn(march, cpuSet)) {
      this.problem(`${sourcePointer}/march`, `${name} is assembled for ${march}, but ${relativePath(cpu.path)} (${cpu.type}) runs ${cpuSet}`, `Set "march" to "${cpuSet}" (or remove it: a source is assembled for the CPU that runs it).`);
      return undefined;
    }
    const earlier = assembledFor.get(name);
    if (earlier !== undefined && earlier.march !== march) {
      this.problem(`${pointer}/source`, `${name} is the image of CPUs of two instruction sets: ${earlier.march} (${earlier.pointer}) and ${march}`, `Give each CPU its own source, or set "march" in ${sourcePointer}.`);
      return undefined;
    }
    assembledFor.set(name, { march, pointer });
    let textAddress: number | undefined;
    if (document.textAddress !== undefined) {
      textAddress = this.integer(document.textAddress, this.expanded.params, `${sourcePointer}/textAddress`, 'text address');
      if (textAddress === undefined) return undefined;
    }
    return { name, text: document.text, march, textAddress, pointer: sourcePointer };
  }

  private checkLinks(): void {
    for (const object of this.objects) {
      const type = this.types.get(object.path);
      if (type === undefined) continue;
      for (const spec of type.props) {
        const value = object.props[spec.name];
        if (spec.kind !== 'link' || value === null || typeof value !== 'string') continue;
        const origin = object.origins[spec.name];
        const pointer = origin.pointer ?? object.pointer;
        const target = this.findObject(absolutePath(value), pointer);
        if (target === undefined) continue;
        if (spec.linkTo !== undefined && !isA(target.type, spec.linkTo)) {
          this.problem(pointer, `${relativePath(object.path)}.${spec.name} must link to a ${spec.linkTo}, but ${value} is a ${target.type}`, `Candidates: ${this.objects.filter((o) => isA(o.type, spec.linkTo!)).map((o) => relativePath(o.path)).join(', ') || '(none on this board)'}.`);
        } else object.props[spec.name] = target.path;
      }
    }
  }

  /**
   * Nothing may be mapped into a CPU's view where its architecture keeps addresses for the core
   * itself (CpuArchitecture.reservedRanges: a Cortex-M core's Private Peripheral Bus): the core
   * would answer there instead. A problem at each such mapping's address.
   */
  private checkReservedRanges(cpu: ResolvedObject, view: ResolvedMapping[]): void {
    const architecture = cpuArchitecture(cpu.type);
    for (const range of architecture?.reservedRanges ?? []) {
      for (const mapping of view) {
        const last = mapping.base + mapping.size - 1;
        if (mapping.size === 0 || last < range.start || mapping.base > range.end) continue;
        const inOwnSpace = mapping.space !== 'system';
        this.problem(
          `${mapping.pointer}/at`,
          `${relativePath(mapping.object)}.${mapping.region} [${hex(mapping.base)}–${hex(last)}] is mapped into the view of CPU ${cpu.name} (${cpu.type}) at ${hex(range.start)}–${hex(range.end)}, ${range.what}`,
          `${cpu.type} keeps ${hex(range.start)}–${hex(range.end)} for itself: map the region elsewhere${inOwnSpace ? '' : `, or into another CPU's own address space (its "address-space" property) so ${cpu.name} does not see it`}.`,
        );
      }
    }
  }

  /** Every CPU's address space must have mappings, and a CPU without an ELF must start in memory. */
  private checkCpus(memory: ResolvedMapping[], images: ResolvedImage[]): void {
    for (const object of this.objects) {
      if (!isA(object.type, 'cpu') || this.types.get(object.path)?.abstract) continue;
      if (isA(object.type, 'riscv-cpu') && object.props.s === true && object.props.u === false) {
        // Never dropped silently: the privileged spec has no S-mode without U-mode (misa.S needs misa.U).
        const origin = object.origins.u.pointer !== undefined ? object.origins.u : object.origins.s;
        this.problem(origin.pointer ?? (object.pointer === '/extends' ? object.pointer : `${object.pointer}/props`), `CPU ${object.name} has supervisor mode ("s": true) without user mode ("u": false)`, 'A RISC-V hart with S-mode must have U-mode: set "u": true, or "s": false for a machine-mode-only hart.');
      }
      const space = String(object.props['address-space']);
      const view = memory.filter((m) => m.space === space || m.space === 'system');
      if (space !== 'system' && !memory.some((m) => m.space === space)) {
        this.problem(object.origins['address-space'].pointer ?? object.pointer, `CPU ${object.name} uses address space "${space}", where nothing is mapped`, 'Map something with "space": "' + space + '", or use "system".');
        continue;
      }
      this.checkReservedRanges(object, view);
      if (images.some((image) => image.cpu === object.path && image.format !== 'binary')) continue; // the entry point is checked at load
      const vector = Number(object.props['reset-vector']);
      const hit = view.find((m) => vector >= m.base && vector < m.base + m.size);
      if (hit === undefined || hit.kind === 'mmio') {
        const origin = object.origins['reset-vector'];
        this.problem(
          origin?.pointer ?? object.pointer,
          `CPU ${object.name} starts at ${hex(vector)}, where ${hit === undefined ? 'no memory is mapped' : `${relativePath(hit.object)}.${hit.region} is device registers, not memory`}`,
          'Map RAM, ROM or flash at the reset vector, change "reset-vector", or give the CPU an ELF image.',
        );
      }
    }
  }
}

function dedupe(problems: BoardProblem[]): BoardProblem[] {
  const seen = new Set<string>();
  return problems.filter((p) => {
    const key = `${p.pointer}\u0000${p.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
