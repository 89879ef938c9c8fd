import { connect, type Socket } from 'node:net';
import { describe, expect, it } from 'vitest';
import { PacketDecoder, framePacket, stringToBytes } from '../engine/gdb/packets.ts';
import { firmware, virtMachine } from '../engine/gdb/testing.ts';
import { GdbSpecError, gdbClusters, parseGdbSpec, startGdbServer, type GdbServerEvent } from './gdb-server.ts';

describe('-gdb option', () => {
  it('takes tcp::PORT and loopback hosts, refuses others', () => {
    expect(parseGdbSpec('tcp::1234')).toEqual({ host: '127.0.0.1', port: 1234 });
    expect(parseGdbSpec('tcp:127.0.0.1:1234')).toEqual({ host: '127.0.0.1', port: 1234 });
    expect(parseGdbSpec('tcp:localhost:0')).toEqual({ host: '127.0.0.1', port: 0 });
    expect(parseGdbSpec('tcp:[::1]:9')).toEqual({ host: '::1', port: 9 });
    expect(parseGdbSpec('1234')).toEqual({ host: '127.0.0.1', port: 1234 });
    expect(() => parseGdbSpec('tcp:0.0.0.0:1234')).toThrow(/loopback only/);
    expect(() => parseGdbSpec('tcp::99999')).toThrow(GdbSpecError);
    expect(() => parseGdbSpec('unix:/tmp/gdb')).toThrow(/tcp::PORT/);
  });

  it('takes CPU=tcp::PORT; each stub serves one architecture: the first CPU\'s, or the named CPU\'s', () => {
    expect(parseGdbSpec('m3=tcp::1235')).toEqual({ host: '127.0.0.1', port: 1235, cpu: 'm3' });
    const amp = [
      { path: '/machine/hart', target: 'riscv32' },
      { path: '/machine/m3', target: 'arm' },
    ];
    expect(gdbClusters([parseGdbSpec('tcp::1234'), parseGdbSpec('m3=tcp::1235')], amp)).toEqual([['/machine/hart'], ['/machine/m3']]);
    expect(gdbClusters([parseGdbSpec('/m3=tcp::1235')], amp)).toEqual([['/machine/m3']]);
    // an SMP board: one stub, every hart a thread
    const smp = [0, 1, 2].map((i) => ({ path: `/machine/cpu${i}`, target: 'riscv32' }));
    expect(gdbClusters([parseGdbSpec('tcp::1234')], smp)).toEqual([['/machine/cpu0', '/machine/cpu1', '/machine/cpu2']]);
    expect(() => gdbClusters([parseGdbSpec('m4=tcp::1235')], amp)).toThrow('-gdb m4=tcp:127.0.0.1:1235: the board has no CPU "m4" (its CPUs: hart, m3)');
    expect(() => gdbClusters([parseGdbSpec('tcp::1234'), parseGdbSpec('hart=tcp::1235')], amp)).toThrow('-gdb hart=tcp:127.0.0.1:1235: -gdb tcp:127.0.0.1:1234 already serves the riscv32 CPUs; one stub per architecture (name a CPU of another: -gdb m3=tcp::PORT)');
  });
});

/** A TCP client speaking the remote protocol (acks on). */
function client(port: number) {
  const socket: Socket = connect(port, '127.0.0.1');
  const decoder = new PacketDecoder();
  const replies: string[] = [];
  let closed = false;
  let wake: (() => void) | undefined;
  socket.on('data', (data) => {
    for (const event of decoder.feed(new Uint8Array(data))) if (event.kind === 'packet') replies.push(event.payload);
    wake?.();
  });
  socket.on('close', () => {
    closed = true;
    wake?.();
  });
  socket.on('error', () => {});
  const next = async () => {
    const deadline = Date.now() + 10_000;
    while (replies.length === 0) {
      if (closed || Date.now() > deadline) throw new Error('no reply');
      await new Promise<void>((resolve) => {
        wake = resolve;
        setTimeout(resolve, 50);
      });
    }
    return replies.shift()!;
  };
  return {
    socket,
    get closed() {
      return closed;
    },
    connected: new Promise<void>((resolve) => socket.once('connect', () => resolve())),
    async request(payload: string) {
      socket.write(stringToBytes(framePacket(payload)));
      return next();
    },
    next,
  };
}

describe('GDB server over TCP', () => {
  it('serves one client on loopback, refuses a second, and gives the machine back on detach', async () => {
    const machine = virtMachine(firmware('hello'));
    const server = await startGdbServer(machine, { port: 0 });
    const events: GdbServerEvent[] = [];
    server.onEvent((event) => events.push(event));
    try {
      expect(server.host).toBe('127.0.0.1');
      expect(server.port).toBeGreaterThan(0);
      expect(server.attached).toBe(false);
      const first = client(server.port);
      await server.waitForClient();
      expect(server.attached).toBe(true);
      expect(await first.request('?')).toBe('T05thread:1;');
      const second = client(server.port);
      for (let i = 0; i < 100 && !second.closed; i++) await new Promise((resolve) => setTimeout(resolve, 20));
      expect(second.closed).toBe(true);
      expect(await first.request('m80000000,4')).toMatch(/^[0-9a-f]{8}$/);
      const changed = server.changed();
      expect(await first.request('D')).toBe('OK');
      await changed;
      expect(server.attached).toBe(false);
      expect(events.map((e) => e.kind)).toEqual(['attach', 'detach']);
      // the next client is served
      const third = client(server.port);
      await server.waitForClient();
      expect(await third.request('c')).toBe('W00');
      expect(events.map((e) => e.kind)).toEqual(['attach', 'detach', 'attach', 'resume', 'exit']);
      third.socket.destroy();
      await server.changed();
      expect(server.attached).toBe(false);
      expect(events.at(-1)).toEqual({ kind: 'disconnect' });
    } finally {
      await server.close();
    }
  });

  it('refuses to listen on a non-loopback address', async () => {
    await expect(startGdbServer(virtMachine(firmware('hello')), { port: 0, host: '0.0.0.0' })).rejects.toThrow(/loopback only/);
  });
});
