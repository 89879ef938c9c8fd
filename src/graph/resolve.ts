// Board document → resolved machine: flat objects with canonical paths and final property values,
// and every memory mapping, IRQ wire and image, checked. Never throws: any input gives either a
// resolved board or a list of problems, each with a JSON Pointer, a message and a hint.
import { Ajv, type ErrorObject } from 'ajv';
import { BoardDocumentSchema, type BoardDocument, type ObjectDocument } from './schema.ts';
import { findType, listTypes, type PropertySpec, type TypeSpec } from './catalog.ts';
import { formatSize, hex, parseFrequency, parseInteger, parseSize } from './values.ts';

export interface BoardProblem {
  /** JSON Pointer into the document ("" is the whole document). */
  pointer: string;
  message: string;
  hint: string;
}

export type PropertyValue = number | string | boolean;

export interface ResolvedObject {
  path: string;
  name: string;
  type: string;
  parent: string | null;
  props: Record<string, PropertyValue>;
  /** Pointer of the object in the document. */
  pointer: string;
}

export interface ResolvedMapping {
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

export interface ResolvedIrq {
  from: string;
  to: string;
  source: ResolvedIrqEndpoint;
  target: ResolvedIrqEndpoint;
  pointer: string;
}

export interface ResolvedImage {
  cpu: string;
  file: string;
  format: 'elf';
  pointer: string;
}

export interface ResolvedBoard {
  name: string;
  description: string;
  objects: ResolvedObject[];
  memory: ResolvedMapping[];
  irqs: ResolvedIrq[];
  images: ResolvedImage[];
}

export type BoardResult = { ok: true; board: ResolvedBoard } | { ok: false; problems: BoardProblem[] };

export const ROOT_PATH = '/machine';

export function escapePointerToken(token: string): string {
  return token.replace(/~/g, '~0').replace(/\//g, '~1');
}

export function pointerOf(...tokens: Array<string | number>): string {
  return tokens.map((t) => '/' + escapePointerToken(String(t))).join('');
}

let validateDocument: ReturnType<Ajv['compile']> | undefined;

function schemaValidator(): ReturnType<Ajv['compile']> {
  validateDocument ??= new Ajv({ allErrors: true, strict: false, verbose: true }).compile(BoardDocumentSchema);
  return validateDocument;
}

/** Parse JSON text and resolve it. Syntax errors name the line and column. */
export function parseBoard(text: string): BoardResult {
  let document: unknown;
  try {
    document = JSON.parse(text);
  } catch (error) {
    return { ok: false, problems: [jsonSyntaxProblem(text, error)] };
  }
  return resolveBoard(document);
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
    hint: 'Check for a missing comma, an unquoted key or a trailing comma near that place.',
  };
}

/** Resolve a parsed board document. */
export function resolveBoard(document: unknown): BoardResult {
  const validate = schemaValidator();
  if (!validate(document)) return { ok: false, problems: schemaProblems(validate.errors ?? [], document) };
  return new Resolver(document as BoardDocument).resolve();
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
        message = `invalid object name "${key}"`;
        hint = 'Names start with a lower-case letter and use only a-z, 0-9, "-" and "_".';
      } else {
        message = `unknown member "${key}"`;
        hint = `Remove "${key}" or check its spelling.`;
      }
    } else if (e.keyword === 'required') {
      const key = String((e.params as { missingProperty: string }).missingProperty);
      message = `missing required member "${key}"`;
      hint = key === 'boardlab' ? 'Add "boardlab": 1 (the board format version).' : `Add "${key}".`;
    } else if (e.keyword === 'propertyNames' || (e.keyword === 'pattern' && e.propertyName !== undefined)) {
      continue; // reported below with the offending name
    } else if (e.keyword === 'pattern') {
      message = 'invalid name';
      hint = 'Names start with a lower-case letter and use only a-z, 0-9, "-" and "_".';
    } else if (e.keyword === 'const') {
      message = `must be ${JSON.stringify((e.params as { allowedValue: unknown }).allowedValue)}`;
      hint = 'This format version only accepts that value.';
    } else if (e.keyword === 'type' || e.keyword === 'anyOf') {
      message = `has the wrong type (${describeJsonType(valueAt(document, pointer))})`;
      hint = e.keyword === 'type' ? `Expected ${String((e.params as { type: string }).type)}.` : 'Expected a number or a string such as "0x1000".';
    } else {
      message = e.message ?? 'is invalid';
      hint = 'See the board format in docs/board-format.md.';
    }
    const existing = byPointer.get(pointer);
    if (existing === undefined || e.keyword === 'anyOf') byPointer.set(pointer, { pointer, message, hint });
  }
  for (const e of errors) {
    if (e.propertyName !== undefined) {
      const pointer = e.instancePath + pointerOf(e.propertyName);
      byPointer.set(pointer, {
        pointer,
        message: `invalid object name "${e.propertyName}"`,
        hint: 'Names start with a lower-case letter and use only a-z, 0-9, "-" and "_".',
      });
    }
  }
  return [...byPointer.values()];
}

