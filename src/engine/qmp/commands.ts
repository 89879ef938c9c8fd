// The QMP commands BoardLab implements: QEMU's, with QEMU's arguments, replies and errors, and
// BoardLab's own with QEMU's "x-" prefix for unstable commands (docs/qmp.md lists them all).
import packageJson from '../../../package.json';
import { DEFAULT_PLATFORM, FEATURES, PLAIN_NAME, effectiveType, isA, listMachineTypes, listPlatforms, platformId, type MachineTypeSpec, type PropertySpec, type PropertyValueDocument } from '../../graph/index.ts';
import { ControllerError } from '../controller-error.ts';
import type { Machine, MachineSnapshot } from '../machine.ts';
import type { RunController, QmpRunState } from '../run-control.ts';
import { baselineCpuModels, compareCpuModels, expandCpuModel } from './cpu-model.ts';
import { InsertionOrdered, encodeQmpJson, isJsonObject, qdictOrder, type JsonObject, type JsonValue } from './json.ts';
import { QmpError, genericError, visitMembers, type QapiMember, type QapiType } from './qapi.ts';
import { QomTree, listDeviceProperties, listQomTypes, listTypeProperties, machineName, qomTypes, type QomNode } from './qom.ts';

/** What the commands work on. */
export interface QmpServices {
  controller: RunController;
  /** Features the host provides (for query-platforms); default: those of the platform in use. */
  hostFeatures?: readonly string[];
  /** thread-id of every CPU in query-cpus-fast (the process id in Node; 0 when unknown). */
  threadId?: number;
}

export interface QmpCommand {
  name: string;
  doc: string;
  /** Argument members, or 'open' for commands that check their own (device_add). */
  args: readonly QapiMember[] | 'open';
  /** May run in the preconfig phase. */
  preconfig: boolean;
  run(args: Record<string, unknown>, services: QmpServices, raw: JsonObject): unknown;
}

/** The run state query-status reports: QEMU (since 6.0) says prelaunch in its preconfig phase. */
export function qmpRunState(state: QmpRunState): string {
  return state === 'preconfig' ? 'prelaunch' : state;
}

/** BoardLab's version as QMP's VersionInfo. */
export function versionInfo(): { qemu: { major: number; minor: number; micro: number }; package: string } {
  const [major, minor, micro] = String(packageJson.version).split('.').map((n) => Number.parseInt(n, 10) || 0);
  return { qemu: { major, minor, micro }, package: `BoardLab ${packageJson.version}` };
}

const str: QapiType = 'str';
const intOrString: QapiType = { alternate: 'BoardLabInteger', of: ['int', 'str'] };
const cpuModelInfo: QapiType = { struct: 'CpuModelInfo', members: [{ name: 'name', type: 'str' }, { name: 'props', type: 'any', optional: true }] };

function tree(services: QmpServices): QomTree {
  const { controller } = services;
  return new QomTree(controller.view(), controller.machine !== undefined);
}

function wrap<T>(action: () => T): T {
  try {
    return action();
  } catch (error) {
    if (error instanceof ControllerError) throw new QmpError(error.kind, error.message);
    throw error;
  }
}

