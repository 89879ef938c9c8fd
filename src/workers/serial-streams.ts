// Which terminal each byte the guest prints goes to: one stream per UART (named by its path, in
// board order), each through its own shared ring (./serial-ring.ts), so the page shows a terminal
// per UART without a message per byte. A CPU's own console (ARM semihosting) goes to the terminal
// of the first UART that CPU can see — on a one-CPU board the console and the UART share a
// terminal, in the order printed, as before — and to a stream of its own when it sees no UART.
import { cpuAddressSpace, type ResolvedBoard } from '../graph/index.ts';

/** Shared rings the page allocates; a board with more streams puts the rest in the last one. */
export const SERIAL_RING_COUNT = 8;

export interface SerialStream {
  /** The ring this stream's bytes flow through. */
  ring: number;
  /** The UART's path, or (kind "console") the path of the CPU whose console this is. */
  path: string;
  /** "uart": typing in its terminal goes to this UART. "console": a CPU's semihosting output only. */
  kind: 'uart' | 'console';
  /** CPUs whose semihosting console prints here too. */
  consoles: string[];
}

/** The streams of a board and the ring each source (a UART's or a CPU's path) writes to. */
export interface SerialRouting {
  streams: SerialStream[];
  ringOf: ReadonlyMap<string, number>;
}

/** The CPUs of a board that print through semihosting (ARM cores with it on). */
function consoleCpus(board: ResolvedBoard): ResolvedBoard['objects'] {
  return board.objects.filter((o) => !o.composite && o.props.semihosting === true);
}

/**
 * Streams for the UARTs at `uartPaths` (board order) and the board's semihosting consoles, over
 * `ringCount` rings: stream n gets ring n, and streams past the last ring share it.
 */
export function serialRouting(board: ResolvedBoard, uartPaths: readonly string[], ringCount = SERIAL_RING_COUNT): SerialRouting {
  const streams: SerialStream[] = uartPaths.map((path) => ({ ring: 0, path, kind: 'uart', consoles: [] }));
  for (const cpu of consoleCpus(board)) {
    const spaces = new Set(['system', cpuAddressSpace(cpu)]);
    const seen = streams.find((s) => s.kind === 'uart' && board.memory.some((m) => m.object === s.path && spaces.has(m.space)));
    if (seen) seen.consoles.push(cpu.path);
    else streams.push({ ring: 0, path: cpu.path, kind: 'console', consoles: [cpu.path] });
  }
  const ringOf = new Map<string, number>();
  streams.forEach((stream, index) => {
    stream.ring = Math.min(index, ringCount - 1);
    ringOf.set(stream.path, stream.ring);
    for (const cpu of stream.consoles) ringOf.set(cpu, stream.ring);
  });
  return { streams, ringOf };
}
