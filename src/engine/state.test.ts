import { beforeAll, describe, expect, it } from 'vitest';
import { isA, listTypes } from '../graph/index.ts';
import { engineModules } from './registry.ts';
import { defineState, describeState, loadState, saveState, StateError, type SavedState, type SavedValue, type Stateful } from './state.ts';
import { privateRam } from './devices/device.ts';

const WIDGET_STATE = defineState({
  name: 'widget',
  version: 3,
  fields: [
    { name: 'count', type: 'u32', doc: 'a counter' },
    { name: 'delta', type: 'i32' },
    { name: 'mode', type: 'u8', mask: 0x0f },
    { name: 'half', type: 'u16' },
    { name: 'enabled', type: 'bool' },
    { name: 'deadline', type: 'f64', doc: 'virtual time (ns)' },
    { name: 'bytes', type: 'u8[]' },
    { name: 'words', type: 'u32[]' },
    { name: 'signed', type: 'i32[]' },
    { name: 'times', type: 'f64[]' },
    { name: 'fifo', type: 'list', element: 'u8', maxLength: 4 },
  ],
});

/** A Stateful object with one field of every type; postLoad records that it ran and derives `sum`. */
class Widget implements Stateful {
  readonly stateDescriptor = WIDGET_STATE;
  readonly path = '/machine/widget0';
  count = 0;
  delta = 0;
  mode = 0;
  half = 0;
  enabled = false;
  deadline = 0;
  readonly bytes = new Uint8Array(3);
  readonly words = new Uint32Array(2);
  readonly signed = new Int32Array(2);
  readonly times = new Float64Array(1);
  readonly fifo: number[] = [];
  /** Derived (not state): recomputed by postLoad. */
  sum = 0;
  postLoads = 0;
  /** Not state at all: configuration. */
  readonly label: string;

  constructor(label = 'w') {
    this.label = label;
  }

  postLoad(): void {
    this.postLoads++;
    this.sum = this.fifo.reduce((a, b) => a + b, 0) + this.count;
  }
}

function busyWidget(): Widget {
  const widget = new Widget('original');
  widget.count = 0xfffffff0;
  widget.delta = -5;
  widget.mode = 0x0a;
  widget.half = 0xbeef;
  widget.enabled = true;
  widget.deadline = 1_234_567.5;
  widget.bytes.set([1, 2, 255]);
  widget.words.set([0xdeadbeef, 7]);
  widget.signed.set([-0x80000000, 0x7fffffff]);
  widget.times[0] = 2.5e12;
  widget.fifo.push(9, 8, 7);
  return widget;
}

const roundTrip = (state: SavedState): SavedState => JSON.parse(JSON.stringify(state)) as SavedState;

function withField(state: SavedState, name: string, value: unknown): SavedState {
  const copy = roundTrip(state);
  (copy.fields as Record<string, unknown>)[name] = value;
  return copy;
}

