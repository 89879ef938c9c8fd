// QEMU command lines ⇄ board documents. `-M virt -m 256M -smp 2 -device ... -global ... -kernel fw.elf`
// becomes a board that extends riscv-virt; a board that extends riscv-virt with changes QEMU's
// options can say is printed back as such a command line.
//
// BoardLab extensions to -device (QEMU's sysbus devices on virt are not user-creatable, so there is
// no QEMU spelling for where they go): `addr=` maps the device's first region, `irq=` wires its
// first IRQ output to an input ("plic.in[11]").
import { effectiveType, isA, type EffectiveType } from './catalog.ts';
import { findMachineType, listMachineTypes, machineTypeId, type MachineTypeSpec } from './machines.ts';
import type { BoardProblem } from './problems.ts';
import { QemuOptsError, optBool, optGet, parseQemuArgs, printQemuOpts, type QemuCommandLine, type QemuOpts } from './qemu-opts.ts';
import type { BoardDocument, ObjectDocument, PropertyValueDocument } from './schema.ts';
import { PLAIN_NAME } from './schema.ts';

/** QEMU machine names → BoardLab machine types (mps2-an385 has the same name in both). */
const QEMU_MACHINES: Record<string, string> = { virt: 'riscv-virt' };

/**
 * Machine types whose RAM size is fixed, as QEMU's: -m must give exactly that size (mps2-an385's
 * 16 MiB is its PSRAM; QEMU refuses any other size).
 */
const FIXED_RAM: Record<string, number> = { 'mps2-an385': 16 * 1024 * 1024 };

/** The type of a machine type's first CPU (the one -cpu configures). */
function machineCpuType(spec: MachineTypeSpec): string | undefined {
  return Object.values(spec.document.objects).find((o) => o?.type !== undefined && isA(o.type, 'cpu'))?.type;
}

/** Options that configure a run rather than a board: accepted and left to `boardlab run`. */
export interface QemuRunOptions {
  serial: string[];
  gdb?: string;
  qmp: string[];
  startPaused: boolean;
  nographic: boolean;
}

export type ConvertResult =
  | { ok: true; document: BoardDocument; run: QemuRunOptions; warnings: string[] }
  | { ok: false; problems: BoardProblem[] };

function problem(message: string, hint: string): ConvertResult {
  return { ok: false, problems: [{ pointer: '', message, hint }] };
}

/** A -device or -global value as a property value: integers stay numbers where the text is one. */
function propertyValue(text: string): PropertyValueDocument {
  if (text === 'on' || text === 'true') return true;
  if (text === 'off' || text === 'false') return false;
  return /^-?\d+$/.test(text) && Number.isSafeInteger(Number(text)) ? Number(text) : text;
}

