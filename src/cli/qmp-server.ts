// QMP over a socket for `boardlab run -qmp`: a Unix socket or TCP on loopback, as QEMU's
// `-qmp unix:PATH,server=on,wait=off` and `-qmp tcp:127.0.0.1:PORT,server=on,wait=off`.
//
// One client at a time, as in QEMU: while a client is connected, a second one's connection is
// accepted by the system but not served — it gets no greeting, and what it sends waits — until the
// first client goes; then it gets the greeting and its waiting requests are answered in order.
import { createServer, type Server, type Socket } from 'node:net';
import { existsSync, unlinkSync } from 'node:fs';
import { QmpMonitor } from '../engine/qmp/monitor.ts';
import type { QmpServices } from '../engine/qmp/commands.ts';

export type QmpEndpoint = { kind: 'unix'; path: string } | { kind: 'tcp'; host: string; port: number };

export interface QmpSocketSpec {
  endpoint: QmpEndpoint;
  /** wait=on (QEMU's default for a server): do not start the machine before a client connects. */
  wait: boolean;
}

export class QmpSpecError extends Error {}

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '::1', '[::1]']);

/** Split a chardev option list on commas (",," is a comma). */
function splitOptions(text: string): string[] {
  const parts: string[] = [];
  let current = '';
  for (let i = 0; i < text.length; i++) {
    if (text[i] === ',' && text[i + 1] === ',') {
      current += ',';
      i++;
    } else if (text[i] === ',') {
      parts.push(current);
      current = '';
    } else current += text[i];
  }
  parts.push(current);
  return parts;
}

function onOff(option: string, value: string | undefined): boolean {
  if (value === undefined || value === 'on' || value === 'yes' || value === 'true') return true;
  if (value === 'off' || value === 'no' || value === 'false') return false;
  throw new QmpSpecError(`-qmp: ${option}=${value}: expected on or off`);
}

/** Parse a -qmp argument: unix:PATH or tcp:HOST:PORT, with server=on and wait=on|off. */
export function parseQmpSpec(spec: string): QmpSocketSpec {
  const [address, ...options] = splitOptions(spec);
  let server = false;
  let wait: boolean | undefined;
  for (const option of options) {
    const [key, value] = option.includes('=') ? [option.slice(0, option.indexOf('=')), option.slice(option.indexOf('=') + 1)] : [option, undefined];
    if (key === 'server') server = onOff(key, value);
    else if (key === 'wait') wait = onOff(key, value);
    else if (key === 'nowait' && value === undefined) wait = false;
    else throw new QmpSpecError(`-qmp ${spec}: BoardLab does not take the option "${key}" (it takes server=on and wait=on|off)`);
  }
  let endpoint: QmpEndpoint;
  if (address.startsWith('unix:')) {
    const path = address.slice('unix:'.length);
    if (path === '') throw new QmpSpecError(`-qmp ${spec}: unix: needs a socket path`);
    endpoint = { kind: 'unix', path };
  } else if (address.startsWith('tcp:')) {
    const rest = address.slice('tcp:'.length);
    const colon = rest.lastIndexOf(':');
    const host = colon < 0 ? '' : rest.slice(0, colon);
    const portText = colon < 0 ? rest : rest.slice(colon + 1);
    const port = Number(portText);
    if (portText === '' || !Number.isInteger(port) || port < 0 || port > 65535) throw new QmpSpecError(`-qmp ${spec}: "${portText}" is not a TCP port`);
    if (host !== '' && !LOOPBACK.has(host)) throw new QmpSpecError(`-qmp ${spec}: BoardLab's QMP monitor listens on loopback only (127.0.0.1, ::1 or localhost), not on "${host}"`);
    endpoint = { kind: 'tcp', host: host === '' || host === 'localhost' ? '127.0.0.1' : host.replace(/^\[|\]$/g, ''), port };
  } else {
    throw new QmpSpecError(`-qmp ${spec}: BoardLab's QMP monitor takes unix:PATH or tcp:127.0.0.1:PORT (with server=on)`);
  }
  if (!server) throw new QmpSpecError(`-qmp ${spec}: without server=on QEMU would connect to an existing socket; BoardLab's monitor listens, so add server=on`);
  return { endpoint, wait: wait ?? true };
}