/** The device id QEMU would name in "after it was realized" errors. */
function deviceId(node: QomNode): string {
  return node.kind === 'object' ? node.path.replace(/^\/machine\//, '') : node.kind === 'machine' ? 'machine' : '/';
}

const isInteger = (value: JsonValue): value is number | bigint => typeof value === 'bigint' || (typeof value === 'number' && Number.isInteger(value));

/**
 * A value for a catalog property, checked as QEMU's visitors check it (type errors name the
 * property); ranges and link types are checked when the document is resolved.
 */
function propertyValue(spec: PropertySpec, name: string, value: JsonValue, qom: QomTree): PropertyValueDocument {
  switch (spec.kind) {
    case 'bool':
      if (typeof value !== 'boolean') throw genericError(`Invalid parameter type for '${name}', expected: boolean`);
      return value;
    case 'string':
      if (typeof value !== 'string') throw genericError(`Invalid parameter type for '${name}', expected: string`);
      return value;
    case 'enum':
      if (typeof value !== 'string') throw genericError(`Invalid parameter type for '${name}', expected: string`);
      if (!spec.values?.includes(value)) throw genericError(`Parameter '${name}' does not accept value '${value}'`);
      return value;
    case 'link': {
      if (value === null || value === '') return null;
      if (typeof value !== 'string') throw genericError(`Invalid parameter type for '${name}', expected: string`);
      const target = qom.resolve(value);
      if (target.kind !== 'object') throw genericError(`Invalid parameter type for '${name}', expected: ${spec.linkTo ?? 'object'}`);
      return target.path.replace(/^\/machine\//, '');
    }
    case 'int':
      if (!isInteger(value)) throw genericError(`Invalid parameter type for '${name}', expected: integer`);
      return Number(value);
    default:
      if (!isInteger(value)) throw genericError(`Parameter '${name}' expects uint64`);
      return Number(value);
  }
}

/** A value for a composite's parameter (an integer) or exposed property (integer, string or boolean). */
function compositeValue(type: string, name: string, value: JsonValue): PropertyValueDocument {
  if (type === 'int' && !isInteger(value)) throw genericError(`Invalid parameter type for '${name}', expected: integer`);
  if (typeof value === 'boolean' || typeof value === 'string') return value;
  if (isInteger(value)) return Number(value);
  throw genericError(`Invalid parameter type for '${name}', expected: ${type === 'bool' ? 'boolean' : type === 'str' ? 'string' : 'integer'}`);
}

function qomSet(services: QmpServices, path: string, property: string, value: JsonValue): void {
  const qom = tree(services);
  const node = qom.resolve(path);
  const prop = qom.property(node, property);
  if (prop === undefined) throw qom.notFound(node, property);
  if (prop.kind === 'readonly') throw genericError(`Property '${node.qomType}.${property}' is not writable`);
  if (services.controller.status !== 'preconfig') {
    throw genericError(`Attempt to set property '${property}' on device '${deviceId(node)}' (type '${node.qomType}') after it was realized`);
  }
  if (prop.kind === 'param') {
    if (!isInteger(value)) throw genericError(`Invalid parameter type for '${property}', expected: integer`);
    return wrap(() => services.controller.preconfigBoard.setParam(property, Number(value)));
  }
  const checked = prop.kind === 'catalog' ? propertyValue(prop.spec, property, value, qom) : compositeValue(prop.type, property, value);
  wrap(() => services.controller.preconfigBoard.setProperty(node.path, property, checked));
}

/** device_add: QEMU's order of checks — driver, bus, id, then each property. */
function deviceAdd(services: QmpServices, raw: JsonObject): Record<string, never> {
  const { controller } = services;
  if (!Object.prototype.hasOwnProperty.call(raw, 'driver')) throw genericError("Parameter 'driver' is missing");
  const driverValue = raw.driver;
  const driver = typeof driverValue === 'string' ? driverValue : encodeQmpJson(driverValue);
  const view = controller.view();
  const type = qomTypes(view).find((t) => t.name === driver);
  if (type === undefined) throw genericError(`'${driver}' is not a valid device model name`);
  if (!type.device || type.abstract) throw genericError("Parameter 'driver' expects a non-abstract device type");
  if (raw.bus !== undefined) throw new QmpError('DeviceNotFound', `Bus '${typeof raw.bus === 'string' ? raw.bus : encodeQmpJson(raw.bus)}' not found`);
  if (controller.status !== 'preconfig') throw genericError(`Device '${driver}' does not support hotplugging`);
  let name: string;
  if (raw.id !== undefined) {
    if (typeof raw.id !== 'string') throw genericError("Invalid parameter type for 'id', expected: string");
    if (!/^[A-Za-z][A-Za-z0-9._-]*$/.test(raw.id)) throw genericError("Parameter 'id' expects an identifier");
    if (!PLAIN_NAME.test(raw.id)) throw genericError("Parameter 'id' expects a BoardLab object name (lower-case letters, digits, '-' and '_', starting with a letter)");
    name = raw.id;
  } else {
    const taken = new Set(view.objects.map((o) => o.name));
    let n = 0;
    while (taken.has(`${driver}${n}`)) n++;
    name = `${driver}${n}`;
  }
  if (view.objects.some((o) => o.path === `/machine/${name}`)) throw genericError(`Duplicate device ID '${name}'`);
  const qom = tree(services);
  const catalogType = effectiveType(driver); // undefined for a composite type of the board
  const props: Record<string, PropertyValueDocument> = {};
  for (const [key, value] of qdictOrder(raw) as Array<[string, JsonValue]>) {
    if (key === 'driver' || key === 'id') continue;
    if (catalogType !== undefined) {
      const spec = catalogType.props.find((p) => p.name === key);
      if (spec === undefined) throw genericError(`Property '${driver}.${key}' not found`);
      props[key] = propertyValue(spec, key, value, qom);
    } else {
      const info = listDeviceProperties(view, driver).find((p) => p.name === key);
      if (info === undefined) throw genericError(`Property '${driver}.${key}' not found`);
      props[key] = compositeValue(info.type, key, value);
    }
  }
  wrap(() => controller.preconfigBoard.addObject(driver, name, props));
  return {};
}

function deviceDel(services: QmpServices, id: string): Record<string, never> {
  const { controller } = services;
  if (controller.status === 'preconfig') {
    wrap(() => controller.preconfigBoard.removeObject(id));
    return {};
  }
  const qom = tree(services);
  let node: QomNode;
  try {
    node = qom.resolve(id.startsWith('/') ? id : `/machine/${id}`);
  } catch {
    throw new QmpError('DeviceNotFound', `Device '${id}' not found`);
  }
  if (node.kind !== 'object') throw genericError(`${id} is not a hotpluggable device`);
  throw genericError(`Device '${id}' does not support hotplugging`);
}

function machineInfo(spec: MachineTypeSpec, withCompat: boolean): Record<string, unknown> {
  const versions = listMachineTypes().filter((m) => m.name === spec.name);
  const latest = versions.every((m) => m === spec || m.version.localeCompare(spec.version, undefined, { numeric: true }) < 0);
  const objects = Object.values(spec.document.objects).filter((o) => o !== null);
  const cpuType = objects.find((o) => o.type !== undefined && isA(o.type, 'cpu'))?.type;
  const ramId = Object.entries(spec.document.objects).find(([, o]) => o?.type === 'ram')?.[0];
  const cpus = objects.filter((o) => o.type !== undefined && isA(o.type, 'cpu')).length;
  const info: Record<string, unknown> = { name: machineName(spec) };
  if (latest) info.alias = spec.name;
  if (latest && spec.name === 'riscv-virt') info['is-default'] = true;
  info['cpu-max'] = spec.params.harts?.max ?? cpus;
  info['hotpluggable-cpus'] = false;
  info['numa-mem-supported'] = false;
  info.deprecated = false;
  if (cpuType !== undefined) info['default-cpu-type'] = cpuType;
  if (ramId !== undefined) info['default-ram-id'] = ramId;
  if (withCompat) info['compat-props'] = compatProperties(spec.compat);
  return info;
}

/** type → property → value layers as QMP's CompatProperty list. */
function compatProperties(layer: MachineTypeSpec['compat']): Array<{ 'qom-type': string; property: string; value: string }> {
  return Object.entries(layer).flatMap(([type, props]) => Object.entries(props).map(([property, value]) => ({ 'qom-type': type, property, value: typeof value === 'boolean' ? (value ? 'on' : 'off') : String(value) })));
}

function queryPlatforms(services: QmpServices): unknown[] {
  const current = services.controller.board?.platform ?? DEFAULT_PLATFORM;
  const host = services.hostFeatures ?? listPlatforms().find((p) => platformId(p) === current)?.features ?? [];
  return listPlatforms().map((platform) => {
    const missing = platform.features.filter((f) => !host.includes(f));
    return {
      name: platformId(platform),
      doc: platform.doc,
      features: platform.features.map((name) => ({ name, doc: FEATURES[name] ?? '' })),
      defaults: compatProperties(platform.defaults),
      runnable: missing.length === 0,
      'unavailable-features': missing,
      current: platformId(platform) === current,
    };
  });
}

const mapMembers: QapiMember[] = [
  { name: 'map', type: str, optional: true, doc: 'Region to map: "<object>.<region>".' },
  { name: 'alias', type: str, optional: true, doc: 'Or: map a window onto part of this region.' },
  { name: 'offset', type: intOrString, optional: true, doc: 'Alias: where in the region the window starts.' },
  { name: 'size', type: intOrString, optional: true, doc: 'Alias: window size.' },
  { name: 'at', type: intOrString, doc: 'Address (in the space or container).' },
  { name: 'into', type: str, optional: true, doc: 'Container region to map into instead of an address space.' },
  { name: 'space', type: str, optional: true, doc: 'Address space (default "system").' },
  { name: 'priority', type: 'int', optional: true, doc: 'Higher wins where regions overlap.' },
];

/** Drop members that were not given, so documents stay as a user would write them. */
function given<T extends object>(args: Record<string, unknown>): T {
  const entry: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(args)) if (value !== undefined) entry[key] = typeof value === 'bigint' ? Number(value) : value;
  return entry as T;
}

/**
 * Snapshots taken over QMP, by tag, per machine: the engine's whole-machine snapshot (every CPU,
 * device and memory, the round of virtual time it was in), kept in this process (QEMU's savevm
 * needs a disk that takes snapshots; these need none).
 */
const savedSnapshots = new WeakMap<Machine, Map<string, MachineSnapshot>>();

function snapshotsOf(services: QmpServices): Map<string, MachineSnapshot> {
  const machine = services.controller.machine!;
  let saved = savedSnapshots.get(machine);
  if (saved === undefined) savedSnapshots.set(machine, (saved = new Map()));
  return saved;
}

export const COMMANDS: readonly QmpCommand[] = [
  { name: 'qmp_capabilities', doc: 'Leave capabilities negotiation.', args: [{ name: 'enable', type: { list: { enum: 'QMPCapability', values: ['oob'] } }, optional: true }], preconfig: true, run: () => {
    throw new QmpError('CommandNotFound', 'Capabilities negotiation is already complete, command ignored');
  } },
  { name: 'query-version', doc: 'BoardLab version.', args: [], preconfig: true, run: () => versionInfo() },
  { name: 'query-status', doc: 'Run state.', args: [], preconfig: true, run: (_a, s) => ({ running: s.controller.status === 'running', singlestep: false, status: qmpRunState(s.controller.status) }) },
  { name: 'query-commands', doc: 'Commands available.', args: [], preconfig: true, run: () => COMMANDS.map((c) => ({ name: c.name })) },
  { name: 'stop', doc: 'Pause the machine.', args: [], preconfig: false, run: (_a, s) => (wrap(() => s.controller.stop()), {}) },
  { name: 'cont', doc: 'Start or resume the machine.', args: [], preconfig: false, run: (_a, s) => (wrap(() => s.controller.cont()), {}) },
  { name: 'system_reset', doc: 'Reset the machine.', args: [], preconfig: false, run: (_a, s) => (wrap(() => s.controller.systemReset()), {}) },
  { name: 'quit', doc: 'Quit BoardLab.', args: [], preconfig: true, run: (_a, s) => (s.controller.quit(), {}) },
  { name: 'qom-list', doc: 'Properties and children of an object.', args: [{ name: 'path', type: str }], preconfig: true, run: (a, s) => {
    const qom = tree(s);
    return qom.list(qom.resolve(a.path as string));
  } },
  { name: 'qom-get', doc: 'A property of an object.', args: [{ name: 'path', type: str }, { name: 'property', type: str }], preconfig: true, run: (a, s) => {
    const qom = tree(s);
    return qom.get(qom.resolve(a.path as string), a.property as string);
  } },
  { name: 'qom-set', doc: 'Set a property (preconfig phase).', args: [{ name: 'path', type: str }, { name: 'property', type: str }, { name: 'value', type: 'any' }], preconfig: true, run: (a, s) => (qomSet(s, a.path as string, a.property as string, a.value as JsonValue), {}) },
  { name: 'qom-list-types', doc: 'Types, by what they implement.', args: [{ name: 'implements', type: str, optional: true }, { name: 'abstract', type: 'bool', optional: true }], preconfig: true, run: (a, s) => listQomTypes(s.controller.view(), a.implements as string | undefined, a.abstract === true) },
  { name: 'qom-list-properties', doc: 'Properties of a type.', args: [{ name: 'typename', type: str }], preconfig: true, run: (a, s) => listTypeProperties(s.controller.view(), a.typename as string) },
  { name: 'device-list-properties', doc: 'Properties device_add takes for a device type.', args: [{ name: 'typename', type: str }], preconfig: true, run: (a, s) => listDeviceProperties(s.controller.view(), a.typename as string) },
  { name: 'query-machines', doc: 'Machine types, with their compat properties when asked.', args: [{ name: 'compat-props', type: 'bool', optional: true }], preconfig: true, run: (a) => listMachineTypes().map((m) => machineInfo(m, a['compat-props'] === true)) },
  { name: 'query-cpus-fast', doc: 'CPUs of the machine.', args: [], preconfig: false, run: (_a, s) => {
    const machine = s.controller.machine!;
    return machine.cpuPaths.map((path, index) => {
      const cpu = machine.cpu(path)!;
      return { 'cpu-index': index, 'qom-path': path, 'thread-id': s.threadId ?? 0, ...(cpu.coreId !== undefined && { props: { 'core-id': cpu.coreId } }), target: cpu.target };
    });
  } },
  { name: 'device_add', doc: 'Add an object (preconfig phase: cold plug).', args: 'open', preconfig: true, run: (_a, s, raw) => deviceAdd(s, raw) },
  { name: 'device_del', doc: 'Remove an object (preconfig phase).', args: [{ name: 'id', type: str }], preconfig: true, run: (a, s) => deviceDel(s, a.id as string) },
  { name: 'x-exit-preconfig', doc: 'Build the machine and leave the preconfig phase.', args: [], preconfig: true, run: async (_a, s) => {
    try {
      await s.controller.exitPreconfig();
    } catch (error) {
      if (error instanceof ControllerError) throw new QmpError(error.kind, error.message);
      throw error;
    }
    return {};
  } },
  { name: 'query-cpu-model-expansion', doc: 'A CPU model, expanded (static or full).', args: [{ name: 'type', type: { enum: 'CpuModelExpansionType', values: ['static', 'full'] } }, { name: 'model', type: cpuModelInfo }], preconfig: true, run: (a) => expandCpuModel(a.type as 'static' | 'full', a.model as { name: string; props?: JsonValue }) },
  { name: 'query-cpu-model-comparison', doc: 'Compare two CPU models.', args: [{ name: 'modela', type: cpuModelInfo }, { name: 'modelb', type: cpuModelInfo }], preconfig: true, run: (a) => compareCpuModels(a.modela as { name: string }, a.modelb as { name: string }) },
  { name: 'query-cpu-model-baseline', doc: 'What two CPU models have in common.', args: [{ name: 'modela', type: cpuModelInfo }, { name: 'modelb', type: cpuModelInfo }], preconfig: true, run: (a) => baselineCpuModels(a.modela as { name: string }, a.modelb as { name: string }) },
  { name: 'query-platforms', doc: 'Platforms, their features, and which this host can run.', args: [], preconfig: true, run: (_a, s) => queryPlatforms(s) },
  { name: 'x-boardlab-map', doc: 'Map a region or an alias (preconfig phase).', args: mapMembers, preconfig: true, run: (a, s) => {
    if ((a.map === undefined) === (a.alias === undefined)) throw genericError("Exactly one of 'map' and 'alias' is required");
    wrap(() => s.controller.preconfigBoard.addMapping(given(a)));
    return {};
  } },
  { name: 'x-boardlab-wire', doc: 'Wire IRQ output(s) to input(s) (preconfig phase).', args: [{ name: 'from', type: str }, { name: 'to', type: str }], preconfig: true, run: (a, s) => (wrap(() => s.controller.preconfigBoard.addIrqWire(given(a))), {}) },
  { name: 'x-boardlab-reset-wire', doc: 'Wire a reset source (preconfig phase).', args: [{ name: 'from', type: str }, { name: 'to', type: str }], preconfig: true, run: (a, s) => (wrap(() => s.controller.preconfigBoard.addResetWire(given(a))), {}) },
  { name: 'x-boardlab-add-image', doc: 'Add a firmware image (preconfig phase).', args: [
    { name: 'file', type: str },
    { name: 'cpu', type: str, optional: true },
    { name: 'format', type: { enum: 'BoardLabImageFormat', values: ['elf', 'binary', 'ihex'] }, optional: true },
    { name: 'at', type: intOrString, optional: true },
    { name: 'space', type: str, optional: true },
  ], preconfig: true, run: (a, s) => (wrap(() => s.controller.preconfigBoard.addImage(given(a))), {}) },
  { name: 'x-boardlab-savevm', doc: 'Snapshot the whole machine (every CPU, device and memory) under a tag.', args: [{ name: 'tag', type: str }], preconfig: false, run: (a, s) => {
    snapshotsOf(s).set(a.tag as string, s.controller.machine!.snapshot());
    return {};
  } },
  { name: 'x-boardlab-loadvm', doc: 'Restore the snapshot saved under a tag; the run state stays as it is.', args: [{ name: 'tag', type: str }], preconfig: false, run: (a, s) => {
    const snapshot = snapshotsOf(s).get(a.tag as string);
    if (snapshot === undefined) throw genericError(`Snapshot '${a.tag as string}' does not exist`);
    try {
      s.controller.machine!.restore(snapshot);
    } catch (error) {
      throw genericError(`Snapshot '${a.tag as string}' does not fit this machine: ${error instanceof Error ? error.message : String(error)}`);
    }
    return {};
  } },
  { name: 'x-boardlab-query-snapshots', doc: 'Snapshots saved with x-boardlab-savevm: tag and virtual time (ns).', args: [], preconfig: false, run: (_a, s) =>
    [...snapshotsOf(s)].map(([tag, snapshot]) => ({ tag, 'vm-clock-nsec': snapshot.time })) },
  { name: 'x-boardlab-query-board', doc: 'The board document and its problems.', args: [], preconfig: true, run: (_a, s) => {
    const preconfig = s.controller.status === 'preconfig';
    return { document: new InsertionOrdered(s.controller.document), problems: preconfig ? s.controller.preconfigBoard.problems() : [], preconfig };
  } },
];

const byName = new Map(COMMANDS.map((c) => [c.name, c]));

export function findCommand(name: string): QmpCommand | undefined {
  return byName.get(name);
}

/** Check a command's arguments (nothing runs when they are wrong). */
export function checkArguments(command: QmpCommand, args: JsonObject): Record<string, unknown> {
  if (command.args === 'open') return {};
  if (!isJsonObject(args)) throw genericError("QMP input member 'arguments' must be an object");
  return visitMembers(command.args, args);
}
