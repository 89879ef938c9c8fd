// Where `boardlab run` sends each UART: QEMU's -serial options, in board order or by name.
//
//   -serial stdio | mon:stdio | null | none | file:PATH
//                         the first such option is the board's first serial device, the second its
//                         second, … (QEMU's convention: serial devices in board order)
//   -serial NAME=BACKEND  the serial device NAME (its object name or path: uart0, m3uart, /soc/uart0)
//
// A UART no -serial option reaches: with no positional -serial, it goes to stdout (BoardLab's
// default: a board with one UART behaves as QEMU's -nographic; on a board with several, their
// output interleaves, and naming one -serial m3uart=file:m3.log takes just that one out). Once a
// positional -serial is given, QEMU's convention holds whole: the serial devices past those given
// one are not connected (null). stdin goes to the first UART routed to stdio. Extra positional
// -serial options (more than the board has UARTs) are ignored, as QEMU ignores them, with a note.
import { closeSync, openSync, writeSync } from 'node:fs';
import { relativePath } from '../graph/index.ts';
import { InputError, describeFsError } from './board-files.ts';

export type SerialBackend = { kind: 'stdio' } | { kind: 'null' } | { kind: 'file'; path: string };

export interface SerialSpec {
  /** The option as given, for messages ("-serial m3uart=file:out.txt"). */
  option: string;
  /** The device it names, or undefined for the next one in board order. */
  name?: string;
  backend: SerialBackend;
}

function parseBackend(option: string, text: string): SerialBackend {
  if (text === 'stdio' || text === 'mon:stdio') return { kind: 'stdio' };
  if (text === 'null' || text === 'none') return { kind: 'null' };
  if (text.startsWith('file:') && text.length > 'file:'.length) return { kind: 'file', path: text.slice('file:'.length) };
  throw new InputError(`${option}: BoardLab's CLI connects a UART to stdio, null (none) or file:PATH, optionally named: -serial uart0=stdio, -serial m3uart=file:m3.log`);
}

/** Every -serial option of a QEMU argument list, in order. Throws InputError for one BoardLab cannot do. */
export function parseSerialSpecs(qemuArgs: readonly string[]): SerialSpec[] {
  const specs: SerialSpec[] = [];
  for (let i = 0; i < qemuArgs.length; i++) {
    if (qemuArgs[i] !== '-serial' && qemuArgs[i] !== '--serial') continue;
    const value = qemuArgs[i + 1];
    if (value === undefined) throw new InputError('-serial needs an argument');
    const option = `-serial ${value}`;
    // NAME=BACKEND; a backend never has "=" before its first ":" (file:a=b is a file named a=b)
    const named = /^([A-Za-z_/][A-Za-z0-9_/.-]*)=(.+)$/.exec(value);
    if (named !== null && !named[1].includes(':')) specs.push({ option, name: named[1], backend: parseBackend(option, named[2]) });
    else specs.push({ option, backend: parseBackend(option, value) });
  }
  return specs;
}

/** The backend of each serial device (paths in board order), by path; notes for options that name none. */
export function routeSerials(specs: readonly SerialSpec[], serialPaths: readonly string[]): { routes: Map<string, SerialBackend>; notes: string[] } {
  const routes = new Map<string, SerialBackend>();
  const notes: string[] = [];
  if (specs.length === 0) {
    for (const path of serialPaths) routes.set(path, { kind: 'stdio' });
    return { routes, notes };
  }
  const names = serialPaths.map((path) => relativePath(path)).join(', ') || 'none';
  let next = 0;
  for (const spec of specs) {
    if (spec.name === undefined) {
      const path = serialPaths[next++];
      if (path === undefined) notes.push(`${spec.option}: the board has ${serialPaths.length} serial device${serialPaths.length === 1 ? '' : 's'}; ignored, as QEMU ignores it`);
      else routes.set(path, spec.backend);
      continue;
    }
    const wanted = spec.name.replace(/^\/+/, '');
    const path = serialPaths.find((p) => relativePath(p) === wanted || relativePath(p).split('/').pop() === wanted);
    if (path === undefined) throw new InputError(`${spec.option}: the board has no serial device "${spec.name}" (its serial devices: ${names})`);
    routes.set(path, spec.backend);
  }
  const positional = specs.some((spec) => spec.name === undefined);
  for (const path of serialPaths) if (!routes.has(path)) routes.set(path, { kind: positional ? 'null' : 'stdio' });
  return { routes, notes };
}

/** The open ends of the routes: bytes to stdout or to files, and which UART stdin feeds. */
export class SerialSinks {
  private readonly fds = new Map<string, number>();
  private readonly writers = new Map<string, (byte: number) => void>();
  private readonly pending = new Map<number, number[]>();
  /** The UART stdin goes to: the first routed to stdio (undefined: none is). */
  readonly inputPath: string | undefined;

  constructor(
    routes: ReadonlyMap<string, SerialBackend>,
    specs: readonly SerialSpec[],
    stdout: (byte: number) => void,
  ) {
    let inputPath: string | undefined;
    for (const [uart, backend] of routes) {
      if (backend.kind === 'stdio') {
        inputPath ??= uart;
        this.writers.set(uart, stdout);
      } else if (backend.kind === 'file') {
        let fd = this.fds.get(backend.path);
        if (fd === undefined) {
          try {
            fd = openSync(backend.path, 'w');
          } catch (error) {
            this.close();
            const option = specs.find((s) => s.backend.kind === 'file' && s.backend.path === backend.path)?.option ?? `-serial file:${backend.path}`;
            throw new InputError(`${option}: cannot write ${backend.path}: ${describeFsError(error)}`);
          }
          this.fds.set(backend.path, fd);
          this.pending.set(fd, []);
        }
        const buffer = this.pending.get(fd)!;
        this.writers.set(uart, (byte) => buffer.push(byte));
      }
    }
    this.inputPath = inputPath;
  }

  /** A byte the UART `path` transmitted. */
  write(path: string, byte: number): void {
    this.writers.get(path)?.(byte);
  }

  /** Write what the file routes hold. */
  flush(): void {
    for (const [fd, bytes] of this.pending) if (bytes.length > 0) writeSync(fd, Uint8Array.from(bytes.splice(0)));
  }

  close(): void {
    this.flush();
    for (const fd of this.fds.values()) closeSync(fd);
    this.fds.clear();
    this.pending.clear();
  }
}