describe('state descriptors', () => {
  it('saves plain data that survives JSON, and loads it into a fresh object', () => {
    const original = busyWidget();
    const saved = saveState(original);
    expect(saved).toEqual({
      name: 'widget',
      version: 3,
      fields: {
        count: 0xfffffff0,
        delta: -5,
        mode: 0x0a,
        half: 0xbeef,
        enabled: true,
        deadline: 1_234_567.5,
        bytes: [1, 2, 255],
        words: [0xdeadbeef, 7],
        signed: [-0x80000000, 0x7fffffff],
        times: [2.5e12],
        fifo: [9, 8, 7],
      },
    });
    expect(Array.isArray(saved.fields.bytes)).toBe(true); // plain arrays, not typed arrays

    const copy = new Widget('copy');
    const { bytes, words, fifo } = copy;
    loadState(copy, roundTrip(saved));
    expect(saveState(copy)).toEqual(saved);
    // Typed arrays and lists are written in place; configuration stays.
    expect(copy.bytes).toBe(bytes);
    expect(copy.words).toBe(words);
    expect(copy.fifo).toBe(fifo);
    expect(copy.label).toBe('copy');
  });

  it('copies: the saved state does not alias the object, nor the object the saved state', () => {
    const original = busyWidget();
    const saved = saveState(original);
    original.bytes[0] = 99;
    original.fifo.push(1);
    expect(saved.fields.bytes).toEqual([1, 2, 255]);
    expect(saved.fields.fifo).toEqual([9, 8, 7]);
    const copy = new Widget();
    loadState(copy, saved);
    (saved.fields.fifo as number[]).push(5);
    expect(copy.fifo).toEqual([9, 8, 7]);
  });

  it('calls postLoad once, after every field is written', () => {
    const copy = new Widget();
    loadState(copy, saveState(busyWidget()));
    expect(copy.postLoads).toBe(1);
    expect(copy.sum).toBe(9 + 8 + 7 + 0xfffffff0);
  });

  it('loads into an object that has state already, replacing all of it (lists shrink)', () => {
    const copy = busyWidget();
    copy.fifo.push(1);
    const empty = saveState(new Widget());
    loadState(copy, empty);
    expect(saveState(copy)).toEqual(empty);
    expect(copy.fifo).toEqual([]);
  });

  it('refuses a different version, naming the device type, the saved and the expected version', () => {
    const saved = roundTrip(saveState(busyWidget()));
    saved.version = 2;
    const copy = new Widget();
    let error: unknown;
    try {
      loadState(copy, saved);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(StateError);
    expect((error as StateError).stateName).toBe('widget');
    expect((error as StateError).message).toBe('/machine/widget0 (widget): widget state version 2 cannot be loaded: this build expects widget state version 3');
    expect(copy.postLoads).toBe(0);
  });

  it('loads an older version through its chain of upgrades, and refuses versions no chain leads from', () => {
    const V3 = defineState({
      name: 'counter',
      version: 3,
      upgrades: {
        1: (fields) => ({ ...fields, step: 1 }), // version 2 added step
        2: (fields) => ({ total: fields.count as number, step: fields.step as number }), // version 3 renamed count
      },
      fields: [
        { name: 'total', type: 'u32' },
        { name: 'step', type: 'u8' },
      ],
    });
    const counter = { stateDescriptor: V3, total: 0, step: 0 };
    loadState(counter, { name: 'counter', version: 1, fields: { count: 41 } });
    expect([counter.total, counter.step]).toEqual([41, 1]);
    loadState(counter, { name: 'counter', version: 2, fields: { count: 7, step: 3 } });
    expect([counter.total, counter.step]).toEqual([7, 3]);
    // the upgraded fields are checked like any saved state
    expect(() => loadState(counter, { name: 'counter', version: 1, fields: { count: -1 } })).toThrow(/total/);
    expect(() => loadState(counter, { name: 'counter', version: 4, fields: {} })).toThrow(/version 4 cannot be loaded: this build expects counter state version 3/);
    expect(() => loadState(counter, { name: 'counter', version: 0, fields: {} })).toThrow(/version 0 cannot be loaded/);
    const gap = defineState({ name: 'gap', version: 3, upgrades: { 2: (fields) => fields }, fields: [] });
    expect(() => loadState({ stateDescriptor: gap }, { name: 'gap', version: 1, fields: {} })).toThrow(/version 1 cannot be loaded/);
    expect(() => defineState({ name: 'x', version: 2, upgrades: { 2: (fields) => fields }, fields: [] })).toThrow(/upgrades: 2 is not an older version/);
  });

  it('refuses state of another device type', () => {
    const saved = roundTrip(saveState(busyWidget()));
    saved.name = 'gadget';
    expect(() => loadState(new Widget(), saved)).toThrow(/cannot load "gadget" state into a widget device/);
  });

  it('refuses malformed saved state', () => {
    expect(() => loadState(new Widget(), null as unknown as SavedState)).toThrow(StateError);
    expect(() => loadState(new Widget(), [] as unknown as SavedState)).toThrow(StateError);
    expect(() => loadState(new Widget(), { name: 'widget', version: 3 } as unknown as SavedState)).toThrow(/no fields object/);
    expect(() => loadState(new Widget(), { name: 'widget', version: 3, fields: [] } as unknown as SavedState)).toThrow(/no fields object/);
  });

  const saved = saveState(busyWidget());
  const cases: [string, unknown, RegExp][] = [
    ['count', -1, /field count must be a u32, an integer in 0\.\.4294967295 \(got -1\)/],
    ['count', 0x100000000, /field count must be a u32/],
    ['count', 1.5, /field count must be a u32/],
    ['count', '5', /field count must be a number \(got string "5"\)/],
    ['count', true, /field count must be a number/],
    ['count', null, /field count must be a number \(got null\)/],
    ['count', [1], /field count must be a number \(got an array\)/],
    ['delta', 0x80000000, /field delta must be a i32/],
    ['mode', 0x10, /field mode has bits outside its mask 0xf \(got 0x10\)/],
    ['mode', 256, /field mode must be a u8/],
    ['half', 0x10000, /field half must be a u16/],
    ['enabled', 1, /field enabled must be a boolean \(got number 1\)/],
    ['deadline', null, /field deadline must be a number/], // what JSON makes of Infinity and NaN
    ['bytes', [1, 2], /field bytes must have exactly 3 elements \(got 2\)/],
    ['bytes', [1, 2, 3, 4], /field bytes must have exactly 3 elements \(got 4\)/],
    ['bytes', [1, 2, 256], /field bytes \[2\] must be a u8/],
    ['bytes', 5, /field bytes must be an array \(got number 5\)/],
    ['words', [0, -1], /field words \[1\] must be a u32/],
    ['signed', [0, 0x80000000], /field signed \[1\] must be a i32/],
    ['times', [null], /field times \[0\] must be a number/],
    ['fifo', [1, 2, 3, 4, 5], /field fifo holds 5 entries, more than its maximum of 4/],
    ['fifo', [0x100], /field fifo \[0\] must be a u8/],
    ['fifo', undefined, /field fifo is missing from the saved state/],
  ];
  it.each(cases)('refuses field %s = %j, naming the field, and leaves the object unchanged', (field, value, message) => {
    const copy = new Widget();
    const before = saveState(copy);
    const state = withField(saved, field, value);
    if (value === undefined) delete (state.fields as Record<string, unknown>)[field];
    let error: unknown;
    try {
      loadState(copy, state);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(StateError);
    expect((error as StateError).message).toMatch(message);
    expect((error as StateError).field).toBe(field);
    expect(saveState(copy)).toEqual(before);
    expect(copy.postLoads).toBe(0);
  });

  it('refuses unknown extra fields (a state from another build), naming them', () => {
    const state = withField(saved, 'extra', 1);
    expect(() => loadState(new Widget(), state)).toThrow(/unknown field "extra" in saved widget state \(version 3\)/);
    const proto = JSON.parse(JSON.stringify(saved).replace('"count"', '"__proto__":{"count":1},"count"')) as SavedState;
    expect(() => loadState(new Widget(), proto)).toThrow(/unknown field "__proto__"/);
  });

  it('runs validateState after the generic checks and before writing anything', () => {
    class Picky extends Widget {
      seen: Record<string, SavedValue> | undefined;
      validateState(fields: Readonly<Record<string, SavedValue>>): void {
        this.seen = { ...fields };
        if ((fields.count as number) > 100) throw new StateError('count too large for this configuration', 'widget', 'count');
      }
    }
    const picky = new Picky();
    expect(() => loadState(picky, saved)).toThrow(/count too large/);
    expect(picky.count).toBe(0);
    expect(picky.seen?.fifo).toEqual([9, 8, 7]);
    expect(picky.postLoads).toBe(0);
    const small = withField(saved, 'count', 42);
    loadState(picky, small);
    expect(picky.count).toBe(42);
    expect(picky.postLoads).toBe(1);
  });

  it('refuses to save a property that does not hold what the descriptor declares', () => {
    const widget = new Widget();
    widget.mode = 0x1f; // beyond the mask: a device bug, caught on save rather than on restore
    expect(() => saveState(widget)).toThrow(/field mode has bits outside its mask/);
    const broken = new Widget();
    (broken as unknown as { words: unknown }).words = new Uint8Array(2);
    expect(() => saveState(broken)).toThrow(/field words is declared u32\[\] but the object's property holds a Uint8Array, not a Uint32Array/);
    expect(() => loadState(broken, saved)).toThrow(StateError);
    const nan = new Widget();
    nan.deadline = NaN;
    expect(() => saveState(nan)).toThrow(/field deadline must be a finite number/);
  });

  it('checks descriptors when they are defined', () => {
    expect(() => defineState({ name: '', version: 1, fields: [] })).toThrow(/non-empty string/);
    expect(() => defineState({ name: 'x', version: 0, fields: [] })).toThrow(/version must be a positive integer/);
    expect(() => defineState({ name: 'x', version: 1.5, fields: [] })).toThrow(/version must be a positive integer/);
    expect(() =>
      defineState({
        name: 'x',
        version: 1,
        fields: [
          { name: 'a', type: 'u8' },
          { name: 'a', type: 'u32' },
        ],
      }),
    ).toThrow(/field a is declared twice/);
    expect(() => defineState({ name: 'x', version: 1, fields: [{ name: 'a', type: 'list', element: 'u8', maxLength: -1 }] })).toThrow(/maxLength/);
    expect(() => defineState({ name: 'x', version: 1, fields: [{ name: 'a', type: 'i32', mask: 1 }] })).toThrow(/mask needs an unsigned/);
    expect(() => defineState({ name: 'x', version: 1, fields: [{ name: 'a', type: 'u8', mask: 0x100 }] })).toThrow(/mask out of range/);
    expect(() => defineState({ name: 'x', version: 1, fields: [{ name: 'a', type: 'u64' } as never] })).toThrow(/unknown type u64/);
    expect(Object.isFrozen(WIDGET_STATE)).toBe(true);
    expect(Object.isFrozen(WIDGET_STATE.fields[0])).toBe(true);
  });

  it('describes a descriptor as data, for introspection', () => {
    const description = describeState(WIDGET_STATE);
    expect(description.name).toBe('widget');
    expect(description.version).toBe(3);
    expect(description.fields.map((field) => [field.name, field.summary])).toEqual([
      ['count', 'u32'],
      ['delta', 'i32'],
      ['mode', 'u8, mask 0xf'],
      ['half', 'u16'],
      ['enabled', 'bool'],
      ['deadline', 'f64'],
      ['bytes', 'u8[]'],
      ['words', 'u32[]'],
      ['signed', 'i32[]'],
      ['times', 'f64[]'],
      ['fifo', 'list<u8>, at most 4'],
    ]);
    expect(description.fields[0]).toEqual({ name: 'count', type: 'u32', summary: 'u32', doc: 'a counter' });
    expect(description.fields[10]).toEqual({ name: 'fifo', type: 'list', element: 'u8', maxLength: 4, summary: 'list<u8>, at most 4' });
    expect(JSON.parse(JSON.stringify(description))).toEqual(description);
  });
});

describe('every device model is Stateful', () => {
  const props: Record<string, Record<string, number | string | boolean>> = { ram: { size: 64 }, rom: { size: 64 }, flash: { size: 64 } };
  const context = (type: string) => ({ path: `/machine/${type}0`, props: props[type] ?? {}, allocateRam: privateRam });
  const expectedName: Record<string, string> = { flash: 'rom' };
  // Every instantiable device type of the catalog, built through the registry as the machine does.
  const deviceTypes = listTypes({ abstract: false }).filter((t) => !isA(t.name, 'cpu')).map((t) => t.name);
  const factory = (type: string) => {
    const make = engineModules.deviceFactory(type);
    if (make === undefined) throw new Error(engineModules.missingReason(type));
    return make;
  };
  beforeAll(async () => {
    await engineModules.loadCatalogModules();
  });

  it.each(deviceTypes)('%s has a version 1 state descriptor and round-trips through JSON', (type) => {
    const device = factory(type)(context(type)) as unknown as Partial<Stateful>;
    expect(device.stateDescriptor).toBeDefined();
    const stateful = device as Stateful;
    expect(stateful.stateDescriptor.name).toBe(expectedName[type] ?? type);
    expect(stateful.stateDescriptor.version).toBe(1);
    expect(Object.isFrozen(stateful.stateDescriptor)).toBe(true);
    const saved = roundTrip(saveState(stateful));
    const fresh = factory(type)(context(type)) as unknown as Stateful;
    loadState(fresh, saved);
    expect(saveState(fresh)).toEqual(saved);
    expect(describeState(stateful.stateDescriptor).fields.map((field) => field.name)).toEqual(Object.keys(saved.fields));
  });

  it('keeps RAM state out of ROM and the other way round', () => {
    const ram = factory('ram')(context('ram')) as unknown as Stateful;
    const rom = factory('rom')(context('rom')) as unknown as Stateful;
    expect(() => loadState(rom, saveState(ram))).toThrow(/cannot load "ram" state into a rom device/);
  });
});
