// The GDB stub against Debian's real gdb-multiarch in batch mode: firmware built with debug info
// from fixtures/gdb-demo.c and the project's firmware/common (startup, UART, finisher), run on
// riscv-virt, debugged over TCP on loopback: break at a function, step, next, read globals and
// locals, a conditional breakpoint, finish, registers, threads, Ctrl-C, and continue to the exit;
// hardware watchpoints (watch, rwatch, awatch) and breakpoints (hbreak) stop where they stop on
// Debian's qemu-system-riscv32 with the same gdb commands.
import { execFile, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGdbServer, type GdbServerEvent } from '../../cli/gdb-server.ts';
import { firmware, virtMachine } from './testing.ts';
import { freePort, gdbBatch, waitUntilListening } from '../../cli/testing/gdb-session.ts';

const run = promisify(execFile);
const repo = fileURLToPath(new URL('../../../', import.meta.url));
const common = join(repo, 'firmware/common');
const demoSource = fileURLToPath(new URL('./fixtures/gdb-demo.c', import.meta.url));
const floatSource = fileURLToPath(new URL('./fixtures/gdb-float.S', import.meta.url));

let dir: string;
let demoElf: string;
let floatElf: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'boardlab-gdb-'));
  demoElf = join(dir, 'gdb-demo.elf');
  await run('riscv64-unknown-elf-gcc', [
    '-march=rv32i_zicsr', '-mabi=ilp32', '-g', '-O0',
    '-ffreestanding', '-nostdlib', '-nostartfiles', '-static', `-I${common}`,
    '-T', join(common, 'link.ld'), '-Wl,--build-id=none',
    join(common, 'crt0.S'), join(common, 'uart.c'), join(common, 'finisher.c'), demoSource,
    '-lgcc', '-o', demoElf,
  ]);
  floatElf = join(dir, 'gdb-float.elf');
  await run('riscv64-unknown-elf-gcc', [
    '-march=rv32imafdc_zicsr', '-mabi=ilp32', '-g', '-nostdlib', '-nostartfiles', '-static',
    '-T', join(common, 'link.ld'), '-Wl,--build-id=none', floatSource, '-o', floatElf,
  ]);
});

afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/** gdb-multiarch --batch with these commands against a stub on a free port; gdb's output, the UART's, the server's events. */
async function debug(elfPath: string, commands: string[]) {
  const output: number[] = [];
  const machine = virtMachine(new Uint8Array(readFileSync(elfPath)), 1, output);
  const server = await startGdbServer(machine, { port: 0 });
  const events: GdbServerEvent[] = [];
  server.onEvent((event) => events.push(event));
  try {
    const gdb = await gdbBatch(elfPath, server.port, commands);
    return { gdb, uart: String.fromCharCode(...output), events, machine };
  } finally {
    await server.close();
  }
}

/** The same gdb commands against qemu-system-riscv32 -M virt -S -gdb: gdb's output. */
async function debugOnQemu(elfPath: string, commands: string[]): Promise<string> {
  const port = await freePort();
  const qemu = spawn('qemu-system-riscv32', ['-M', 'virt', '-nographic', '-bios', 'none', '-kernel', elfPath, '-S', '-gdb', `tcp:127.0.0.1:${port}`], { stdio: 'ignore' });
  try {
    await waitUntilListening(port, 5_000);
    return await gdbBatch(elfPath, port, commands);
  } finally {
    qemu.kill();
  }
}

