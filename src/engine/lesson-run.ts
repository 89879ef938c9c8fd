// What a lesson's run checks look at (src/graph/lesson-checks.ts RunObservations), gathered from a
// running Machine: UART output, LEDs lit and toggled, traps each CPU took, registers at symbols,
// the finisher's code. Traps come from the machine's trap listeners (./trap-events.ts); an LED's
// observer is chained onto the one already there, so the page's display keeps working.
import { isA, objectMatches, type RegisterWatch, type ResolvedBoard, type RunObservations } from '../graph/index.ts';
import { SymbolTable } from '../graph/elf-symbols.ts';
import type { Machine } from './machine.ts';
import type { Led } from './devices/led.ts';

/** Where a register watch stops: a CPU, the address of its symbol, and the registers to read there. */
interface WatchPoint {
  cpu: string;
  address: number;
  symbol: string;
  registers: Array<{ name: string; index: number }>;
}

export class LessonRunObserver {
  private readonly text = new Map<string, number[]>();
  private readonly lit = new Set<string>();
  private readonly changes = new Map<string, number>();
  private readonly traps = new Set<string>();
  private readonly registers: RunObservations['registers'] = [];
  private readonly watchPoints: WatchPoint[] = [];
  private machine: Machine | undefined;

  /** For MachineOptions.onSerialOutput (the machine must be built with it). */
  readonly onSerialOutput = (path: string, byte: number): void => {
    let bytes = this.text.get(path);
    if (bytes === undefined) this.text.set(path, (bytes = []));
    bytes.push(byte);
  };

  /**
   * Start observing a machine built with onSerialOutput above. `symbols`: each CPU's firmware
   * symbols (by CPU path), for the register watches; a watch whose symbol a CPU lacks is skipped.
   */
  attach(machine: Machine, board: ResolvedBoard, symbols: ReadonlyMap<string, SymbolTable>, watches: readonly RegisterWatch[]): void {
    this.machine = machine;
    const types = new Map(board.objects.map((o) => [o.path, o.type]));
    machine.addTrapListener((event) => this.traps.add(`${event.cpu}\n${event.causeName}`));
    for (const path of machine.cpuPaths) {
      const cpu = machine.cpu(path)!;
      const table = symbols.get(path);
      for (const watch of watches) {
        if (watch.cpu !== undefined && !objectMatches(watch.cpu, { path, type: types.get(path) ?? '' })) continue;
        const address = table?.valueOf(watch.symbol);
        const index = cpu.debug.registers.findIndex((r) => r.name === watch.register || r.aliases.includes(watch.register));
        if (address === undefined || index < 0) continue;
        let point = this.watchPoints.find((p) => p.cpu === path && p.address === address >>> 0);
        if (point === undefined) this.watchPoints.push((point = { cpu: path, address: address >>> 0, symbol: watch.symbol, registers: [] }));
        point.registers.push({ name: watch.register, index });
        cpu.breakpoints.add(address >>> 0);
      }
    }
    for (const [path, device] of machine.devices) {
      if (!isA(machine.deviceTypes.get(path) ?? '', 'led')) continue;
      const led = device as Led;
      const previous = led.onChange;
      if (led.lit) this.lit.add(path);
      led.onChange = (on) => {
        previous?.(on);
        if (on) this.lit.add(path);
        this.changes.set(path, (this.changes.get(path) ?? 0) + 1);
      };
    }
  }

  /** Set the watches' breakpoints again (a debugger that sets its own clears a CPU's set). */
  rearm(): void {
    for (const point of this.watchPoints) this.machine?.cpu(point.cpu)?.breakpoints.add(point.address);
  }

  /**
   * After a run() of the machine: when it stopped at one of the watches' breakpoints, read the
   * registers and let the CPU go on past it; true when it did (the caller runs on).
   */
  takeBreakpoint(): boolean {
    const machine = this.machine;
    const path = machine?.stoppedAtBreakpoint;
    if (machine === undefined || path === null || path === undefined) return false;
    const cpu = machine.cpu(path)!;
    const pc = cpu.pc >>> 0;
    const points = this.watchPoints.filter((p) => p.cpu === path && p.address === pc);
    if (points.length === 0) return false;
    for (const point of points)
      for (const register of point.registers) this.registers.push({ cpu: path, symbol: point.symbol, register: register.name, value: cpu.debug.readRegister(register.index) ?? 0 });
    cpu.passBreakpointHere();
    return true;
  }

