// What a drag from one handle to another means in each view, or why it is refused: an IRQ output
// to an input (a line that is free), a reset output to an object's reset input (or the board), an
// address space to a region that is not mapped yet. Addresses and lines are proposed as the board's
// machine type has them (../graph/conventions.ts: QEMU virt's UART at 0x10000000 on PLIC source
// 10), the next free one in the same family when that is taken; the user may choose another, and
// what they type is checked here (junk, overlaps) before it reaches the document.
import {
  conventionalAddress,
  conventionalLine,
  effectiveType,
  findMachineType,
  formatSize,
  hex,
  irqLineCount,
  parseInteger,
  referenceMachineType,
  relativePath,
  usableLines,
  type IrqPortSpec,
  type ResolvedBoard,
  type ResolvedObject,
} from '../graph/index.ts';
import { evalExpr } from '../graph/expr.ts';
import { referenceOf } from './document-edit.ts';
import { BOARD_RESET, relative, type ViewName } from './views.ts';

export interface HandleConnection {
  source: string | null;
  target: string | null;
  sourceHandle?: string | null;
  targetHandle?: string | null;
}

/** The lines of a multi-line port the user may pick from, and the one proposed. */
export interface LineChoice {
  /** Lines offered, ascending: every line of an output; the free, usable lines of an input. */
  lines: number[];
  proposed: number;
  /** Why that line: "QEMU virt wires uart0.irq → plic.in[10]", "the lowest free line". */
  reason: string;
  /** Lines never offered because the device never raises them (catalog IrqPortSpec.reserved). */
  reserved?: { lines: readonly number[]; doc: string };
}

/** One end of an IRQ wire being made. */
export interface IrqEnd {
  /** The port's reference in the document: "plic.in", "soc/uart0.irq". */
  port: string;
  /** How many lines the port has. */
  count: number;
  /** The line proposed (0 for a single-line port). */
  line: number;
  /** Present when the port has more than one line: the user picks one. */
  choice?: LineChoice;
}

export interface AddressProposal {
  at: number;
  /** Where the address comes from: "QEMU virt's uart0 address", "the next free device address". */
  reason: string;
}

export type ConnectionPlan =
  | { ok: true; kind: 'irq'; from: string; to: string; source: IrqEnd; target: IrqEnd }
  | { ok: true; kind: 'reset'; from: string; to: string }
  | {
      ok: true;
      kind: 'map';
      region: string;
      at: number;
      size: number;
      space: string;
      proposal: AddressProposal;
      object: string;
      regionName: string;
      /** The region is mapped in another address space already: this shows it in `space` too (an alias), as RAM two CPUs share. */
      alias?: { space: string; at: number };
    }
  | { ok: false; reason: string };

/** The document reference of one line of an IRQ end: "plic.in[10]", or "uart0.irq" for a single-line port. */
export function lineReference(end: IrqEnd, line = end.line): string {
  return end.count > 1 ? `${end.port}[${line}]` : end.port;
}

/** The size of a region port of an object, in bytes (0x1000 when it cannot be told). */
export function regionSize(object: ResolvedObject, region: string): number {
  const spec = effectiveType(object.type)?.regions.find((r) => r.name === region);
  if (!spec) return 0x1000;
  if (typeof spec.size === 'number') return spec.size;
  if ('prop' in spec.size) {
    const value = Number(object.props[spec.size.prop]);
    return Number.isFinite(value) && value > 0 ? value : 0x1000;
  }
  try {
    const env = Object.fromEntries(Object.entries(object.props).filter((e): e is [string, number] => typeof e[1] === 'number'));
    return evalExpr(spec.size.expr, env);
  } catch {
    return 0x1000;
  }
}