describe('GDB stub with Debian gdb-multiarch', () => {
  it('shows the floating-point registers as on QEMU: p $fa0, p/x $ft0, info registers float', async () => {
    const commands = ['break fp_ready', 'continue', 'p $fa0', 'p/x $ft0', 'p $ft0', 'p/x $fs1', 'p $ft11', 'p $f10', 'info registers float', 'set $ft1 = 2.5', 'p $ft1.double', 'p $fcsr', 'p $frm', 'p $fflags'];
    const [{ gdb }, onQemu] = await Promise.all([debug(floatElf, commands), debugOnQemu(floatElf, commands)]);
    expect(gdb).toContain('$1 = {float = 3.37028055e+12, double = 3.1415926535897931}');
    expect(gdb).toContain('$2 = {float = 0x3fc00000, double = 0xffffffff3fc00000}');
    expect(gdb).toMatch(/^ft0 +\{float = 1\.5, double = -nan\(0xfffff3fc00000\)\}\s+\(raw 0xffffffff3fc00000\)$/m);
    expect(gdb).toMatch(/^fs1 +\{float = -7\.81151525e-23, double = 5\.626349274901198e-221\}\s+\(raw 0x123456789abcdef0\)$/m);
    expect(gdb).toMatch(/^ft11 +\{float = 0, double = -0\}\s+\(raw 0x8000000000000000\)$/m);
    expect(gdb).toContain('$7 = 2.5\n');
    // the same lines as QEMU for every f register and value printed from one
    const floatLines = (text: string) => text.split('\n').filter((line) => /^(\$[1-7] = |f[tsa]\d+ )/.test(line));
    expect(floatLines(onQemu)).toHaveLength(7 + 32);
    expect(floatLines(gdb)).toEqual(floatLines(onQemu));
    // BoardLab's description also has fflags, frm and fcsr (among the CSRs); QEMU 7.2's omits them for a hart with D (void there)
    expect(onQemu).toContain('$8 = void\n$9 = void\n$10 = void');
    expect(gdb).toContain('$8 = 105\n$9 = 3\n$10 = 9');
    expect(gdb).toMatch(/^fcsr +0x69\s+NV:0 DZ:1 OF:0 UF:0 NX:1 FRM:3 \[RUP \(Round up towards \+INF\)\]$/m);
  });

  it('stops at awatch, watch, rwatch and hbreak where QEMU stops, with the values gdb reads there', async () => {
    const commands = [
      'awatch counter',
      'continue',
      'print/x $pc',
      'continue',
      'print/x $pc',
      'delete',
      'watch squares[2]',
      'continue',
      'print/x $pc',
      'delete',
      'rwatch squares[3]',
      'continue',
      'print/x $pc',
      'delete',
      'hbreak finisher_fail',
      'continue',
      'print code',
    ];
    const [{ gdb }, onQemu] = await Promise.all([debug(demoElf, commands), debugOnQemu(demoElf, commands)]);
    // main reads counter (41), then writes 42; fill stores square(2) = 4; main's sum loop reads squares[3]
    expect(gdb).toMatch(/Hardware access \(read\/write\) watchpoint 1: counter\n\nValue = 41\n0x[0-9a-f]+ in main \(\)/);
    expect(gdb).toMatch(/Hardware access \(read\/write\) watchpoint 1: counter\n\nOld value = 41\nNew value = 42\n/);
    expect(gdb).toMatch(/Hardware watchpoint 2: squares\[2\]\n\nOld value = 0\nNew value = 4\nfill \(\)/);
    expect(gdb).toMatch(/Hardware read watchpoint 3: squares\[3\]\n\nValue = 9\n0x[0-9a-f]+ in main \(\)/);
    expect(gdb).toMatch(/Breakpoint 4, finisher_fail \(code=7\)/);
    // the same stops, pcs and values as on QEMU (gdb names the inferior differently when it detaches)
    const comparable = (text: string) => text.replace(/\[Inferior 1 \(.*\) detached\]\n?/, '');
    expect(comparable(gdb)).toBe(comparable(onQemu));
    expect([...gdb.matchAll(/^\$\d+ = 0x8000[0-9a-f]{4}$/gm)]).toHaveLength(4);
  });


  it('breaks at a function, steps into a call, reads globals and locals, and continues to the exit', async () => {
    const { gdb, uart, events } = await debug(demoElf, [
      'info registers pc',
      'break fill',
      'continue',
      'print counter',
      'next',
      'step',
      'print value',
      'info registers pc',
      'break 16 if value == 5',
      'continue',
      'print result',
      'finish',
      'print squares',
      'info registers mhartid priv',
      'info threads',
      'delete',
      'continue',
    ]);
    const lines = gdb.split('\n');
    const after = (text: string) => lines.findIndex((line) => line.includes(text));
    expect(gdb).toMatch(/^pc\s+0x1000\s/m); // attached in the boot ROM, before anything ran
    expect(gdb).toMatch(/Breakpoint 1 at 0x[0-9a-f]+: file .*gdb-demo\.c, line 21\./);
    expect(gdb).toMatch(/Breakpoint 1, fill \(\) at .*gdb-demo\.c:21/);
    expect(gdb).toMatch(/^\$1 = 42$/m); // the global, incremented by main before fill()
    expect(gdb).toMatch(/^22\s+squares\[i\] = square\(i\);$/m); // next
    expect(gdb).toMatch(/^square \(value=0\) at .*gdb-demo\.c:13$/m); // step into the call
    expect(gdb).toMatch(/^\$2 = 0$/m); // value
    expect(gdb).toMatch(/^pc\s+0x8000[0-9a-f]{4}\s+0x8000[0-9a-f]{4} <square\+\d+>$/m);
    expect(gdb).toMatch(/Breakpoint 2, square \(value=5\) at .*gdb-demo\.c:16/); // the condition skipped value 0..4
    expect(gdb).toMatch(/^\$3 = 25$/m); // the local result
    expect(gdb).toMatch(/Value returned is \$4 = 25/); // finish
    expect(gdb).toMatch(/^\$5 = \{0, 1, 4, 9, 16, 0, 0, 0\}$/m);
    expect(gdb).toMatch(/^mhartid\s+0x0\s+0$/m);
    expect(gdb).toMatch(/^priv\s+0x3\s+prv:3 \[Machine\]$/m);
    expect(gdb).toMatch(/\* 1\s+Thread 1 \(cpu0 hart 0\) .*fill \(\)/);
    expect(gdb).toMatch(/\[Inferior 1 \(Remote target\) exited with code 07\]/);
    expect(after('exited with code 07')).toBeGreaterThan(after('Value returned'));
    expect(gdb).not.toMatch(/Remote communication error|Remote connection closed|Cannot access memory|warning: /);
    expect(uart).toBe('total 140\n');
    expect(events.find((e) => e.kind === 'exit')).toEqual({ kind: 'exit', exit: { kind: 'fail', code: 7 } });
  });

  it('reads memory, refuses unmapped memory with an error, writes a variable, stops at a hardware breakpoint (hbreak)', async () => {
    const { gdb, uart } = await debug(demoElf, [
      'break main',
      'continue',
      'x/4xb &counter',
      'x/xw 0x0',
      'set var counter = 99',
      'print counter',
      'print/x $pc',
      'delete',
      'hbreak finisher_fail',
      'continue',
      'print code',
      'continue',
    ]);
    expect(gdb).toMatch(/Breakpoint 1, main \(\) at .*gdb-demo\.c:\d+/);
    expect(gdb).toMatch(/<counter>:\s+0x29\s+0x00\s+0x00\s+0x00/); // 41 before main increments it
    expect(gdb).toMatch(/Cannot access memory at address 0x0/);
    expect(gdb).toMatch(/\$1 = 99$/m); // (after the x of 0x0, whose error gdb prints on stderr)
    expect(gdb).toMatch(/^\$2 = 0x8000[0-9a-f]{4}$/m);
    expect(gdb).toMatch(/Hardware assisted breakpoint 2 at 0x[0-9a-f]+: file .*finisher\.c/);
    expect(gdb).toMatch(/Breakpoint 2, finisher_fail \(code=7\)/);
    expect(gdb).toMatch(/^\$3 = 7$/m);
    expect(gdb).toMatch(/exited with code 07/);
    expect(uart).toBe('total 140\n');
  });

  it('shows one thread per hart; a breakpoint hit by another hart switches to its thread', async () => {
    const elfPath = join(repo, 'public/firmware/multihart.elf');
    const output: number[] = [];
    const machine = virtMachine(new Uint8Array(readFileSync(elfPath)), 4, output);
    const server = await startGdbServer(machine, { port: 0 });
    try {
      const commands = ['info threads', 'break secondary_main', 'continue', 'info registers mhartid', 'thread 1', 'info registers mhartid', 'delete', 'continue'];
      const args = ['--batch', '-nx', '-ex', 'set pagination off', '-ex', `target remote 127.0.0.1:${server.port}`, ...commands.flatMap((c) => ['-ex', c]), elfPath];
      const { stdout, stderr } = await run('gdb-multiarch', args, { timeout: 60_000 });
      const gdb = stdout + stderr;
      for (let hart = 0; hart < 4; hart++) expect(gdb).toMatch(new RegExp(`${hart + 1}\\s+Thread ${hart + 1} \\(cpu${hart} hart ${hart}\\) 0x00001000 in \\?\\? \\(\\)`));
      // the firmware carries line tables (-g): gdb names the function's arguments and source line
      const hit = /Thread (\d) hit Breakpoint 1, secondary_main \([^)]*\) at multihart\/multihart\.c:\d+/.exec(gdb);
      expect(hit).not.toBeNull();
      const thread = Number(hit![1]);
      expect(thread).toBeGreaterThan(1);
      const hartIds = [...gdb.matchAll(/^mhartid\s+0x(\d)\s/gm)].map((m) => Number(m[1]));
      expect(hartIds).toEqual([thread - 1, 0]);
      expect(gdb).toMatch(/\[Switching to thread 1 \(Thread 1\)\]/);
      expect(gdb).toMatch(/\[Inferior 1 \(Remote target\) exited normally\]/);
      expect(String.fromCharCode(...output)).toBe(
        'multihart: hart 0 greets, waking harts 1-3 with IPIs\nhart 1 up\nhart 2 up\nhart 3 up\nmultihart: 3 other harts came up, IPI received on hart 0\n',
      );
    } finally {
      await server.close();
    }
  });

  it('Ctrl-C stops a running target (SIGINT), then gdb detaches', async () => {
    const output: number[] = [];
    const elf = firmware('counter');
    const machine = virtMachine(elf, 1, output);
    const server = await startGdbServer(machine, { port: 0 });
    const events: GdbServerEvent[] = [];
    try {
      const resumed = new Promise<void>((resolve) =>
        server.onEvent((event) => {
          events.push(event);
          if (event.kind === 'resume') resolve();
        }),
      );
      const elfPath = join(repo, 'public/firmware/counter.elf');
      const gdb = spawn('gdb-multiarch', ['--batch', '-nx', '-ex', `target remote 127.0.0.1:${server.port}`, '-ex', 'continue', '-ex', 'info registers pc', '-ex', 'detach', elfPath]);
      let text = '';
      gdb.stdout.on('data', (data) => (text += data));
      gdb.stderr.on('data', (data) => (text += data));
      const exited = new Promise<number | null>((resolve) => gdb.on('exit', (code) => resolve(code)));
      await resumed;
      await new Promise((resolve) => setTimeout(resolve, 300));
      gdb.kill('SIGINT');
      expect(await exited).toBe(0);
      expect(text).toMatch(/Program received signal SIGINT, Interrupt\./);
      expect(text).toMatch(/^pc\s+0x8000[0-9a-f]{4}\s+0x8000[0-9a-f]{4} <main\+\d+>$/m);
      expect(text).toMatch(/\[Inferior 1 \(Remote target\) detached\]/);
      expect(events.map((e) => e.kind)).toEqual(['attach', 'resume', 'stop', 'detach']);
      expect(String.fromCharCode(...output)).toMatch(/^tick 1\n/);
    } finally {
      await server.close();
    }
  });
});