/** A listening QMP socket serving one client at a time. */
export class QmpServer {
  private active: { socket: Socket; monitor: QmpMonitor } | undefined;
  private readonly waiting: Socket[] = [];
  private clientWaiters: Array<() => void> = [];
  private closing = false;

  private constructor(
    private readonly server: Server,
    readonly endpoint: QmpEndpoint,
    private readonly services: QmpServices,
  ) {
    server.on('connection', (socket) => this.accept(socket));
  }

  /** Listen on the endpoint (a stale Unix socket file is replaced, as QEMU does). */
  static async listen(endpoint: QmpEndpoint, services: QmpServices): Promise<QmpServer> {
    const server = createServer({ pauseOnConnect: true });
    if (endpoint.kind === 'unix' && existsSync(endpoint.path)) unlinkSync(endpoint.path);
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      if (endpoint.kind === 'unix') server.listen(endpoint.path, resolve);
      else server.listen(endpoint.port, endpoint.host, resolve);
    });
    const address = server.address();
    const bound: QmpEndpoint = endpoint.kind === 'tcp' && typeof address === 'object' && address !== null ? { ...endpoint, port: address.port } : endpoint;
    return new QmpServer(server, bound, services);
  }

  /** "unix:/tmp/x.sock" or "tcp:127.0.0.1:4444" (with the port actually bound). */
  get address(): string {
    return this.endpoint.kind === 'unix' ? `unix:${this.endpoint.path}` : `tcp:${this.endpoint.host}:${this.endpoint.port}`;
  }

  /** True while a client is being served. */
  get busy(): boolean {
    return this.active !== undefined;
  }

  /** Resolves when a client is connected (at once if one is). */
  waitForClient(): Promise<void> {
    if (this.active !== undefined) return Promise.resolve();
    return new Promise((resolve) => this.clientWaiters.push(resolve));
  }

  private accept(socket: Socket): void {
    if (this.closing) {
      socket.destroy();
      return;
    }
    socket.on('error', () => socket.destroy());
    if (this.active !== undefined) {
      // Busy: the connection waits, unread, until the current client leaves.
      this.waiting.push(socket);
      socket.once('close', () => {
        const index = this.waiting.indexOf(socket);
        if (index >= 0) this.waiting.splice(index, 1);
      });
      return;
    }
    this.serve(socket);
  }

  private serve(socket: Socket): void {
    const monitor = new QmpMonitor(this.services, { write: (text) => void (socket.writable && socket.write(text)) });
    this.active = { socket, monitor };
    socket.on('data', (chunk: Buffer) => monitor.feed(new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength)));
    socket.once('close', () => {
      monitor.close();
      if (this.active?.socket === socket) this.active = undefined;
      const next = this.waiting.shift();
      if (next !== undefined && !this.closing) this.serve(next);
    });
    monitor.start();
    socket.resume();
    const waiters = this.clientWaiters;
    this.clientWaiters = [];
    for (const resolve of waiters) resolve();
  }

  /** Stop listening; the current client gets what was written so far, then the connection ends. */
  async close(): Promise<void> {
    if (this.closing) return;
    this.closing = true;
    for (const socket of this.waiting.splice(0)) socket.destroy();
    const active = this.active;
    const closed = new Promise<void>((resolve) => this.server.close(() => resolve()));
    if (active !== undefined) {
      await active.monitor.settled();
      await new Promise<void>((resolve) => active.socket.end(() => resolve()));
      active.socket.destroy();
    }
    await closed;
    if (this.endpoint.kind === 'unix' && existsSync(this.endpoint.path)) {
      try {
        unlinkSync(this.endpoint.path);
      } catch {
        // already gone
      }
    }
  }
}

/** Features a Node host provides, for query-platforms. */
export function nodeHostFeatures(): string[] {
  const features = ['real-time', 'host-serial', 'qmp-socket', 'gdb-stub'];
  if (typeof SharedArrayBuffer === 'function') features.unshift('shared-memory');
  return features;
}