/** Address ranges [start, end) taken in an address space: mapped regions and containers. */
function usedRanges(board: ResolvedBoard, space: string, ignore?: { object: string; region: string }): Array<{ start: number; end: number; name: string }> {
  const ignored = (m: { object: string; region: string }) => ignore !== undefined && m.object === ignore.object && m.region === ignore.region;
  return [...board.memory, ...board.containers]
    .filter((m) => m.space === space && !ignored(m))
    .map((m) => ({ start: m.base >>> 0, end: (m.base >>> 0) + m.size, name: `${relativePath(m.object)}.${m.region}` }));
}

/**
 * A free address for a region of `size` bytes, 4 KiB aligned: the first free one from `from`
 * (RAM/ROM from 0x80000000, devices from 0x10000000 when not given).
 */
export function suggestAddress(board: ResolvedBoard, kind: string, size: number, space = 'system', from?: number): number {
  const used = usedRanges(board, space).map((r) => [r.start, r.end] as const);
  const align = Math.max(0x1000, 2 ** Math.ceil(Math.log2(Math.max(1, Math.min(size, 0x1000)))));
  let at = from ?? (kind === 'mmio' ? 0x10000000 : 0x80000000);
  for (let guard = 0; guard < 100_000; guard++) {
    const clash = used.find(([start, end]) => at < end && at + size > start);
    if (!clash) return at;
    at = Math.ceil(clash[1] / align) * align;
  }
  return at;
}

/**
 * The address to propose for mapping `region` of `object`: where the board's machine type maps an
 * object of the same type (the next free one after it when that is taken), else the next free
 * device or memory address.
 */
export function proposeAddress(board: ResolvedBoard, object: ResolvedObject, region: string, space = 'system'): AddressProposal {
  const kind = effectiveType(object.type)?.regions.find((r) => r.name === region)?.kind ?? 'mmio';
  const size = regionSize(object, region);
  const convention = conventionalAddress(board, object, region, space);
  if (convention) {
    const at = suggestAddress(board, kind, size, space, convention.base);
    if (at === convention.base) return { at, reason: `${convention.title}'s ${convention.object} address` };
    const holder = usedRanges(board, space, { object: object.path, region }).find((r) => convention.base < r.end && convention.base + size > r.start);
    return { at, reason: `the next free address after ${convention.title}'s ${convention.object} address (${hex(convention.base)} is taken${holder ? ` by ${holder.name}` : ''})` };
  }
  const at = suggestAddress(board, kind, size, space);
  const machine = referenceMachineType(board);
  const title = machine === undefined ? undefined : (findMachineType(machine)?.title ?? machine);
  const family = kind === 'mmio' ? 'device' : 'memory';
  return { at, reason: title ? `the next free ${family} address (${title} has no ${object.type})` : `the next free ${family} address (no machine type to follow: the board has no CPU yet)` };
}

export type AddressCheck = { ok: true; at: number } | { ok: false; reason: string };

/** The 32-bit address spaces of the harts BoardLab emulates. */
const ADDRESS_SPACE_SIZE = 2 ** 32;

/**
 * Checks an address the user typed for a region of `size` bytes: a number (hex or decimal), inside
 * the address space, over nothing else mapped (`ignore` is the region itself, when it moves).
 */
export function checkAddress(board: ResolvedBoard, text: string, size: number, space = 'system', ignore?: { object: string; region: string }): AddressCheck {
  const trimmed = text.trim();
  if (trimmed === '') return { ok: false, reason: 'type an address, e.g. 0x10000000' };
  const at = parseInteger(trimmed);
  if (at === undefined) return { ok: false, reason: `"${trimmed}" is not an address: write it in hex (0x10000000) or in decimal` };
  if (at < 0) return { ok: false, reason: 'an address cannot be negative' };
  if (at + size > ADDRESS_SPACE_SIZE) return { ok: false, reason: `${formatSize(size)} at ${hex(at)} runs past the end of the 4 GiB address space` };
  const clash = usedRanges(board, space, ignore).find((r) => at < r.end && at + size > r.start);
  if (clash) {
    const next = suggestAddress(ignore ? { ...board, memory: board.memory.filter((m) => !(m.object === ignore.object && m.region === ignore.region)) } : board, 'mmio', size, space, at);
    return { ok: false, reason: `${hex(at)}–${hex(at + size - 1)} overlaps ${clash.name} [${hex(clash.start)}–${hex(clash.end - 1)}]; the next free address from there is ${hex(next)}` };
  }
  return { ok: true, at };
}