/** Convert QEMU arguments (without or with the program name) into a board document. */
export function qemuArgsToBoard(argv: readonly string[], name = 'converted'): ConvertResult {
  let line;
  try {
    line = parseQemuArgs(argv);
  } catch (error) {
    if (error instanceof QemuOptsError) return problem(error.message, error.hint ?? 'Check the option against `qemu-system-riscv32 -help`.');
    throw error;
  }
  const warnings = [...line.warnings];
  const machineName = line.machineType ?? 'virt';
  const machineType = QEMU_MACHINES[machineName] ?? machineName.replace(/-(\d+\.\d+)$/, '@$1');
  const spec = findMachineType(machineType.replace(/^virt@/, 'riscv-virt@'));
  if (spec === undefined) {
    return problem(`machine type "${machineName}" is not one BoardLab has`, `Known: virt (riscv-virt), ${listMachineTypes().map(machineTypeId).join(', ')}.`);
  }
  for (const opt of line.machine) if (opt.key !== 'type') warnings.push(`-machine ${opt.key}=${opt.value} is not supported by BoardLab and was ignored`);
  const document: BoardDocument = { boardlab: 1, name, extends: machineTypeId(spec), objects: {} };
  if (line.cpus !== undefined) document.params = { harts: line.cpus };
  if (line.memoryBytes !== undefined) {
    const fixed = FIXED_RAM[spec.name];
    if (fixed !== undefined) {
      if (line.memoryBytes !== fixed) return problem(`-m ${optGet(line.memoryOpts, 'size')}: invalid RAM size for ${spec.name}, should be ${fixed / (1024 * 1024)} MiB`, `QEMU's ${spec.name} has a fixed RAM size; leave -m out.`);
    } else if (spec.document.objects.ram !== undefined) document.objects.ram = { props: { size: line.memoryBytes } };
    else return problem(`-m: ${spec.name} has no main RAM that -m sizes`, 'Leave -m out, or change the memory objects in a board file.');
  }
  const cpuType = machineCpuType(spec);
  const cpuProps: Record<string, PropertyValueDocument> = {};
  if (line.cpu !== undefined) {
    for (const opt of line.cpu.slice(1)) cpuProps[opt.key] = propertyValue(opt.value);
    const model = line.cpu[0]?.value;
    const cpuProblem = cpuModelProblem(model, cpuType, spec, warnings);
    if (cpuProblem !== undefined) return cpuProblem;
  }
  const semihosting = semihostingSetting(line, cpuType, spec, warnings);
  if (typeof semihosting === 'object') return semihosting;
  if (semihosting) cpuProps.semihosting = true;
  if (Object.keys(cpuProps).length > 0 && cpuType !== undefined) document.globals = { [cpuType]: cpuProps };
  for (const g of line.globals) {
    if (effectiveType(g.driver) === undefined) return problem(`-global ${g.driver}.${g.property}: unknown type "${g.driver}"`, 'Globals name a BoardLab type, e.g. ns16550a.fifo-depth=1.');
    document.globals ??= {};
    document.globals[g.driver] = { ...(document.globals[g.driver] ?? {}), [g.property]: propertyValue(g.value) };
  }
  const counts = new Map<string, number>();
  for (const device of line.devices) {
    const driver = optGet(device, 'driver')!;
    const type = effectiveType(driver);
    if (type === undefined || type.abstract) return problem(`-device ${driver}: unknown device type`, 'Devices name a concrete BoardLab type; see `boardlab types --concrete`.');
    const n = counts.get(driver) ?? 0;
    counts.set(driver, n + 1);
    const id = optGet(device, 'id') ?? `${driver.replace(/[^a-z0-9_-]/g, '-')}${n}`;
    if (!PLAIN_NAME.test(id)) return problem(`-device ${driver},id=${id}: "${id}" cannot be an object name`, 'Use a lower-case name of letters, digits, "-" and "_".');
    const object: ObjectDocument = { type: driver };
    for (const opt of device) {
      if (opt.key === 'driver' || opt.key === 'id') continue;
      if (opt.key === 'addr') {
        const region = type.regions[0];
        if (region === undefined) return problem(`-device ${driver}: it has no region for addr=`, 'Remove addr=.');
        (document.memory ??= []).push({ map: `${id}.${region.name}`, at: opt.value });
      } else if (opt.key === 'irq') {
        const output = interruptOutput(type.irqs);
        if (output === undefined) return problem(`-device ${driver}: it has no IRQ output for irq=`, 'Remove irq=.');
        (document.irqs ??= []).push({ from: `${id}.${output.name}${typeof output.count === 'number' && output.count === 1 ? '' : '[0]'}`, to: opt.value });
      } else {
        (object.props ??= {})[opt.key] = propertyValue(opt.value);
      }
    }
    document.objects[id] = object;
  }
  const firmware = line.kernel ?? (line.bios !== undefined && line.bios !== 'none' && line.bios !== 'default' ? line.bios : undefined);
  if (line.kernel !== undefined && line.bios !== undefined && line.bios !== 'none') warnings.push('-bios is ignored when -kernel is given');
  if (firmware !== undefined) document.images = [{ cpu: 'cpu0', file: firmware }];
  if (line.append !== undefined || line.initrd !== undefined || line.dtb !== undefined) warnings.push('-append, -initrd and -dtb are not supported by BoardLab and were ignored');
  return {
    ok: true,
    document,
    run: { serial: line.serial, gdb: line.gdb, qmp: line.qmp, startPaused: line.startPaused, nographic: line.nographic },
    warnings,
  };
}

/**
 * -cpu MODEL on a machine type: its own CPU type (or "max") is the one it has. On riscv-virt any
 * other model runs as rv32 with a warning (BoardLab has no other RISC-V core); the Cortex-M boards
 * refuse another model, as QEMU's mps2 boards do ("can only be used with CPU cortex-m3").
 */
