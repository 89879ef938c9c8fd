// The GDB stub over TCP for `boardlab run -gdb tcp::PORT` (QEMU's option; `-s` is `-gdb tcp::1234`).
// It listens on loopback only and serves one client: a second connection while one is attached is
// closed at once. While a client is attached the stub drives the machine itself (gdb's continue and
// step); the caller must not run the machine then (see `attached` and `changed()`). When gdb
// detaches, disconnects or kills the target, the machine is the caller's again.
import { createServer, type Server, type Socket } from 'node:net';
import type { Machine } from '../engine/machine.ts';
import { GdbStub, type GdbStubEvent, type GdbStubOptions } from '../engine/gdb/stub.ts';

export interface GdbEndpoint {
  host: string;
  port: number;
  /** -gdb CPU=tcp::PORT: the CPU (name or path) whose architecture this stub serves (default: the first CPU's). */
  cpu?: string;
}

export class GdbSpecError extends Error {}

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '::1', '[::1]']);

/** Parse a -gdb argument: tcp::PORT, tcp:127.0.0.1:PORT, tcp:localhost:PORT, tcp:[::1]:PORT (or a bare PORT), optionally CPU= before it. */
export function parseGdbSpec(given: string): GdbEndpoint {
  const named = /^([A-Za-z_/][A-Za-z0-9_/.-]*)=(.*)$/.exec(given);
  const cpu = named?.[1];
  const spec = named === null ? given : named[2];
  const address = spec.startsWith('tcp:') ? spec.slice('tcp:'.length) : /^\d+$/.test(spec) ? `:${spec}` : undefined;
  if (address === undefined) throw new GdbSpecError(`-gdb ${spec}: BoardLab's GDB stub takes tcp::PORT or tcp:127.0.0.1:PORT`);
  const colon = address.lastIndexOf(':');
  const host = colon < 0 ? '' : address.slice(0, colon);
  const portText = colon < 0 ? address : address.slice(colon + 1);
  const port = Number(portText);
  if (portText === '' || !Number.isInteger(port) || port < 0 || port > 65535) throw new GdbSpecError(`-gdb ${spec}: "${portText}" is not a TCP port`);
  if (host !== '' && !LOOPBACK.has(host)) throw new GdbSpecError(`-gdb ${spec}: BoardLab's GDB stub listens on loopback only (127.0.0.1, ::1 or localhost), not on "${host}"`);
  return { host: host === '' || host === 'localhost' ? '127.0.0.1' : host.replace(/^\[|\]$/g, ''), port, ...(cpu !== undefined && { cpu }) };
}

/**
 * The CPUs each -gdb stub serves, by architecture: the first stub the first CPU's architecture
 * (unless named), a named one its CPU's; every CPU of that architecture is a thread of the stub.
 * Throws GdbSpecError for a name that is no CPU, or two stubs for one architecture.
 */
