// Device state descriptors, in the spirit of QEMU's VMState: every device declares, as data, which
// of its instance properties make up its guest-visible state and of what type. saveState turns that
// state into plain JSON-able data; loadState checks saved data against the descriptor (name,
// version, every field's type, range and length) before it writes anything, writes it into the
// object (typed arrays and lists in place) and lets the device recompute what derives from it
// (postLoad: IRQ output levels, timers). Snapshots, restore and migration between two running
// instances are built on these two functions (DESIGN.md, principle 9).
//
// Configuration (properties), host wiring (IRQ lines, observers, timer handles) and caches are not
// state. Memory contents (RAM, ROM, framebuffers) are saved by the machine as buffers, not here.

/** Integer element types, with their ranges. */
export type IntegerType = 'u8' | 'u16' | 'u32' | 'i32';
/** Types of a single-valued field. */
export type ScalarType = IntegerType | 'bool' | 'f64';
/** Typed-array field types; the length is fixed by the instance's array (it depends on configuration only). */
export type ArrayType = 'u8[]' | 'u16[]' | 'u32[]' | 'i32[]' | 'f64[]';
export type FieldType = ScalarType | ArrayType | 'list';

interface FieldBase {
  /** The instance property that holds the field (also its key in the saved state). */
  readonly name: string;
  readonly doc?: string;
}

export interface ScalarField extends FieldBase {
  readonly type: ScalarType;
  /** Integer types: the bits that may be set (unsigned types only), e.g. 0x0f for a 4-bit register. */
  readonly mask?: number;
}

/** A typed array of fixed length (Uint8Array for 'u8[]', Uint32Array for 'u32[]', ...), copied in place. */
export interface ArrayField extends FieldBase {
  readonly type: ArrayType;
  /** Bits each element may have set (unsigned element types only). */
  readonly mask?: number;
}

/** A number[] of variable length, at most maxLength entries (a FIFO), copied in place. */
export interface ListField extends FieldBase {
  readonly type: 'list';
  readonly element: IntegerType | 'f64';
  readonly maxLength: number;
  /** Bits each element may have set (unsigned element types only). */
  readonly mask?: number;
}

export type FieldSpec = ScalarField | ArrayField | ListField;

export interface StateDescriptor {
  /** The device type, e.g. 'ns16550a'; saved state of another type is refused. */
  readonly name: string;
  /** Bumped whenever the fields change meaning; saved state of another version is refused unless an upgrade leads from it. */
  readonly version: number;
  readonly fields: ReadonlyArray<FieldSpec>;
  /**
   * Older versions that still load: upgrades[n] turns version n's fields into version n + 1's
   * (loadState applies them in turn, then checks the result as any saved state).
   */
  readonly upgrades?: Readonly<Record<number, StateUpgrade>>;
}

/** Turns one version's saved fields into the next version's. */
export type StateUpgrade = (fields: Readonly<Record<string, SavedValue>>) => Record<string, SavedValue>;

export type SavedValue = number | boolean | number[];

/** What saveState returns: plain data that survives JSON.stringify / JSON.parse unchanged. */
export interface SavedState {
  name: string;
  version: number;
  fields: Record<string, SavedValue>;
}

export interface Stateful {
  readonly stateDescriptor: StateDescriptor;
  /** Named in StateError messages when present (devices have their canonical path). */
  readonly path?: string;
  /**
   * Optional checks that depend on configuration (e.g. bits beyond the implemented lines), run by
   * loadState after the generic checks passed and before anything is written. Throws StateError;
   * must not change the object.
   */
  validateState?(fields: Readonly<Record<string, SavedValue>>): void;
  /** Recompute what derives from the state (re-drive IRQ outputs, re-arm timers) after loadState wrote it. */
  postLoad?(): void;
}

/** Saved state that does not fit the object it is loaded into (or a descriptor that is malformed). */
export class StateError extends Error {
  constructor(
    message: string,
    /** The descriptor's name (the device type). */
    readonly stateName: string,
    /** The offending field, when one is to blame. */
    readonly field?: string,
  ) {
    super(message);
    this.name = 'StateError';
  }
}

