// What a drag from one handle to another means in each view, or why it is refused: an IRQ output
// to an input (a line that is free), a reset output to an object's reset input (or the board), an
// address space to a region that is not mapped yet (at a suggested address the inspector can change).
import { effectiveType, hex, type IrqPortSpec, type ResolvedBoard, type ResolvedObject } from '../graph/index.ts';
import { evalExpr } from '../graph/expr.ts';
import { referenceOf } from './document-edit.ts';
import { BOARD_RESET, relative, type ViewName } from './views.ts';

export interface HandleConnection {
  source: string | null;
  target: string | null;
  sourceHandle?: string | null;
  targetHandle?: string | null;
}

export type ConnectionPlan =
  | { ok: true; kind: 'irq'; from: string; to: string }
  | { ok: true; kind: 'reset'; from: string; to: string }
  | { ok: true; kind: 'map'; region: string; at: number }
  | { ok: false; reason: string };

function lineCount(spec: IrqPortSpec, object: ResolvedObject): number {
  if (typeof spec.count === 'number') return spec.count;
  const value = Number(object.props[spec.count.prop]);
  return Number.isFinite(value) && value > 0 ? value : 1;
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

/** A free address for a region of `size` bytes: RAM/ROM from 0x80000000, devices from 0x10000000, 4 KiB aligned. */
export function suggestAddress(board: ResolvedBoard, kind: string, size: number, space = 'system'): number {
  const used = board.memory.filter((m) => m.space === space).map((m) => [m.base >>> 0, (m.base >>> 0) + m.size] as const);
  const align = Math.max(0x1000, 2 ** Math.ceil(Math.log2(Math.max(1, Math.min(size, 0x1000)))));
  let at = kind === 'mmio' ? 0x10000000 : 0x80000000;
  for (let guard = 0; guard < 100_000; guard++) {
    const clash = used.find(([start, end]) => at < end && at + size > start);
    if (!clash) return at;
    at = Math.ceil(clash[1] / align) * align;
  }
  return at;
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
    const toLines = lineCount(toSpec, to);
    const driven = new Set(board.irqs.filter((w) => w.target.object === to.path && w.target.port === targetPort).map((w) => w.target.index));
    let toIndex = 0;
    while (toIndex < toLines && driven.has(toIndex)) toIndex++;
    if (toIndex >= toLines) {
      const driver = board.irqs.find((w) => w.target.object === to.path && w.target.port === targetPort);
      return {
        ok: false,
        reason: toLines === 1 ? `${relative(to.path)}.${targetPort} is already driven by ${driver ? relative(driver.source.object) + '.' + driver.source.port : 'another output'} (an input takes one output)` : `all ${toLines} lines of ${relative(to.path)}.${targetPort} are driven`,
      };
    }
    const fromLines = lineCount(fromSpec, from);
    const usedOut = new Set(board.irqs.filter((w) => w.source.object === from.path && w.source.port === sourcePort).map((w) => w.source.index));
    let fromIndex = 0;
    while (fromIndex < fromLines - 1 && usedOut.has(fromIndex)) fromIndex++;
    const ref = (path: string, port: string, lines: number, index: number) => `${referenceOf(path)}.${port}${lines > 1 ? `[${index}]` : ''}`;
    return { ok: true, kind: 'irq', from: ref(from.path, sourcePort, fromLines, fromIndex), to: ref(to.path, targetPort, toLines, toIndex) };
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
    const dot = target.lastIndexOf('.');
    const owner = object(target.slice(0, dot));
    const region = target.slice(dot + 1);
    if (!owner) return { ok: false, reason: 'only regions can be mapped' };
    const mapped = board.memory.find((m) => m.object === owner.path && m.region === region);
    if (mapped) return { ok: false, reason: `${relative(owner.path)}.${region} is already mapped at ${hex(mapped.base)}` };
    const spec = effectiveType(owner.type)?.regions.find((r) => r.name === region);
    const size = regionSize(owner, region);
    const at = suggestAddress(board, spec?.kind ?? 'mmio', size, space);
    return { ok: true, kind: 'map', region: `${referenceOf(owner.path)}.${region}`, at };
  }
  return { ok: false, reason: 'the composition view shows parents and children; wire in the IRQ, Reset or Memory view' };
}