  observations(): RunObservations {
    const decoder = new TextDecoder();
    const exit = this.machine?.exit;
    return {
      uart: Object.fromEntries([...this.text].map(([path, bytes]) => [path, decoder.decode(new Uint8Array(bytes))])),
      ledsLit: [...this.lit],
      // lit and dark again: two changes (an LED lit at reset needs one to go dark, and one to come back)
      ledsToggled: [...this.changes].filter(([, count]) => count >= 2).map(([path]) => path),
      traps: [...this.traps].map((key) => {
        const [cpu, cause] = key.split('\n');
        return { cpu, cause };
      }),
      registers: [...this.registers],
      exit: exit === null || exit === undefined ? null : exit.code,
    };
  }
}

/** Instructions per run() call between looks at breakpoints and limits. */
const RUN_CHUNK = 1_000_000;

export interface LessonRunLimits {
  maxInstructions: number;
  /** Virtual time, in nanoseconds. */
  maxVirtualNs: number;
}

/**
 * Instructions between two typed keys: the input arrives one key at a time, as a student types it,
 * so a handler that takes only the first interrupt (say, one that never completes it at the PLIC)
 * fails here as it does in the page. A whole line offered at once would sit in the UART's FIFO and
 * be read by that first interrupt.
 */
const INPUT_CHUNK = 10_000;

/** How a lesson run ended. */
export type LessonRunEnd = 'finished' | 'idle' | 'faulting' | 'limit';

/**
 * Run a built machine (observed by `observer`) until the guest stops the board, every CPU waits
 * for an interrupt nothing can raise, a CPU is caught faulting, or a limit is reached; `input` is
 * typed into the board's first UART as it takes it.
 */
export function runObserved(machine: Machine, observer: LessonRunObserver, limits: LessonRunLimits, input: Uint8Array = new Uint8Array()): LessonRunEnd {
  let executed = 0;
  let typed = 0;
  const uart = machine.serialPort();
  for (;;) {
    if (machine.halted) return 'finished';
    if (executed >= limits.maxInstructions || machine.clock.now() >= limits.maxVirtualNs) return 'limit';
    // typed input goes into the first UART one key per INPUT_CHUNK, when its receive FIFO has room
    if (uart !== undefined && typed < input.length && uart.receiveSpace > 0) typed += uart.receive(input.subarray(typed, typed + 1));
    const chunk = typed < input.length ? INPUT_CHUNK : RUN_CHUNK;
    const ran = machine.run(Math.min(chunk, limits.maxInstructions - executed), limits.maxVirtualNs);
    executed += ran;
    if (observer.takeBreakpoint()) continue;
    if (machine.halted) return 'finished';
    if (machine.stoppedAtFault !== null) return 'faulting';
    if (ran === 0 && machine.idle && !(uart !== undefined && typed < input.length && uart.receiveSpace > 0)) return 'idle';
    if (ran === 0 && machine.stoppedAtBreakpoint !== null) machine.passBreakpoints(); // someone else's breakpoint: go on
  }
}

/** Each CPU's firmware symbols, from the ELF images the board loads into it. */
export function cpuSymbols(board: ResolvedBoard, images: ReadonlyMap<string, Uint8Array>): Map<string, SymbolTable> {
  const tables = new Map<string, SymbolTable>();
  for (const image of board.images) {
    const bytes = images.get(image.file);
    if (image.cpu === undefined || image.format !== 'elf' || bytes === undefined) continue;
    try {
      tables.set(image.cpu, SymbolTable.fromElf(bytes));
    } catch {
      // an ELF without symbols: register checks on it cannot pass, which they report
    }
  }
  return tables;
}