function cpuModelProblem(model: string | undefined, cpuType: string | undefined, spec: MachineTypeSpec, warnings: string[]): ConvertResult | undefined {
  if (model === undefined || cpuType === undefined || model === cpuType || model === 'max') return undefined;
  if (isA(cpuType, 'riscv-cpu')) {
    warnings.push(`-cpu ${model}: BoardLab models ${cpuType} only; using ${cpuType}`);
    return undefined;
  }
  return problem(`-cpu ${model}: ${spec.name} can only be used with CPU ${cpuType}`, `Leave -cpu out, or give -cpu ${cpuType}.`);
}

/**
 * -semihosting / -semihosting-config enable=on,target=native: the CPU's `semihosting` property
 * (ARM's `bkpt 0xab` calls; their console is BoardLab's, as QEMU's native target). target=auto is
 * native too (BoardLab never routes the calls to gdb); target=gdb is refused; chardev, arg and
 * userspace are ignored with a warning. Returns whether it is on, or the problem.
 */
function semihostingSetting(line: QemuCommandLine, cpuType: string | undefined, spec: MachineTypeSpec, warnings: string[]): boolean | ConvertResult {
  if (line.semihosting.length === 0) return false;
  const text = printQemuOpts(line.semihosting);
  const enabled = optBool(optGet(line.semihosting, 'enable') ?? 'off');
  if (optGet(line.semihosting, 'target') === 'gdb') return problem(`-semihosting-config ${text}: target=gdb is not supported by BoardLab`, 'Use target=native (the semihosting console is the terminal, or stdout).');
  for (const key of ['chardev', 'arg', 'userspace']) if (optGet(line.semihosting, key) !== undefined) warnings.push(`-semihosting-config ${key}= is not supported by BoardLab and was ignored`);
  if (!enabled) return false;
  if (cpuType === undefined || effectiveType(cpuType)?.props.some((p) => p.name === 'semihosting') !== true) {
    return problem(`-semihosting-config ${text}: the CPU of ${spec.name}${cpuType === undefined ? '' : ` (${cpuType})`} has no semihosting in BoardLab`, 'Semihosting is ARM\'s (bkpt 0xab): use it with an ARM machine type such as mps2-an385.');
  }
  return true;
}

/** The output `irq=` wires: the one named "irq", else the first output. */
function interruptOutput(irqs: EffectiveType['irqs']): EffectiveType['irqs'][number] | undefined {
  return irqs.find((p) => p.direction === 'out' && p.name === 'irq') ?? irqs.find((p) => p.direction === 'out');
}

/** Options of one object as -device options (type first, then id, props, addr=, irq=). */
function deviceOpts(name: string, object: ObjectDocument, document: BoardDocument): QemuOpts | string {
  const opts: QemuOpts = [{ key: 'driver', value: object.type! }, { key: 'id', value: name }];
  for (const [key, value] of Object.entries(object.props ?? {})) {
    if (value === null) return `${name}.${key} is null, which -device cannot say`;
    opts.push({ key, value: typeof value === 'boolean' ? (value ? 'on' : 'off') : String(value) });
  }
  const maps = (document.memory ?? []).filter((m) => m.map?.startsWith(`${name}.`));
  const type = effectiveType(object.type!);
  if (maps.length > 1 || (maps.length === 1 && maps[0].map !== `${name}.${type?.regions[0]?.name}`)) return `${name} has mappings -device addr= cannot say`;
  if (maps.length === 1) {
    if (maps[0].priority !== undefined || maps[0].space !== undefined || maps[0].into !== undefined || maps[0].repeat !== undefined) return `${name}'s mapping has options -device addr= cannot say`;
    opts.push({ key: 'addr', value: String(maps[0].at) });
  }
  const wires = (document.irqs ?? []).filter((w) => w.from.startsWith(`${name}.`));
  if (wires.length > 1) return `${name} has more than one IRQ wire`;
  const output = type && interruptOutput(type.irqs);
  if (wires.length === 1 && (output === undefined || !new RegExp(`^${name}\\.${output.name}(\\[0\\])?$`).test(wires[0].from))) return `${name}'s IRQ wire is not from its interrupt output`;
  if (wires.length === 1) opts.push({ key: 'irq', value: wires[0].to });
  return opts;
}

/**
 * A board as QEMU arguments. Only boards that extend riscv-virt or mps2-an385 and change what QEMU
 * options can say (harts, RAM size, globals, the CPU's semihosting, added devices with addr=/irq=,
 * one ELF for cpu0) can be printed; anything else is a problem naming the part that cannot.
 */