const INTEGER_RANGES: Record<IntegerType, readonly [number, number]> = {
  u8: [0, 0xff],
  u16: [0, 0xffff],
  u32: [0, 0xffffffff],
  i32: [-0x80000000, 0x7fffffff],
};

type TypedArray = Uint8Array | Uint16Array | Uint32Array | Int32Array | Float64Array;

const ARRAYS: Record<ArrayType, { element: IntegerType | 'f64'; is: (value: unknown) => value is TypedArray; className: string }> = {
  'u8[]': { element: 'u8', is: (value): value is Uint8Array => value instanceof Uint8Array, className: 'Uint8Array' },
  'u16[]': { element: 'u16', is: (value): value is Uint16Array => value instanceof Uint16Array, className: 'Uint16Array' },
  'u32[]': { element: 'u32', is: (value): value is Uint32Array => value instanceof Uint32Array, className: 'Uint32Array' },
  'i32[]': { element: 'i32', is: (value): value is Int32Array => value instanceof Int32Array, className: 'Int32Array' },
  'f64[]': { element: 'f64', is: (value): value is Float64Array => value instanceof Float64Array, className: 'Float64Array' },
};

const SCALAR_TYPES: ReadonlySet<string> = new Set(['u8', 'u16', 'u32', 'i32', 'bool', 'f64']);
const ELEMENT_TYPES: ReadonlySet<string> = new Set(['u8', 'u16', 'u32', 'i32', 'f64']);

function isArrayType(type: FieldType): type is ArrayType {
  return Object.hasOwn(ARRAYS, type);
}

/**
 * Checks a descriptor (name, positive integer version, unique field names, known types, list
 * lengths, masks) and returns it frozen. Devices define their descriptors with it, once per module.
 */
export function defineState(descriptor: StateDescriptor): StateDescriptor {
  const { name, version } = descriptor;
  const fail = (message: string, field?: string): never => {
    throw new StateError(`state descriptor ${JSON.stringify(name)}: ${message}`, String(name), field);
  };
  if (typeof name !== 'string' || name === '') fail('the name must be a non-empty string');
  if (!Number.isSafeInteger(version) || version < 1) fail(`version must be a positive integer (got ${String(version)})`);
  const seen = new Set<string>();
  const fields = descriptor.fields.map((spec) => {
    const field = spec.name;
    if (typeof field !== 'string' || field === '') fail('every field needs a non-empty name');
    if (seen.has(field)) fail(`field ${field} is declared twice`, field);
    seen.add(field);
    let element: IntegerType | 'f64' | 'bool';
    if (spec.type === 'list') {
      if (!ELEMENT_TYPES.has(spec.element)) fail(`field ${field}: unknown list element type ${String(spec.element)}`, field);
      if (!Number.isSafeInteger(spec.maxLength) || spec.maxLength < 0) fail(`field ${field}: maxLength must be a non-negative integer`, field);
      element = spec.element;
    } else if (isArrayType(spec.type)) {
      element = ARRAYS[spec.type].element;
    } else if (SCALAR_TYPES.has(spec.type)) {
      element = spec.type;
    } else {
      return fail(`field ${field}: unknown type ${String((spec as { type: unknown }).type)}`, field);
    }
    if (spec.mask !== undefined) {
      if (element !== 'u8' && element !== 'u16' && element !== 'u32') fail(`field ${field}: a mask needs an unsigned integer type`, field);
      else if (!Number.isInteger(spec.mask) || spec.mask < 0 || spec.mask > INTEGER_RANGES[element][1]) fail(`field ${field}: mask out of range for ${element}`, field);
    }
    return Object.freeze({ ...spec });
  });
  const upgrades = descriptor.upgrades ?? {};
  for (const from of Object.keys(upgrades)) {
    const n = Number(from);
    if (!Number.isSafeInteger(n) || n < 1 || n >= version || typeof upgrades[n] !== 'function') fail(`upgrades: ${from} is not an older version with an upgrade function`);
  }
  return Object.freeze({ name, version, fields: Object.freeze(fields), ...(descriptor.upgrades === undefined ? {} : { upgrades: Object.freeze({ ...upgrades }) }) });
}

/** One field of describeState: the spec as data, plus a one-line summary such as `list<u8>, at most 16`. */
export interface FieldDescription {
  readonly name: string;
  readonly type: FieldType;
  readonly element?: IntegerType | 'f64';
  readonly maxLength?: number;
  readonly mask?: number;
  readonly doc?: string;
  readonly summary: string;
}