function valueAt(document: unknown, pointer: string): unknown {
  let node = document;
  for (const token of pointer.split('/').slice(1)) {
    const key = token.replace(/~1/g, '/').replace(/~0/g, '~');
    if (node === null || typeof node !== 'object') return undefined;
    node = (node as Record<string, unknown>)[key];
  }
  return node;
}

function describeJsonType(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'object') return 'an object';
  return `${typeof value} ${JSON.stringify(value)}`;
}

function closest(word: string, candidates: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const c of candidates) {
    const d = editDistance(word, c);
    if (d < bestDistance) {
      bestDistance = d;
      best = c;
    }
  }
  return bestDistance <= Math.max(2, word.length / 3) ? best : undefined;
}

function editDistance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let previous = row[0];
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const current = row[j];
      row[j] = Math.min(row[j] + 1, row[j - 1] + 1, previous + (a[i - 1] === b[j - 1] ? 0 : 1));
      previous = current;
    }
  }
  return row[b.length];
}

function suggestion(word: string, candidates: readonly string[], what: string): string {
  const near = closest(word, candidates);
  const list = candidates.length > 0 ? `Known ${what}: ${candidates.join(', ')}.` : `This has no ${what}.`;
  return near !== undefined ? `Did you mean "${near}"? ${list}` : list;
}

class Resolver {
  private readonly problems: BoardProblem[] = [];
  private readonly objects: ResolvedObject[] = [];
  private readonly objectsByPath = new Map<string, ResolvedObject>();

  constructor(private readonly document: BoardDocument) {}

  resolve(): BoardResult {
    this.collectObjects(this.document.objects, ROOT_PATH, null, '/objects');
    const memory = this.resolveMemory();
    const irqs = this.resolveIrqs();
    const images = this.resolveImages();
    this.checkResetVectors(memory, images);
    if (this.problems.length > 0) return { ok: false, problems: this.problems };
    return {
      ok: true,
      board: {
        name: this.document.name,
        description: this.document.description ?? '',
        objects: this.objects,
        memory,
        irqs,
        images,
      },
    };
  }

  private problem(pointer: string, message: string, hint: string): void {
    this.problems.push({ pointer, message, hint });
  }

  private collectObjects(children: Record<string, ObjectDocument>, parentPath: string, parent: string | null, pointer: string): void {
    for (const [name, object] of Object.entries(children)) {
      const path = `${parentPath}/${name}`;
      const objectPointer = `${pointer}${pointerOf(name)}`;
      const spec = findType(object.type);
      if (spec === undefined) {
        this.problem(
          `${objectPointer}/type`,
          `unknown object type "${object.type}"`,
          suggestion(object.type, listTypes().map((t) => t.name), 'types'),
        );
      }
      const resolved: ResolvedObject = {
        path,
        name,
        type: object.type,
        parent: parent ?? ROOT_PATH,
        props: spec ? this.resolveProps(spec, object.props ?? {}, `${objectPointer}/props`) : { ...(object.props ?? {}) },
        pointer: objectPointer,
      };
      this.objects.push(resolved);
      this.objectsByPath.set(path, resolved);
      if (object.children) this.collectObjects(object.children, path, path, `${objectPointer}/children`);
    }
  }

  private resolveProps(spec: TypeSpec, given: Record<string, PropertyValue>, pointer: string): Record<string, PropertyValue> {
    const props: Record<string, PropertyValue> = {};
    for (const p of spec.props) props[p.name] = p.default;
    for (const [name, value] of Object.entries(given)) {
      const p = spec.props.find((candidate) => candidate.name === name);
      const where = `${pointer}${pointerOf(name)}`;
      if (p === undefined) {
        this.problem(where, `type "${spec.name}" has no property "${name}"`, suggestion(name, spec.props.map((q) => q.name), `properties of ${spec.name}`));
        continue;
      }
      const parsed = this.parseProperty(p, value, where);
      if (parsed !== undefined) props[name] = parsed;
    }
    return props;
  }