/** The lines to offer for the input `port` of `object` (free and usable), the one proposed and why. */
function targetChoice(board: ResolvedBoard, spec: IrqPortSpec, object: ResolvedObject, port: string, count: number, conventional: number | undefined, convention: string | undefined): LineChoice {
  const driven = new Set(board.irqs.filter((w) => w.target.object === object.path && w.target.port === port).map((w) => w.target.index));
  const lines = usableLines(spec, count).filter((line) => !driven.has(line));
  const reserved = spec.reserved ? { lines: spec.reserved.lines, doc: spec.reserved.doc } : undefined;
  if (conventional !== undefined && lines.includes(conventional)) return { lines, proposed: conventional, reason: convention!, reserved };
  const proposed = lines[0] ?? 0;
  const reason = conventional !== undefined ? `the lowest free line (${convention}, but line ${conventional} is taken)` : 'the lowest free line';
  return { lines, proposed, reason, reserved };
}

function sourceChoice(board: ResolvedBoard, object: ResolvedObject, port: string, count: number, conventional: number | undefined, convention: string | undefined): LineChoice {
  const used = new Set(board.irqs.filter((w) => w.source.object === object.path && w.source.port === port).map((w) => w.source.index));
  const lines = Array.from({ length: count }, (_, i) => i);
  if (conventional !== undefined && conventional < count && !used.has(conventional)) return { lines, proposed: conventional, reason: convention! };
  const free = lines.find((line) => !used.has(line));
  return { lines, proposed: free ?? 0, reason: free === undefined ? 'every line is wired already (an output may drive several inputs)' : 'the lowest line not wired yet' };
}