export function boardToQemuArgs(document: BoardDocument): { ok: true; args: string[] } | { ok: false; problems: BoardProblem[] } {
  const fail = (pointer: string, what: string) => ({ ok: false as const, problems: [{ pointer, message: `cannot be written as QEMU arguments: ${what}`, hint: 'Export as JSON or config instead; QEMU options only express changes to a machine type.' }] });
  const spec = document.extends === undefined ? undefined : findMachineType(document.extends);
  if (spec === undefined || (spec.name !== 'riscv-virt' && spec.name !== 'mps2-an385')) return fail('/extends', 'the board does not extend riscv-virt or mps2-an385');
  const latest = spec.version === findMachineType(spec.name)!.version;
  const args = ['-M', spec.name === 'mps2-an385' ? spec.name : latest ? 'virt' : `riscv-virt-${spec.version}`];
  if (!latest && spec.name === 'mps2-an385') return fail('/extends', `${machineTypeId(spec)} is not the version QEMU's mps2-an385 is`);
  const documentKeys = Object.keys(document).filter((k) => !['$schema', 'boardlab', 'name', 'description', 'extends', 'params', 'globals', 'objects', 'memory', 'irqs', 'images', 'layout'].includes(k));
  if (documentKeys.length > 0) return fail(`/${documentKeys[0]}`, `"${documentKeys[0]}" has no QEMU option`);
  for (const [param, value] of Object.entries(document.params ?? {})) {
    if (param !== 'harts') return fail(`/params/${param}`, `parameter "${param}"`);
    args.push('-smp', String(value));
  }
  for (const [name, object] of Object.entries(document.objects)) {
    if (name === 'ram' && object !== null && object.type === undefined && Object.keys(object).join() === 'props' && Object.keys(object.props ?? {}).join() === 'size') {
      args.push('-m', `${String(object.props!.size)}${/^\d+$/.test(String(object.props!.size)) ? 'B' : ''}`);
      continue;
    }
    if (object === null || object.type === undefined || spec.document.objects[name] !== undefined) return fail(`/objects/${name}`, `changes to "${name}" of ${machineTypeId(spec)}`);
    if (object.children !== undefined || object.repeat !== undefined || object.doc !== undefined) return fail(`/objects/${name}`, `"${name}" has children, repeat or doc`);
    const opts = deviceOpts(name, object, document);
    if (typeof opts === 'string') return fail(`/objects/${name}`, opts);
    args.push('-device', printQemuOpts(opts, 'driver'));
  }
  const added = (reference: string) => Object.prototype.hasOwnProperty.call(document.objects, reference.split(/[./]/)[0]) && document.objects[reference.split(/[./]/)[0]]?.type !== undefined;
  for (const [i, m] of (document.memory ?? []).entries()) if (m.map === undefined || !added(m.map)) return fail(`/memory/${i}`, 'a mapping of something other than an added device');
  for (const [i, w] of (document.irqs ?? []).entries()) if (!added(w.from) || w.repeat !== undefined) return fail(`/irqs/${i}`, 'a wire from something other than an added device');
  const cpuType = machineCpuType(spec);
  for (const [type, props] of Object.entries(document.globals ?? {})) {
    for (const [prop, value] of Object.entries(props)) {
      // The CPU's semihosting is QEMU's -semihosting-config, not a property.
      if (type === cpuType && prop === 'semihosting' && typeof value === 'boolean') {
        if (value) args.push('-semihosting-config', 'enable=on,target=native');
        continue;
      }
      args.push('-global', `${type}.${prop}=${typeof value === 'boolean' ? (value ? 'on' : 'off') : String(value)}`);
    }
  }
  const images = document.images ?? [];
  if (images.length > 1 || (images.length === 1 && (images[0].cpu !== 'cpu0' || (images[0].format ?? 'elf') !== 'elf' || images[0].at !== undefined || images[0].space !== undefined))) {
    return fail('/images', 'images other than one ELF for cpu0 (-kernel)');
  }
  if (images.length === 1 && images[0].file === undefined) return fail('/images/0', 'an image assembled from one of the board\'s sources (-kernel takes a file)');
  if (images.length === 1) args.push('-kernel', images[0].file!);
  return { ok: true, args };
}