  private parseProperty(p: PropertySpec, value: PropertyValue, where: string): PropertyValue | undefined {
    const bad = (expected: string): undefined => {
      this.problem(where, `property "${p.name}" must be ${expected}, not ${JSON.stringify(value)}`, p.doc);
      return undefined;
    };
    switch (p.kind) {
      case 'bool':
        return typeof value === 'boolean' ? value : bad('true or false');
      case 'string':
        return typeof value === 'string' ? value : bad('a string');
      case 'enum':
        return typeof value === 'string' && p.values?.includes(value) ? value : bad(`one of ${p.values?.join(', ')}`);
      default: {
        const n =
          p.kind === 'size' ? parseSize(value) : p.kind === 'frequency' ? parseFrequency(value) : parseInteger(value);
        if (n === undefined) return bad(p.kind === 'size' ? 'a size such as 4096, "64K" or "128M"' : p.kind === 'frequency' ? 'a frequency such as "10 MHz"' : 'an integer such as 42 or "0x80000000"');
        const min = p.min ?? (p.kind === 'int' ? Number.MIN_SAFE_INTEGER : 0);
        const max = p.max ?? (p.kind === 'address' ? 0xffffffff : Number.MAX_SAFE_INTEGER);
        if (n < min || n > max) {
          const show = p.kind === 'size' ? formatSize : p.kind === 'address' ? (x: number) => hex(x) : String;
          this.problem(where, `property "${p.name}" = ${show(n)} is out of range`, `Allowed: ${show(min)} to ${show(max)}${p.unit ? ` ${p.unit}` : ''}.`);
          return undefined;
        }
        return n;
      }
    }
  }

  /** "soc/uart0.regs" or "/machine/soc/uart0.regs" → object path and port name. */
  private splitPortReference(reference: string): { path: string; port: string; index: number | undefined } | undefined {
    const m = /^(.+?)\.([a-z][a-z0-9_-]*)(?:\[(\d+)\])?$/.exec(reference);
    if (!m) return undefined;
    const objectPart = m[1].startsWith(`${ROOT_PATH}/`) ? m[1] : `${ROOT_PATH}/${m[1].replace(/^\//, '')}`;
    return { path: objectPart, port: m[2], index: m[3] === undefined ? undefined : Number(m[3]) };
  }

  private findObject(path: string, pointer: string): ResolvedObject | undefined {
    const object = this.objectsByPath.get(path);
    if (object === undefined) {
      const relative = path.slice(ROOT_PATH.length + 1);
      this.problem(pointer, `no object "${relative}" on this board`, suggestion(relative, this.objects.map((o) => o.path.slice(ROOT_PATH.length + 1)), 'objects'));
    }
    return object;
  }

  private resolveMemory(): ResolvedMapping[] {
    const mappings: ResolvedMapping[] = [];
    (this.document.memory ?? []).forEach((entry, i) => {
      const pointer = pointerOf('memory', i);
      const ref = this.splitPortReference(entry.map);
      if (ref === undefined || ref.index !== undefined) {
        this.problem(`${pointer}/map`, `"${entry.map}" is not a region reference`, 'Write "<object>.<region>", e.g. "uart0.regs".');
        return;
      }
      const object = this.findObject(ref.path, `${pointer}/map`);
      if (object === undefined) return;
      const spec = findType(object.type);
      if (spec === undefined) return; // already reported
      const region = spec.regions.find((r) => r.name === ref.port);
      if (region === undefined) {
        this.problem(`${pointer}/map`, `object "${object.name}" (${spec.name}) has no region "${ref.port}"`, suggestion(ref.port, spec.regions.map((r) => r.name), `regions of ${spec.name}`));
        return;
      }
      const base = parseInteger(entry.at);
      if (base === undefined || base < 0 || base > 0xffffffff) {
        this.problem(`${pointer}/at`, `address ${JSON.stringify(entry.at)} is not a 32-bit address`, 'Write an address such as "0x10000000".');
        return;
      }
      const size = typeof region.size === 'number' ? region.size : Number(object.props[region.size.prop]);
      if (base + size > 0x1_0000_0000) {
        this.problem(`${pointer}/at`, `${entry.map} (${formatSize(size)}) at ${hex(base)} runs past the end of the 32-bit address space`, 'Map it lower or make it smaller.');
        return;
      }
      const space = entry.space ?? 'system';
      for (const other of mappings) {
        if (other.space === space && base < other.base + other.size && other.base < base + size) {
          this.problem(
            `${pointer}/at`,
            `${entry.map} [${hex(base)}–${hex(base + size - 1)}] overlaps ${relativeName(other)} [${hex(other.base)}–${hex(other.base + other.size - 1)}]`,
            'Move one of the two regions, or shrink it.',
          );
          return;
        }
      }
      mappings.push({ object: object.path, region: region.name, base, size, space, pointer });
    });
    return mappings;
  }

