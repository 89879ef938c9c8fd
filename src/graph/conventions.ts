// What firmware expects of a board: the machine type it follows (the one it extends, or for a board
// built from scratch the reference machine of its CPUs' architecture), where that machine maps each
// kind of device and which IRQ line it wires each kind of device to. Answered from the machine
// type's own resolved document — which object of the same type is mapped where, wired how — never
// from a table of addresses (principle 6: introspection from data).
import { effectiveType, isA } from './catalog.ts';
import { boardFromMachineType, findMachineType, machineTypeId } from './machines.ts';
import { relativePath } from './references.ts';
import { resolveBoard, type ResolvedBoard, type ResolvedObject } from './resolve.ts';

/**
 * The machine a board without a machine type follows, by the architecture of its CPUs: a CPU type
 * (or an ancestor or interface of it, matched with isA) → a machine type. Add a line per architecture.
 */
export const REFERENCE_MACHINES: ReadonlyArray<{ readonly cpu: string; readonly machineType: string }> = [{ cpu: 'rv32', machineType: 'riscv-virt' }];

/** The machine type (an id, "riscv-virt@1.1") whose conventions a board follows, if any. */
export function referenceMachineType(board: ResolvedBoard): string | undefined {
  if (board.machineType !== undefined) return board.machineType;
  for (const object of board.objects) {
    for (const entry of REFERENCE_MACHINES) {
      if (!isA(object.type, entry.cpu)) continue;
      const spec = findMachineType(entry.machineType);
      if (spec) return machineTypeId(spec);
    }
  }
  return undefined;
}

const resolvedMachines = new Map<string, ResolvedBoard | null>();

/** A machine type as a resolved board (with its parameters' defaults); cached, since machine types never change. */
export function resolvedMachineType(id: string): ResolvedBoard | undefined {
  let board = resolvedMachines.get(id);
  if (board === undefined) {
    const result = resolveBoard(boardFromMachineType(id));
    board = result.ok ? result.board : null;
    resolvedMachines.set(id, board);
  }
  return board ?? undefined;
}

/** Where a convention comes from: the machine type and the object of the same type in it. */
export interface ConventionSource {
  /** "riscv-virt@1.1" */
  machineType: string;
  /** What people call the machine ("QEMU virt"). */
  title: string;
  /** The machine type's object that this follows, relative ("uart0"). */
  object: string;
}

export interface AddressConvention extends ConventionSource {
  base: number;
}

function machineTitle(id: string): string {
  return findMachineType(id)?.title ?? id;
}

function typeOf(board: ResolvedBoard, path: string): string | undefined {
  return board.objects.find((o) => o.path === path)?.type;
}

/**
 * Where the board's machine type maps a region like `region` of `object`: the lowest address at
 * which it maps the same region of an object of the same type, in the same address space.
 */
export function conventionalAddress(board: ResolvedBoard, object: ResolvedObject, region: string, space = 'system'): AddressConvention | undefined {
  const id = referenceMachineType(board);
  const machine = id === undefined ? undefined : resolvedMachineType(id);
  if (id === undefined || machine === undefined) return undefined;
  const candidates = machine.memory
    .filter((m) => m.kind !== 'alias' && m.region === region && m.space === space && typeOf(machine, m.object) === object.type)
    .sort((a, b) => (a.base >>> 0) - (b.base >>> 0));
  const first = candidates[0];
  if (first === undefined) return undefined;
  return { machineType: id, title: machineTitle(id), object: relativePath(first.object), base: first.base >>> 0 };
}

export interface LineConvention extends ConventionSource {
  /** The line of the output the machine type wires (index into the source port). */
  sourceLine: number;
  /** The line of the input it wires to. */
  targetLine: number;
  /** The machine type's wire, as text: "uart0.irq → plic.in[10]". */
  wire: string;
}

/**
 * How the board's machine type wires an output like `sourcePort` of `source` to an input like
 * `targetPort` of `target`: a wire between objects of the same two types and the same two ports
 * (the one between objects of the same names first).
 */
export function conventionalLine(board: ResolvedBoard, source: ResolvedObject, sourcePort: string, target: ResolvedObject, targetPort: string): LineConvention | undefined {
  const id = referenceMachineType(board);
  const machine = id === undefined ? undefined : resolvedMachineType(id);
  if (id === undefined || machine === undefined) return undefined;
  const matches = machine.irqs.filter(
    (w) => w.source.port === sourcePort && w.target.port === targetPort && typeOf(machine, w.source.object) === source.type && typeOf(machine, w.target.object) === target.type,
  );
  const sameNames = matches.find((w) => relativePath(w.source.object) === relativePath(source.path) && relativePath(w.target.object) === relativePath(target.path));
  const wire = sameNames ?? matches[0];
  if (wire === undefined) return undefined;
  const name = (endpoint: typeof wire.source, direction: 'in' | 'out') => {
    const spec = effectiveType(typeOf(machine, endpoint.object) ?? '')?.irqs.find((p) => p.name === endpoint.port && p.direction === direction);
    const single = spec !== undefined && spec.count === 1;
    return `${relativePath(endpoint.object)}.${endpoint.port}${single ? '' : `[${endpoint.index}]`}`;
  };
  return {
    machineType: id,
    title: machineTitle(id),
    object: relativePath(wire.source.object),
    sourceLine: wire.source.index,
    targetLine: wire.target.index,
    wire: `${name(wire.source, 'out')} → ${name(wire.target, 'in')}`,
  };
}