export interface StateDescription {
  readonly name: string;
  readonly version: number;
  readonly fields: FieldDescription[];
}

/** Introspection: the descriptor's fields and their types as plain data (for the CLI, QMP and the UI). */
export function describeState(descriptor: StateDescriptor): StateDescription {
  return {
    name: descriptor.name,
    version: descriptor.version,
    fields: descriptor.fields.map((spec) => {
      let summary: string = spec.type === 'list' ? `list<${spec.element}>, at most ${spec.maxLength}` : spec.type;
      if (spec.mask !== undefined) summary += `, mask 0x${spec.mask.toString(16)}`;
      const description: { -readonly [K in keyof FieldDescription]: FieldDescription[K] } = { name: spec.name, type: spec.type, summary };
      if (spec.type === 'list') {
        description.element = spec.element;
        description.maxLength = spec.maxLength;
      }
      if (spec.mask !== undefined) description.mask = spec.mask;
      if (spec.doc !== undefined) description.doc = spec.doc;
      return description;
    }),
  };
}

/** The object's state as plain data. Throws StateError if a property does not hold what its field declares. */
export function saveState(object: Stateful): SavedState {
  const descriptor = object.stateDescriptor;
  const fields: Record<string, SavedValue> = {};
  for (const spec of descriptor.fields) {
    const current = property(object, spec);
    let value: SavedValue;
    if (spec.type === 'list' || isArrayType(spec.type)) value = Array.from(current as ArrayLike<number>);
    else value = current as number | boolean;
    checkValue(object, spec, value, current);
    fields[spec.name] = value;
  }
  return { name: descriptor.name, version: descriptor.version, fields };
}

/**
 * Loads saved state into `object`: checks the name, the version and every field (presence, type,
 * range, mask, fixed and maximum lengths; unknown fields are refused), runs the object's
 * validateState, and only then writes the fields (typed arrays and lists in place) and calls
 * postLoad. A StateError leaves the object unchanged.
 */
export function loadState(object: Stateful, state: SavedState): void {
  const descriptor = object.stateDescriptor;
  const where = describeObject(object);
  const fail = (message: string, field?: string): never => {
    throw new StateError(`${where}: ${message}`, descriptor.name, field);
  };
  if (typeof state !== 'object' || state === null || Array.isArray(state)) fail('saved state must be an object with name, version and fields');
  if (state.name !== descriptor.name) fail(`cannot load ${typeof state.name === 'string' ? JSON.stringify(state.name) : 'unnamed'} state into a ${descriptor.name} device`);
  const saved: unknown = state.fields;
  if (state.version !== descriptor.version && !upgradable(descriptor, state.version)) {
    fail(`${descriptor.name} state version ${String(state.version)} cannot be loaded: this build expects ${descriptor.name} state version ${descriptor.version}`);
  }
  if (typeof saved !== 'object' || saved === null || Array.isArray(saved)) fail('saved state has no fields object');
  let savedFields = saved as Record<string, unknown>;
  for (let version = state.version; version < descriptor.version; version++) {
    savedFields = descriptor.upgrades![version](savedFields as Record<string, SavedValue>);
  }
  const known = new Set(descriptor.fields.map((spec) => spec.name));
  for (const key of Object.keys(savedFields)) {
    if (!known.has(key)) fail(`unknown field ${JSON.stringify(key)} in saved ${descriptor.name} state (version ${descriptor.version})`, key);
  }
  const checked: Record<string, SavedValue> = {};
  const targets: unknown[] = [];
  for (const spec of descriptor.fields) {
    if (!Object.hasOwn(savedFields, spec.name)) fail(`field ${spec.name} is missing from the saved state`, spec.name);
    const current = property(object, spec);
    const value = savedFields[spec.name];
    checkValue(object, spec, value, current);
    checked[spec.name] = value as SavedValue;
    targets.push(current);
  }
  object.validateState?.(checked);
  const target = object as unknown as Record<string, unknown>;
  descriptor.fields.forEach((spec, i) => {
    const value = checked[spec.name];
    const current = targets[i];
    if (spec.type === 'list') {
      const list = current as number[];
      list.length = 0;
      for (const element of value as number[]) list.push(element);
    } else if (isArrayType(spec.type)) {
      (current as TypedArray).set(value as number[]);
    } else {
      target[spec.name] = value;
    }
  });
  object.postLoad?.();
}