  private resolveIrqs(): ResolvedIrq[] {
    const wires: ResolvedIrq[] = [];
    const drivenBy = new Map<string, string>();
    (this.document.irqs ?? []).forEach((wire, i) => {
      const pointer = pointerOf('irqs', i);
      const source = this.resolveIrqEndpoint(wire.from, 'out', `${pointer}/from`);
      const target = this.resolveIrqEndpoint(wire.to, 'in', `${pointer}/to`);
      if (source === undefined || target === undefined) return;
      const key = `${target.object}.${target.port}[${target.index}]`;
      const previous = drivenBy.get(key);
      if (previous !== undefined) {
        this.problem(`${pointer}/to`, `IRQ input ${wire.to} is already driven by ${previous}`, 'An input takes one output; use a separate input line or an OR gate.');
        return;
      }
      drivenBy.set(key, wire.from);
      wires.push({ from: wire.from, to: wire.to, source, target, pointer });
    });
    return wires;
  }

  private resolveIrqEndpoint(reference: string, direction: 'in' | 'out', pointer: string): ResolvedIrqEndpoint | undefined {
    const ref = this.splitPortReference(reference);
    if (ref === undefined) {
      this.problem(pointer, `"${reference}" is not an IRQ port reference`, 'Write "<object>.<port>" or "<object>.<port>[n]", e.g. "uart0.irq".');
      return undefined;
    }
    const object = this.findObject(ref.path, pointer);
    const spec = object && findType(object.type);
    if (object === undefined || spec === undefined) return undefined;
    const port = spec.irqs.find((p) => p.name === ref.port && p.direction === direction);
    if (port === undefined) {
      const wanted = spec.irqs.filter((p) => p.direction === direction).map((p) => p.name);
      this.problem(pointer, `object "${object.name}" (${spec.name}) has no IRQ ${direction === 'in' ? 'input' : 'output'} "${ref.port}"`, suggestion(ref.port, wanted, `IRQ ${direction === 'in' ? 'inputs' : 'outputs'} of ${spec.name}`));
      return undefined;
    }
    const index = ref.index ?? 0;
    if (index >= port.count) {
      this.problem(pointer, `${reference}: index ${index} is out of range`, `${spec.name}.${port.name} has lines 0 to ${port.count - 1}.`);
      return undefined;
    }
    return { object: object.path, port: port.name, index };
  }

  private resolveImages(): ResolvedImage[] {
    const images: ResolvedImage[] = [];
    (this.document.images ?? []).forEach((image, i) => {
      const pointer = pointerOf('images', i);
      const path = image.cpu.startsWith(`${ROOT_PATH}/`) ? image.cpu : `${ROOT_PATH}/${image.cpu}`;
      const cpu = this.findObject(path, `${pointer}/cpu`);
      if (cpu === undefined) return;
      if (!findType(cpu.type)?.interfaces.includes('cpu')) {
        this.problem(`${pointer}/cpu`, `"${image.cpu}" is a ${cpu.type}, not a CPU`, 'Images are loaded for a CPU; name one of the board\'s CPUs.');
        return;
      }
      images.push({ cpu: cpu.path, file: image.file, format: image.format ?? 'elf', pointer });
    });
    return images;
  }

  /** A CPU without an image starts at its reset vector, which must hit mapped memory. */
  private checkResetVectors(memory: ResolvedMapping[], images: ResolvedImage[]): void {
    for (const object of this.objects) {
      if (!findType(object.type)?.interfaces.includes('cpu')) continue;
      if (images.some((image) => image.cpu === object.path)) continue; // the ELF's entry point is checked at load
      const vector = Number(object.props['reset-vector']);
      if (!memory.some((m) => vector >= m.base && vector < m.base + m.size)) {
        this.problem(
          `${object.pointer}/props/reset-vector`,
          `CPU ${object.name} starts at ${hex(vector)}, where no memory is mapped`,
          'Map RAM or ROM at the reset vector, or change "reset-vector".',
        );
      }
    }
  }
}

function relativeName(mapping: ResolvedMapping): string {
  return `${mapping.object.slice(ROOT_PATH.length + 1)}.${mapping.region}`;
}