export function gdbClusters(endpoints: readonly GdbEndpoint[], cpus: ReadonlyArray<{ path: string; target: string }>): string[][] {
  const relative = (path: string) => path.replace(/^\/machine\//, '');
  const byTarget = new Map<string, string>();
  return endpoints.map((endpoint) => {
    const spec = `-gdb ${endpoint.cpu !== undefined ? `${endpoint.cpu}=` : ''}tcp:${endpoint.host}:${endpoint.port}`;
    const wanted = endpoint.cpu?.replace(/^\/+/, '');
    const cpu = wanted === undefined ? cpus[0] : cpus.find((c) => relative(c.path) === wanted || relative(c.path).split('/').pop() === wanted);
    if (cpu === undefined) throw new GdbSpecError(`${spec}: the board has no CPU "${endpoint.cpu}" (its CPUs: ${cpus.map((c) => relative(c.path)).join(', ') || 'none'})`);
    const taken = byTarget.get(cpu.target);
    if (taken !== undefined) throw new GdbSpecError(`${spec}: ${taken} already serves the ${cpu.target} CPUs; one stub per architecture (name a CPU of another: -gdb ${relative(cpus.find((c) => c.target !== cpu.target)?.path ?? 'cpu')}=tcp::PORT)`);
    byTarget.set(cpu.target, spec);
    return cpus.filter((c) => c.target === cpu.target).map((c) => c.path);
  });
}

export type GdbServerEvent = GdbStubEvent | { kind: 'attach' } | { kind: 'disconnect' };

export interface GdbServerOptions extends GdbStubOptions {
  /** TCP port; 0 picks a free one (see the returned `port`). */
  port: number;
  /** Loopback address to listen on (default 127.0.0.1). */
  host?: string;
}

export interface GdbServer {
  readonly host: string;
  /** The port listened on (the chosen one when 0 was asked for). */
  readonly port: number;
  /** A gdb client is connected and has not detached: it drives the machine, the caller must not. */
  readonly attached: boolean;
  /** The stub serving the current client, if any. */
  readonly stub: GdbStub | undefined;
  /** Resolves when a client is attached (at once if one is). */
  waitForClient(): Promise<void>;
  /** Resolves at the next event (attach, resume, stop, exit, detach, kill, disconnect). */
  changed(): Promise<void>;
  onEvent(listener: (event: GdbServerEvent) => void): () => void;
  /** Stop listening and drop the client. */
  close(): Promise<void>;
}

/** Listen for gdb on loopback; the machine is driven by the stub while a client is attached. */
export async function startGdbServer(machine: Machine, options: GdbServerOptions): Promise<GdbServer> {
  const host = options.host ?? '127.0.0.1';
  if (!LOOPBACK.has(host)) throw new GdbSpecError(`the GDB stub listens on loopback only, not on "${host}"`);
  const listeners: Array<(event: GdbServerEvent) => void> = [];
  let waiters: Array<() => void> = [];
  let client: { socket: Socket; stub: GdbStub } | undefined;

  const emit = (event: GdbServerEvent) => {
    for (const listener of [...listeners]) listener(event);
    const wake = waiters;
    waiters = [];
    for (const resolve of wake) resolve();
  };

  const drop = (socket: Socket, event: GdbServerEvent) => {
    if (client?.socket !== socket) return;
    client.stub.close();
    client = undefined;
    socket.end();
    emit(event);
  };

  const server: Server = createServer((socket) => {
    if (client !== undefined) {
      socket.destroy(); // one client at a time
      return;
    }
    socket.setNoDelay(true);
    const stub = new GdbStub(machine, (bytes) => {
      if (!socket.destroyed) socket.write(bytes);
    }, options);
    client = { socket, stub };
    stub.onEvent((event) => {
      if (event.kind === 'detach' || event.kind === 'kill') drop(socket, event);
      else emit(event);
    });
    socket.on('data', (data: Buffer) => stub.receive(new Uint8Array(data.buffer, data.byteOffset, data.byteLength)));
    socket.on('error', () => {});
    socket.on('close', () => drop(socket, { kind: 'disconnect' }));
    emit({ kind: 'attach' });
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address();
  const port = typeof address === 'object' && address !== null ? address.port : options.port;

  const onEvent = (listener: (event: GdbServerEvent) => void): (() => void) => {
    listeners.push(listener);
    return () => {
      const i = listeners.indexOf(listener);
      if (i >= 0) listeners.splice(i, 1);
    };
  };

  return {
    host,
    port,
    get attached() {
      return client !== undefined;
    },
    get stub() {
      return client?.stub;
    },
    waitForClient() {
      if (client !== undefined) return Promise.resolve();
      return new Promise<void>((resolve) => {
        const off = onEvent((event) => {
          if (event.kind === 'attach') {
            off();
            resolve();
          }
        });
      });
    },
    changed() {
      return new Promise<void>((resolve) => waiters.push(resolve));
    },
    onEvent,
    async close() {
      if (client !== undefined) {
        client.stub.close();
        client.socket.destroy();
        client = undefined;
      }
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