function describeObject(object: Stateful): string {
  const path = object.path;
  return typeof path === 'string' && path !== '' ? `${path} (${object.stateDescriptor.name})` : object.stateDescriptor.name;
}

/** The instance property behind `spec`, checked to be of the kind the field declares. */
/** Does a chain of upgrades lead from `version` to the descriptor's? */
function upgradable(descriptor: StateDescriptor, version: unknown): version is number {
  if (typeof version !== 'number' || !Number.isSafeInteger(version) || version < 1 || version > descriptor.version) return false;
  for (let v = version; v < descriptor.version; v++) if (descriptor.upgrades?.[v] === undefined) return false;
  return true;
}

function property(object: Stateful, spec: FieldSpec): unknown {
  const value = (object as unknown as Record<string, unknown>)[spec.name];
  const problem = (expected: string) =>
    new StateError(`${describeObject(object)}: field ${spec.name} is declared ${spec.type} but the object's property holds ${kindOf(value)}, not ${expected}`, object.stateDescriptor.name, spec.name);
  if (spec.type === 'list') {
    if (!Array.isArray(value)) throw problem('an array');
  } else if (isArrayType(spec.type)) {
    if (!ARRAYS[spec.type].is(value)) throw problem(`a ${ARRAYS[spec.type].className}`);
  } else if (spec.type === 'bool') {
    if (typeof value !== 'boolean') throw problem('a boolean');
  } else if (typeof value !== 'number') {
    throw problem('a number');
  }
  return value;
}

function kindOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (ArrayBuffer.isView(value)) return `a ${value.constructor.name}`;
  return `a value of type ${typeof value}`;
}

/** Checks `value` against `spec`; `current` is the object's property (its typed array fixes the length). */
function checkValue(object: Stateful, spec: FieldSpec, value: unknown, current: unknown): void {
  const fail = (message: string): never => {
    throw new StateError(`${describeObject(object)}: field ${spec.name} ${message}`, object.stateDescriptor.name, spec.name);
  };
  if (spec.type === 'bool') {
    if (typeof value !== 'boolean') fail(`must be a boolean (got ${describeValue(value)})`);
    return;
  }
  if (spec.type === 'list' || isArrayType(spec.type)) {
    if (!Array.isArray(value)) fail(`must be an array (got ${describeValue(value)})`);
    const values = value as unknown[];
    if (spec.type === 'list') {
      if (values.length > spec.maxLength) fail(`holds ${values.length} entries, more than its maximum of ${spec.maxLength}`);
    } else {
      const length = (current as TypedArray).length;
      if (values.length !== length) fail(`must have exactly ${length} elements (got ${values.length})`);
    }
    const element = spec.type === 'list' ? spec.element : ARRAYS[spec.type].element;
    for (let i = 0; i < values.length; i++) {
      const problem = numberProblem(element, spec.mask, values[i]);
      if (problem !== undefined) fail(`[${i}] ${problem}`);
    }
    return;
  }
  const problem = numberProblem(spec.type, spec.mask, value);
  if (problem !== undefined) fail(problem);
}

function numberProblem(type: IntegerType | 'f64', mask: number | undefined, value: unknown): string | undefined {
  if (typeof value !== 'number') return `must be a number (got ${describeValue(value)})`;
  if (type === 'f64') return Number.isFinite(value) ? undefined : `must be a finite number (got ${value})`;
  const [min, max] = INTEGER_RANGES[type];
  if (!Number.isInteger(value) || value < min || value > max) return `must be a ${type}, an integer in ${min}..${max} (got ${value})`;
  if (mask !== undefined && ((value & ~mask) >>> 0) !== 0) return `has bits outside its mask 0x${mask.toString(16)} (got 0x${value.toString(16)})`;
  return undefined;
}

function describeValue(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (Array.isArray(value)) return 'an array';
  if (value === null) return 'null';
  if (typeof value === 'object') return 'an object';
  return `${typeof value} ${JSON.stringify(value)}`;
}