export function connectionPlan(view: ViewName, board: ResolvedBoard, connection: HandleConnection): ConnectionPlan {
  let { source, target, sourceHandle, targetHandle } = connection;
  if (!source || !target || !sourceHandle || !targetHandle) return { ok: false, reason: 'both ends must be ports' };
  // Drawn from an input to an output: the same wire.
  if (sourceHandle.startsWith('in:') && targetHandle.startsWith('out:')) [source, target, sourceHandle, targetHandle] = [target, source, targetHandle, sourceHandle];
  if (sourceHandle.startsWith('out:') && targetHandle.startsWith('out:')) return { ok: false, reason: 'both ends are outputs; a wire joins an output to an input' };
  if (sourceHandle.startsWith('in:') && targetHandle.startsWith('in:')) return { ok: false, reason: 'both ends are inputs; a wire joins an output to an input' };
  if (source === target) return { ok: false, reason: 'an object cannot be wired to itself' };
  const object = (path: string) => board.objects.find((o) => o.path === path);
  const sourcePort = sourceHandle.slice(sourceHandle.indexOf(':') + 1);
  const targetPort = targetHandle.slice(targetHandle.indexOf(':') + 1);

  if (view === 'irq') {
    const from = object(source);
    const to = object(target);
    const fromSpec = from && effectiveType(from.type)?.irqs.find((p) => p.name === sourcePort && p.direction === 'out');
    const toSpec = to && effectiveType(to.type)?.irqs.find((p) => p.name === targetPort && p.direction === 'in');
    if (!from || !to || !fromSpec || !toSpec) return { ok: false, reason: 'an IRQ wire joins an IRQ output to an IRQ input' };
    const toLines = irqLineCount(toSpec, to.props);
    const fromLines = irqLineCount(fromSpec, from.props);
    const convention = conventionalLine(board, from, sourcePort, to, targetPort);
    const why = convention ? `${convention.title} wires ${convention.wire}` : undefined;
    const targetLines = targetChoice(board, toSpec, to, targetPort, toLines, convention?.targetLine, why);
    if (targetLines.lines.length === 0) {
      const driver = board.irqs.find((w) => w.target.object === to.path && w.target.port === targetPort);
      return {
        ok: false,
        reason:
          toLines === 1
            ? `${relative(to.path)}.${targetPort} is already driven by ${driver ? relative(driver.source.object) + '.' + driver.source.port : 'another output'} (an input takes one output)`
            : `every usable line of ${relative(to.path)}.${targetPort} is driven already`,
      };
    }
    const sourceLines = sourceChoice(board, from, sourcePort, fromLines, convention?.sourceLine, why);
    const sourceEnd: IrqEnd = { port: `${referenceOf(from.path)}.${sourcePort}`, count: fromLines, line: sourceLines.proposed, ...(fromLines > 1 && { choice: sourceLines }) };
    const targetEnd: IrqEnd = { port: `${referenceOf(to.path)}.${targetPort}`, count: toLines, line: targetLines.proposed, ...(toLines > 1 && { choice: targetLines }) };
    return { ok: true, kind: 'irq', from: lineReference(sourceEnd), to: lineReference(targetEnd), source: sourceEnd, target: targetEnd };
  }

  if (view === 'reset') {
    const fromRef = source === BOARD_RESET ? 'board' : `${referenceOf(source)}.${sourcePort}`;
    const toRef = target === BOARD_RESET ? 'board' : referenceOf(target);
    if (source !== BOARD_RESET) {
      const from = object(source);
      if (!from || !effectiveType(from.type)?.resets.some((r) => r.name === sourcePort && r.direction === 'out')) return { ok: false, reason: 'a reset wire starts at a reset output or the board reset' };
    }
    if (fromRef === 'board' && toRef === 'board') return { ok: false, reason: 'the board reset cannot reset itself' };
    if (board.resets.some((r) => r.from === (source === BOARD_RESET ? 'board' : `${source}.${sourcePort}`) && (r.to === 'board' ? toRef === 'board' : r.to.includes(target)))) return { ok: false, reason: 'these are wired already' };
    return { ok: true, kind: 'reset', from: fromRef, to: toRef };
  }

  if (view === 'memory') {
    if (!source.startsWith('space:')) return { ok: false, reason: 'map regions from an address space (drag from the bus to the region)' };
    const space = source.slice('space:'.length);
    // "<object path>.<region>": a region name may have a dot (a mailbox side's "a.regs"), an object name never does
    const dot = target.indexOf('.', target.lastIndexOf('/') + 1);
    const owner = object(target.slice(0, dot));
    const region = target.slice(dot + 1);
    if (!owner) return { ok: false, reason: 'only regions can be mapped' };
    const mappings = board.memory.filter((m) => (m.object === owner.path && m.region === region) || (m.alias?.object === owner.path && m.alias.region === region));
    const here = mappings.find((m) => m.space === space);
    if (here) return { ok: false, reason: `${relative(owner.path)}.${region} is already mapped at ${hex(here.base)}${space === 'system' ? '' : ` in address space ${space}`}` };
    const elsewhere = mappings.find((m) => m.kind !== 'alias') ?? mappings[0];
    const proposal = proposeAddress(board, owner, region, space);
    return {
      ok: true,
      kind: 'map',
      region: `${referenceOf(owner.path)}.${region}`,
      at: proposal.at,
      size: regionSize(owner, region),
      space,
      proposal,
      object: owner.path,
      regionName: region,
      ...(elsewhere !== undefined && { alias: { space: elsewhere.space, at: elsewhere.base } }),
    };
  }
  return { ok: false, reason: 'the composition view shows parents and children; wire in the IRQ, Reset or Memory view' };
}
