// The terminal's tabs: one per serial stream of the running board (a UART, or a CPU's semihosting
// console that sees no UART: ../workers/serial-streams.ts), named by the UART's path.
import type { SerialStream } from '../workers/machine-devices.ts';
import { relative } from './views.ts';

/** A tab: the streams of one ring (several only when a board has more streams than rings). */
export interface TerminalTab {
  ring: number;
  label: string;
  title: string;
  /** The UART typing goes to, or null (a semihosting console). */
  uart: string | null;
}

export function terminalTabs(streams: readonly SerialStream[]): TerminalTab[] {
  const tabs: TerminalTab[] = [];
  for (const stream of streams) {
    const name = stream.kind === 'console' ? `${relative(stream.path)} semihosting` : relative(stream.path);
    const also = stream.kind === 'uart' && stream.consoles.length > 0 ? ` (and the semihosting console of ${stream.consoles.map(relative).join(', ')})` : '';
    const existing = tabs.find((t) => t.ring === stream.ring);
    if (existing) {
      existing.label += ` + ${name}`;
      existing.title += `; ${stream.path}${also}`;
      continue;
    }
    tabs.push({ ring: stream.ring, label: name, title: `${stream.path}${also}`, uart: stream.kind === 'uart' ? stream.path : null });
  }
  return tabs;
}
