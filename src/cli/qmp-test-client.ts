// A small QMP client for tests: connects to a Unix or TCP socket, collects lines, and sends
// requests. Used by the QMP socket tests and the QEMU comparison.
import { connect, type Socket } from 'node:net';
import { existsSync } from 'node:fs';

export type QmpLine = Record<string, unknown>;

export class QmpTestClient {
  readonly lines: QmpLine[] = [];
  /** Raw text received, for byte-level checks. */
  text = '';
  closed = false;
  private buffer = '';
  private waiters: Array<() => void> = [];
  private nextId = 1;

  private constructor(private readonly socket: Socket) {
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => {
      this.text += chunk;
      this.buffer += chunk;
      let end: number;
      while ((end = this.buffer.indexOf('\n')) >= 0) {
        const line = this.buffer.slice(0, end).replace(/\r$/, '');
        this.buffer = this.buffer.slice(end + 1);
        if (line.trim() !== '') this.lines.push(JSON.parse(line) as QmpLine);
      }
      this.notify();
    });
    socket.on('close', () => {
      this.closed = true;
      this.notify();
    });
    socket.on('error', () => undefined);
  }

  static async connect(address: { path: string } | { host: string; port: number }, timeoutMs = 10_000): Promise<QmpTestClient> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      try {
        if ('path' in address && !existsSync(address.path)) throw new Error('no socket yet');
        const socket = await new Promise<Socket>((resolve, reject) => {
          const s = 'path' in address ? connect(address.path) : connect(address.port, address.host);
          s.once('connect', () => resolve(s));
          s.once('error', reject);
        });
        return new QmpTestClient(socket);
      } catch (error) {
        if (Date.now() > deadline) throw error;
        await new Promise((resolve) => setTimeout(resolve, 25));
      }
    }
  }

  private notify(): void {
    const waiters = this.waiters;
    this.waiters = [];
    for (const resolve of waiters) resolve();
  }

  /** Wait until `predicate` holds for the lines received (or the timeout passes: then false). */
  async until(predicate: (lines: QmpLine[]) => boolean, timeoutMs = 10_000): Promise<boolean> {
    const deadline = Date.now() + timeoutMs;
    while (!predicate(this.lines)) {
      if (this.closed || Date.now() > deadline) return predicate(this.lines);
      await Promise.race([new Promise<void>((resolve) => this.waiters.push(resolve)), new Promise((resolve) => setTimeout(resolve, Math.max(1, deadline - Date.now())))]);
    }
    return true;
  }

  write(data: string | Uint8Array): void {
    this.socket.write(data);
  }

  /** Send a request with a fresh id and wait for its reply (events before it stay in `lines`). */
  async execute(command: string, args?: unknown, timeoutMs = 10_000): Promise<QmpLine> {
    const id = `t${this.nextId++}`;
    this.write(`${JSON.stringify({ execute: command, ...(args === undefined ? {} : { arguments: args }), id })}\n`);
    const found = await this.until((lines) => lines.some((l) => l.id === id), timeoutMs);
    if (!found) throw new Error(`no reply to ${command} within ${timeoutMs} ms`);
    const reply = this.lines.find((l) => l.id === id)!;
    const { id: _id, ...rest } = reply;
    return rest;
  }

  /** Send raw text and wait for `count` more lines. */
  async raw(text: string | Uint8Array, count = 1, timeoutMs = 10_000): Promise<QmpLine[]> {
    const from = this.lines.length;
    this.write(text);
    await this.until((lines) => lines.length >= from + count, timeoutMs);
    return this.lines.slice(from);
  }

  /** Send raw text, wait for `count` more lines, and return the text received meanwhile (byte for byte). */
  async rawText(text: string | Uint8Array, count = 1, timeoutMs = 10_000): Promise<string> {
    const from = this.text.length;
    await this.raw(text, count, timeoutMs);
    return this.text.slice(from);
  }

  events(name?: string): QmpLine[] {
    return this.lines.filter((l) => 'event' in l && (name === undefined || l.event === name));
  }

  close(): void {
    this.socket.end();
    this.socket.destroy();
  }

  async closedByPeer(timeoutMs = 10_000): Promise<boolean> {
    return this.until(() => this.closed, timeoutMs);
  }
}
