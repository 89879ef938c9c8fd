// Board-language commands: validate, resolve, describe, types, type, export. All answer from
// data — nothing here builds a machine.
import { writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import {
  boardWarnings,
  boardFromMachineType,
  boardToConfig,
  boardToDtb,
  boardToDts,
  boardToQemuArgs,
  qemuArgsToBoard,
  assembleSourceImages,
  checkImages,
  effectiveType,
  coreRegisterLayout,
  cpuArchitecture,
  deviceRegisterLayout,
  unavailableTypeProblems,
  addressSpaceView,
  cpuAddressSpace,
  isA,
  type MemorySegment,
  findMachineType,
  formatSize,
  hex,
  listMachineTypes,
  listTypes,
  machineTypeId,
  machineTypeNames,
  relativePath,
  resolveBoard,
  type BoardResult,
  type EffectiveType,
  type ModuleAvailability,
  type ResolvedBoard,
} from '../graph/index.ts';
import { engineModules } from '../engine/registry.ts';
import { InputError, formatProblem, readBoardDocument, readBoardFile, readImageIfPresent } from './board-files.ts';

export interface CommandIo {
  stdout: (text: string | Uint8Array) => void;
  stderr: (line: string) => void;
}

async function loadResolved(file: string, io: CommandIo, platform?: string): Promise<ResolvedBoard | undefined> {
  const result: BoardResult = await readBoardFile(file, platform);
  if (!result.ok) {
    for (const problem of result.problems) io.stderr(formatProblem(file, problem));
    return undefined;
  }
  return result.board;
}

/** `boardlab validate FILE`: problems with pointers (exit 1), or a one-line summary. */
export async function validateCommand(file: string, options: { platform?: string }, io: CommandIo): Promise<number> {
  const board = await loadResolved(file, io, options.platform);
  if (board === undefined) return 1;
  // Beyond the document: images must exist, parse and fit; every type's engine module must load.
  // Its sources must assemble (the ELFs they give are then checked as image files are).
  const assembled = assembleSourceImages(board);
  const files = new Map<string, Uint8Array | undefined>(assembled.files);
  for (const name of new Set(board.images.filter((image) => image.source === undefined).map((image) => image.file))) files.set(name, await readImageIfPresent(name, dirname(file), file));
  const imageProblems = assembled.problems.length > 0 ? assembled.problems : checkImages(board, files);
  const problems = [...imageProblems, ...unavailableTypeProblems(board.objects, await engineModules.loadBoardModules(board))];
  if (problems.length > 0) {
    for (const problem of problems) io.stderr(formatProblem(file, problem));
    return 1;
  }
  // Warnings never make a board invalid: they are said, and the exit status stays 0.
  for (const warning of [...assembled.warnings, ...boardWarnings(board)]) io.stderr(`warning: ${formatProblem(file, warning)}`);
  const cpus = board.objects.filter((o) => effectiveType(o.type)?.interfaces.includes('cpu')).length;
  io.stdout(`${file}: valid — ${board.objects.length} objects (${cpus} CPU${cpus === 1 ? '' : 's'}), ${board.memory.length} mappings, ${board.irqs.length} IRQ lines, ${board.images.length} image${board.images.length === 1 ? "" : "s"}\n`);
  return 0;
}

/** `boardlab resolve FILE`: the resolved machine as JSON. */
export async function resolveCommand(file: string, options: { platform?: string }, io: CommandIo): Promise<number> {
  const board = await loadResolved(file, io, options.platform);
  if (board === undefined) return 1;
  io.stdout(JSON.stringify(board, null, 2) + '\n');
  return 0;
}

/** The memory map, IRQ and reset wiring of a resolved board, as text. */
export function describeBoard(board: ResolvedBoard): string {
  const lines: string[] = [];
  lines.push(`${board.machineType ?? board.name}${board.params && Object.keys(board.params).length ? ` (${Object.entries(board.params).map(([k, v]) => `${k}=${v}`).join(', ')})` : ''}`);
  if (board.description) lines.push(board.description);
  lines.push('', 'Objects:');
  for (const o of board.objects) {
    const props = Object.entries(o.props)
      .filter(([name]) => o.origins[name]?.layer !== 'default')
      .map(([name, value]) => `${name}=${typeof value === 'number' && value > 0xffff ? hex(value) : String(value)}`);
    lines.push(`  ${relativePath(o.path).padEnd(20)} ${o.type.padEnd(14)} ${props.join(' ')}`.trimEnd());
  }
  lines.push('', 'Memory map:');
  for (const m of [...board.memory].sort((a, b) => a.base - b.base || a.space.localeCompare(b.space))) {
    const what = m.alias ? `alias of ${relativePath(m.alias.object)}.${m.alias.region}+${hex(m.alias.offset, 1)}` : `${relativePath(m.object)}.${m.region}`;
    lines.push(`  ${hex(m.base)}–${hex(m.base + m.size - 1)}  ${formatSize(m.size).padStart(9)}  ${m.kind.padEnd(5)} ${what}${m.space !== 'system' ? `  [space ${m.space}]` : ''}${m.priorities.some((p) => p !== 0) ? `  priority ${m.priorities.join('/')}` : ''}`);
  }
  lines.push(...cpuViews(board));
  lines.push('', 'IRQ wiring:');
  for (const w of board.irqs) lines.push(`  ${w.from} -> ${w.to}`);
  if (board.irqs.length === 0) lines.push('  (none)');
  lines.push('', 'Reset wiring:');
  for (const r of board.resets) lines.push(`  ${r.from === 'board' ? 'board' : relativePath(r.from)} -> ${r.to === 'board' ? 'board' : r.to.map(relativePath).join(', ')}`);
  if (board.resets.length === 0) lines.push('  (none)');
  return lines.join('\n') + '\n';
}

/**
 * Each CPU's view of memory (a board whose CPUs have address spaces of their own: a heterogeneous
 * one): what it sees where, its own mappings over the system's, and the regions another CPU sees
 * too. Nothing for a board whose CPUs all see the one system map printed above.
 */
function cpuViews(board: ResolvedBoard): string[] {
  const cpus = board.objects.filter((o) => !o.composite && isA(o.type, 'cpu'));
  if (cpus.every((cpu) => cpuAddressSpace(cpu) === 'system')) return [];
  const views = new Map(cpus.map((cpu) => [cpu.path, addressSpaceView(board, cpuAddressSpace(cpu))]));
  const target = (segment: MemorySegment) => (segment.mapping.alias ? `${segment.mapping.alias.object}.${segment.mapping.alias.region}` : `${segment.mapping.object}.${segment.mapping.region}`);
  const lines = ['', 'Memory seen by each CPU:'];
  for (const cpu of cpus) {
    const hz = cpu.props['clock-frequency'];
    lines.push(`  ${relativePath(cpu.path)} (${cpu.type}, address space ${cpuAddressSpace(cpu)}${typeof hz === 'number' && hz > 0 ? `, ${formatHz(hz)}` : ''}):`);
    for (const segment of views.get(cpu.path)!) {
      const { mapping } = segment;
      const what = mapping.alias ? `${relativePath(mapping.alias.object)}.${mapping.alias.region}+${hex(segment.offset, 1)} (alias)` : `${relativePath(mapping.object)}.${mapping.region}`;
      const others = cpus.filter((other) => other !== cpu && views.get(other.path)!.some((s) => target(s) === target(segment))).map((other) => relativePath(other.path));
      const kind = mapping.alias?.kind ?? mapping.kind;
      lines.push(`    ${hex(segment.base)}–${hex(segment.base + segment.size - 1)}  ${formatSize(segment.size).padStart(9)}  ${kind.padEnd(5)} ${what}${others.length > 0 ? `  (also seen by ${others.join(', ')})` : ''}`);
    }
  }
  return lines;
}

/** "100 MHz", "7.777777 MHz", "32.768 kHz". */
function formatHz(hz: number): string {
  if (hz >= 1e6) return `${+(hz / 1e6).toFixed(6)} MHz`;
  if (hz >= 1e3) return `${+(hz / 1e3).toFixed(3)} kHz`;
  return `${hz} Hz`;
}

/** `boardlab describe -M TYPE` or `boardlab describe BOARD`: what a machine type or board contains, where, wired how, and what each CPU sees. */
export async function describeCommand(options: { machine?: string; board?: string; json?: boolean; params?: Record<string, number> }, io: CommandIo): Promise<number> {
  if (options.board !== undefined) {
    if (options.machine !== undefined) throw new InputError('describe takes a board file or -M TYPE, not both');
    const board = await loadResolved(options.board, io);
    if (board === undefined) return 1;
    io.stdout(options.json ? JSON.stringify(board, null, 2) + '\n' : describeBoard(board));
    return 0;
  }
  if (options.machine === undefined) {
    io.stdout(listMachineTypes().map((m) => `${machineTypeId(m).padEnd(20)} ${m.doc}`).join('\n') + '\n');
    return 0;
  }
  if (findMachineType(options.machine) === undefined) {
    throw new InputError(`unknown machine type "${options.machine}"; known types: ${[...new Set(listMachineTypes().map(machineTypeId))].join(', ')}`);
  }
  const result = resolveBoard(boardFromMachineType(options.machine, options.params));
  if (!result.ok) {
    for (const problem of result.problems) io.stderr(formatProblem(`-M ${options.machine}`, problem));
    return 1;
  }
  io.stdout(options.json ? JSON.stringify(result.board, null, 2) + '\n' : describeBoard(result.board));
  return 0;
}

function typeJson(type: EffectiveType, status: ModuleAvailability | undefined) {
  return {
    name: type.name,
    parent: type.parent ?? null,
    ancestors: type.ancestors,
    abstract: type.abstract ?? false,
    category: type.category,
    interfaces: type.interfaces,
    doc: type.doc,
    module: type.module ?? null,
    available: type.abstract ? null : (status?.available ?? false),
    ...(status && !status.available ? { unavailableReason: status.reason } : {}),
    // A property with "descriptive" changes no behaviour: the field says why (e.g. device tree only).
    props: type.props,
    ...(type.removedProps.length > 0 ? { removedProps: type.removedProps } : {}),
    regions: type.regions,
    irqs: type.irqs,
    resets: type.resets,
    clocks: type.clocks,
    ...typeRegisters(type),
  };
}

/** The registers of a device type by region, or a CPU type's control registers (src/graph/register-layouts.ts), when the catalog describes them. */
function typeRegisters(type: EffectiveType) {
  const registers = deviceRegisterLayout(type.name);
  if (registers !== undefined) return { registers };
  const architecture = isA(type.name, 'cpu') ? cpuArchitecture(type.name)?.name : undefined;
  const controlRegisters = architecture === undefined ? undefined : coreRegisterLayout(architecture);
  return controlRegisters === undefined ? {} : { controlRegisters };
}

/** `boardlab types [--interface I] [--abstract|--concrete]`: the catalog as JSON. */
export async function typesCommand(options: { interface?: string; abstract?: boolean; machines?: boolean }, io: CommandIo): Promise<number> {
  if (options.machines) {
    io.stdout(JSON.stringify(listMachineTypes().map((m) => ({ name: m.name, version: m.version, id: machineTypeId(m), doc: m.doc, params: m.params, compat: m.compat })), null, 2) + '\n');
    return 0;
  }
  const statuses = await engineModules.loadCatalogModules();
  const types = listTypes({ interface: options.interface, abstract: options.abstract });
  io.stdout(JSON.stringify(types.map((t) => typeJson(t, t.module ? statuses.get(t.module) : undefined)), null, 2) + '\n');
  return 0;
}

/** `boardlab type NAME`: one type, described. */
export async function typeCommand(name: string, io: CommandIo): Promise<number> {
  const type = effectiveType(name);
  if (type === undefined) {
    const names = listTypes().map((t) => t.name);
    throw new InputError(`unknown type "${name}"; known types: ${names.join(', ')}${machineTypeNames().includes(name) ? ` ("${name}" is a machine type: try boardlab describe -M ${name})` : ''}`);
  }
  const statuses = await engineModules.loadCatalogModules();
  io.stdout(JSON.stringify(typeJson(type, type.module ? statuses.get(type.module) : undefined), null, 2) + '\n');
  return 0;
}

export const EXPORT_FORMATS = ['json', 'dts', 'dtb', 'qemu-args', 'config'] as const;

/** Quote an argument for a POSIX shell when it needs it. */
function shellQuote(arg: string): string {
  return /^[A-Za-z0-9_@%+=:,./[\]-]+$/.test(arg) ? arg : `'${arg.replace(/'/g, `'\\''`)}'`;
}

/** `boardlab export --format F FILE [-o OUT]`. */
export async function exportCommand(file: string, options: { format: string; output?: string; platform?: string }, io: CommandIo): Promise<number> {
  if (!(EXPORT_FORMATS as readonly string[]).includes(options.format)) {
    throw new InputError(`unknown export format "${options.format}"; formats: ${EXPORT_FORMATS.join(', ')}`);
  }
  const loaded = await readBoardDocument(file, options.platform);
  if ('problems' in loaded) {
    for (const problem of loaded.problems) io.stderr(formatProblem(file, problem));
    return 1;
  }
  const board = loaded.result.ok ? loaded.result.board : undefined!;
  let data: string | Uint8Array;
  switch (options.format) {
    case 'json':
      data = JSON.stringify(board, null, 2) + '\n';
      break;
    case 'dts':
      data = boardToDts(board);
      break;
    case 'dtb':
      data = boardToDtb(board);
      break;
    case 'config':
      data = boardToConfig(loaded.document);
      break;
    default: {
      const printed = boardToQemuArgs(loaded.document);
      if (!printed.ok) {
        for (const problem of printed.problems) io.stderr(formatProblem(file, problem));
        return 1;
      }
      data = printed.args.map(shellQuote).join(' ') + '\n';
    }
  }
  if (options.output !== undefined) await writeFile(options.output, data);
  else io.stdout(data);
  return 0;
}

/** `boardlab convert -- QEMU_ARGS...`: a QEMU command line as a board document. */
export async function convertCommand(args: string[], options: { name?: string; format?: string }, io: CommandIo): Promise<number> {
  const result = qemuArgsToBoard(args, options.name);
  if (!result.ok) {
    for (const problem of result.problems) io.stderr(`boardlab: ${problem.message}. ${problem.hint}`);
    return 1;
  }
  for (const warning of result.warnings) io.stderr(`boardlab: warning: ${warning}`);
  const checked = resolveBoard(result.document);
  if (!checked.ok) {
    for (const problem of checked.problems) io.stderr(formatProblem('converted board', problem));
    return 1;
  }
  io.stdout(options.format === 'config' ? boardToConfig(result.document) : JSON.stringify(result.document, null, 2) + '\n');
  return 0;
}
