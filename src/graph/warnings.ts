// Warnings about a board that resolves and runs but probably does not do what its author meant:
// an IRQ wire into a line the device documents as never raised (PLIC source 0), or into an input
// that a device of another kind is meant to drive (a UART straight into a hart's external
// interrupt, which an interrupt controller is meant to drive). Both come from catalog data
// (IrqPortSpec.reserved, IrqPortSpec.drivenBy), so a new device type gets them by declaring them.
// And a CPU whose timer interrupt comes from a time base (a CLINT) while its time-base property
// links to nothing: its time counter then reads virtual time, not that device's counter.
import { effectiveType, irqLineCount, isA, type IrqPortSpec } from './catalog.ts';
import type { BoardProblem } from './problems.ts';
import type { ResolvedBoard, ResolvedIrq } from './resolve.ts';
import { relativePath } from './references.ts';

function portSpec(board: ResolvedBoard, object: string, port: string, direction: 'in' | 'out'): { spec: IrqPortSpec; type: string } | undefined {
  const type = board.objects.find((o) => o.path === object)?.type;
  const spec = type === undefined ? undefined : effectiveType(type)?.irqs.find((p) => p.name === port && p.direction === direction);
  return spec && type ? { spec, type } : undefined;
}

/** "interrupt-controller" → "an interrupt controller". */
export function kindPhrase(kind: string): string {
  const words = kind.replace(/-/g, ' ');
  return `${/^[aeiou]/i.test(words) ? 'an' : 'a'} ${words}`;
}

/** The usable lines of an input: 0 … count-1 without the reserved ones. */
export function usableLines(spec: IrqPortSpec, count: number): number[] {
  const reserved = new Set(spec.reserved?.lines ?? []);
  return Array.from({ length: Math.max(0, count) }, (_, i) => i).filter((i) => !reserved.has(i));
}

const lineName = (endpoint: ResolvedIrq['source'], count: number) => `${relativePath(endpoint.object)}.${endpoint.port}${count > 1 ? `[${endpoint.index}]` : ''}`;

function lineCount(board: ResolvedBoard, object: string, spec: IrqPortSpec): number {
  return irqLineCount(spec, board.objects.find((o) => o.path === object)?.props ?? {});
}

/** Warnings (severity "warning") about the board's IRQ wiring; each points at the wire's "to". */
export function boardWarnings(board: ResolvedBoard): BoardProblem[] {
  const warnings: BoardProblem[] = [];
  const seen = new Set<string>();
  const warn = (pointer: string, message: string, hint: string) => {
    const key = `${pointer}\u0000${message}`;
    if (seen.has(key)) return;
    seen.add(key);
    warnings.push({ pointer, message, hint, severity: 'warning' });
  };
  for (const wire of board.irqs) {
    const target = portSpec(board, wire.target.object, wire.target.port, 'in');
    const source = portSpec(board, wire.source.object, wire.source.port, 'out');
    if (!target || !source) continue;
    // A wire of the board's own document points at its "to"; an inherited one at what it came from.
    const pointer = /^\/irqs\/\d+$/.test(wire.pointer) ? `${wire.pointer}/to` : wire.pointer;
    const targetCount = lineCount(board, wire.target.object, target.spec);
    const from = lineName(wire.source, lineCount(board, wire.source.object, source.spec));
    const to = lineName(wire.target, targetCount);
    const reserved = target.spec.reserved;
    if (reserved?.lines.includes(wire.target.index)) {
      const usable = usableLines(target.spec, targetCount);
      warn(
        pointer,
        `${from} is wired to ${to}, a line ${relativePath(wire.target.object)} never raises (${reserved.doc}), so it will never interrupt`,
        usable.length > 0 ? `Wire it to ${relativePath(wire.target.object)}.${wire.target.port}[${usable[0]}] or another line from ${usable[0]} to ${usable[usable.length - 1]}.` : 'Wire it to another input.',
      );
    }
    const kind = target.spec.drivenBy;
    if (kind !== undefined && !isA(source.type, kind)) {
      warn(
        pointer,
        `${to} is meant to be driven by ${kindPhrase(kind)}, but ${from} (${source.type}) drives it`,
        `${target.spec.doc} Wire ${from} to ${kindPhrase(kind)}'s input and that device's output to ${to}.`,
      );
    }
  }
  for (const warning of timeBaseWarnings(board)) warn(warning.pointer, warning.message, warning.hint);
  return warnings;
}

/** CPUs wired to a time base's interrupt (a CLINT's mtip) with no time-base link: each a warning at the CPU's props. */
function timeBaseWarnings(board: ResolvedBoard): BoardProblem[] {
  const byPath = new Map(board.objects.map((o) => [o.path, o]));
  const warnings: BoardProblem[] = [];
  const warned = new Set<string>();
  for (const wire of board.irqs) {
    const cpu = byPath.get(wire.target.object);
    const source = byPath.get(wire.source.object);
    if (cpu === undefined || source === undefined || warned.has(cpu.path)) continue;
    if (!isA(cpu.type, 'cpu') || !isA(source.type, 'time-base') || !('time-base' in cpu.props) || cpu.props['time-base'] !== null) continue;
    warned.add(cpu.path);
    const name = relativePath(cpu.path);
    const timer = relativePath(source.path);
    warnings.push({
      pointer: `${cpu.pointer}/props`,
      message: `${name} takes its ${wire.target.port} interrupt from ${timer}, but its time-base links to nothing: its time counter reads virtual time at 10 MHz, not ${timer}'s counter`,
      hint: `Set "time-base": "${timer}" in ${name}'s props.`,
      severity: 'warning',
    });
  }
  return warnings;
}
