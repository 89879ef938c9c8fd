import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Readable } from 'node:stream';
import { parseRunArgs } from './run-args.ts';
import * as A from '../engine/cpu/riscv/asm.ts';
import { EXIT_IDLE, EXIT_INPUT_ERROR, EXIT_LIMIT, formatStatus, runCommand, type RunOptions } from './run.ts';
import { FAULT_LINES_PRINTED } from './fault-notes.ts';

const root = new URL('../../', import.meta.url).pathname;
const helloBoard = join(root, 'examples/hello.board.json');
const helloElf = join(root, 'public/firmware/hello.elf');
const failElf = join(root, 'public/firmware/fail.elf');

async function run(options: RunOptions) {
  const out: number[] = [];
  const err: string[] = [];
  const guestErr: number[] = [];
  const status = await runCommand(options, { stdout: (bytes) => out.push(...bytes), stderr: (line) => err.push(line), guestStderr: (bytes) => guestErr.push(...bytes) });
  return { status, stdout: Buffer.from(out).toString('latin1'), stderr: err, guestStderr: Buffer.from(guestErr).toString('latin1') };
}

function scratch(name: string, content: string | Uint8Array): string {
  const dir = mkdtempSync(join(tmpdir(), 'boardlab-cli-'));
  const file = join(dir, name);
  writeFileSync(file, content);
  return file;
}

describe('boardlab run', () => {
  it('runs the hello board file and exits with the finisher pass status', async () => {
    const result = await run({ board: helloBoard });
    expect(result).toEqual({ status: 0, stdout: 'Hello, BoardLab!\n1+2+...+100 = 5050\n', stderr: [], guestStderr: '' });
  });

  it('runs a machine type with a firmware image, propagating a fail code', async () => {
    expect((await run({ machine: 'riscv-virt', firmware: helloElf })).status).toBe(0);
    const failing = await run({ machine: 'riscv-virt', firmware: failElf });
    expect(failing.status).toBe(3);
    expect(failing.stdout).toBe('failing with code 3\n');
  });

  it('gives one-line errors for a missing board file, malformed JSON and board problems', async () => {
    const missing = await run({ board: '/no/such/board.json' });
    expect(missing).toMatchObject({ status: EXIT_INPUT_ERROR, stderr: ['boardlab: /no/such/board.json: no such file'] });

    const malformed = scratch('bad.board.json', '{ "boardlab": 1, "name": "x" ');
    const syntax = await run({ board: malformed });
    expect(syntax.status).toBe(EXIT_INPUT_ERROR);
    expect(syntax.stderr).toHaveLength(1);
    expect(syntax.stderr[0]).toMatch(/bad\.board\.json#: the board is not valid JSON at line 1, column \d+/);

    const doc = JSON.parse(readFileSync(helloBoard, 'utf8'));
    doc.objects.uart0.type = 'ns1655';
    const unknown = await run({ board: scratch('unknown.board.json', JSON.stringify(doc)) });
    expect(unknown.stderr).toEqual([expect.stringMatching(/#\/objects\/uart0\/type: unknown object type "ns1655"\. Did you mean "ns16550a"\?/)]);
  });

  it('rejects an image that is not an ELF, or that does not fit in RAM', async () => {
    const notElf = scratch('notes.elf', 'just some text, not a program\n');
    const a = await run({ machine: 'riscv-virt', firmware: notElf });
    expect(a.status).toBe(EXIT_INPUT_ERROR);
    expect(a.stderr).toEqual([`boardlab: image ${notElf}: not an ELF file (it does not start with the ELF magic bytes 7f 45 4c 46)`]);

    const doc = JSON.parse(readFileSync(helloBoard, 'utf8'));
    doc.objects.ram.props.size = 256; // far smaller than the image's segments
    doc.images[0].file = helloElf;
    const small = await run({ board: scratch('small.board.json', JSON.stringify(doc)) });
    expect(small.status).toBe(EXIT_INPUT_ERROR);
    expect(small.stderr[0]).toMatch(/^boardlab: image .*hello\.elf: does not fit in memory: its segment \[0x[0-9a-f]+–0x[0-9a-f]+\] needs memory at 0x80000100, where ram\.mem ends$/);

    const missingImage = await run({ machine: 'riscv-virt', firmware: '/no/such.elf' });
    expect(missingImage.stderr).toEqual(['boardlab: image /no/such.elf: no such file']);
  });

  it('refuses an ARM ELF for the RISC-V hart, naming EM_ARM, the hart and its architecture at /images/0, with a hint', async () => {
    // An ARM executable as arm-none-eabi-gcc links it for mps2-an385 (e_machine 40): the RISC-V hello with its machine changed.
    const arm = new Uint8Array(readFileSync(helloElf));
    arm[18] = 40;
    const armElf = scratch('arm.elf', arm);
    const result = await run({ machine: 'riscv-virt', firmware: armElf });
    expect(result.status).toBe(EXIT_INPUT_ERROR);
    expect(result.stdout).toBe('');
    expect(result.stderr).toEqual([
      `command line#/images/0: image ${armElf}: an ELF file for ARM (EM_ARM), but its CPU cpu0 (rv32) is RISC-V, which runs RISC-V (EM_RISCV) images. Build the image for RISC-V (riscv64-unknown-elf-gcc -march=rv32imac -mabi=ilp32), or run it on a CPU that runs ARM (EM_ARM) images (a board that extends mps2-an385@1.0).`,
    ]);
  });

  it('explains wrong combinations of arguments and unknown machine types', async () => {
    expect((await run({})).stderr[0]).toContain('give a board file or -M TYPE');
    expect((await run({ machine: 'riscv-virt' })).stderr[0]).toContain('needs --firmware');
    expect((await run({ machine: 'pc', firmware: helloElf })).stderr[0]).toBe('boardlab: unknown machine type "pc"; known types: riscv-virt, boardlab-mcu, mps2-an385, boardlab-m0');
  });

  it('reports the guest’s bad accesses and its trap loop on stderr, one line each, and stops a board stuck for good', async () => {
    // hello.elf looks for the UART at 0x10000000; this board has it at 0x10001000.
    const doc = JSON.parse(readFileSync(helloBoard, 'utf8'));
    doc.memory = doc.memory.map((m: { map: string; at: string }) => (m.map === 'uart0.regs' ? { ...m, at: '0x10001000' } : m));
    doc.images[0].file = helloElf;
    const moved = await run({ board: scratch('moved-uart.board.json', JSON.stringify(doc)), timeout: 20 });
    expect(moved.status).toBe(EXIT_IDLE);
    expect(moved.stdout).toBe('');
    expect(moved.stderr).toEqual([
      expect.stringMatching(/^boardlab: cpu0: load access fault at 0x10000005, pc 0x800000[0-9a-f]{2} — nothing is mapped at 0x10000005; uart0 is at 0x10001000–0x100010ff: /),
      expect.stringMatching(/^boardlab: cpu0: instruction access fault at 0x00000000, pc 0x00000000 — nothing is mapped at 0x00000000; /),
      expect.stringMatching(/^boardlab: cpu0 is in a trap loop: its trap handler at 0x00000000 \(mtvec\) faults before any instruction runs: .*; it began with a load access fault at 0x10000005/),
      'boardlab: every CPU is stuck in a trap loop (see above); stopping',
    ]);
  });

  it('says when a CPU has no firmware, and caps the fault lines', async () => {
    const doc = JSON.parse(readFileSync(helloBoard, 'utf8'));
    doc.images = [];
    const bare = await run({ board: scratch('bare.board.json', JSON.stringify(doc)), timeout: 20 });
    expect(bare.status).toBe(EXIT_IDLE);
    expect(bare.stderr[0]).toBe('boardlab: cpu0 has no firmware: no image names it, fills its reset vector or is handed to it by a boot ROM; it runs whatever memory holds');
    expect(bare.stderr.some((line) => line.includes('it began with an illegal instruction 0x00000000, pc 0x80000000'))).toBe(true);

    // A guest that loads from ever new unmapped addresses and jumps past each load from its
    // handler without returning from the trap (no mret): it never recovers, so the faults are noted.
    const many = scratch('many.bin', manyFaults(false));
    const board = { ...doc, images: [{ cpu: 'cpu0', file: many, format: 'binary', at: '0x80000000' }] };
    const capped = await run({ board: scratch('many.board.json', JSON.stringify(board)), maxInstructions: 20_000 });
    expect(capped.status).toBe(EXIT_LIMIT);
    expect(capped.stderr.filter((line) => line.includes('load access fault'))).toHaveLength(FAULT_LINES_PRINTED);
    expect(capped.stderr).toContain('boardlab: more guest faults follow; not printing them');
    expect(capped.stderr[capped.stderr.length - 1]).toBe('boardlab: stopped after 20000 instructions (--max-instructions); the guest did not finish');
  });

  it('says nothing about access faults the guest handles (its trap handler returns), as QEMU', async () => {
    const doc = JSON.parse(readFileSync(helloBoard, 'utf8'));
    const handled = scratch('handled.bin', manyFaults(true));
    const board = { ...doc, images: [{ cpu: 'cpu0', file: handled, format: 'binary', at: '0x80000000' }] };
    const quiet = await run({ board: scratch('handled.board.json', JSON.stringify(board)), maxInstructions: 20_000 });
    expect(quiet.status).toBe(EXIT_LIMIT);
    expect(quiet.stderr).toEqual(['boardlab: stopped after 20000 instructions (--max-instructions); the guest did not finish']);

    // firmware/arm/fault-demo: a BusFault and a UsageFault its handlers report and return from
    const demo = await run({ qemuArgs: ['-M', 'mps2-an385', '-semihosting-config', 'enable=on,target=native', '-kernel', join(root, 'public/firmware/arm/fault-demo.elf')] });
    expect(demo.status).toBe(0);
    expect(demo.stdout).toContain('fault-demo: 2 faults handled');
    expect(demo.stderr).toEqual([]);
  });

  it('stops a guest at --max-instructions with status 124', async () => {
    const result = await run({ machine: 'riscv-virt', firmware: helloElf, maxInstructions: 50 });
    expect(result.status).toBe(EXIT_LIMIT);
    expect(result.stderr[0]).toContain('stopped after 50 instructions');
  });
});

/**
 * Loads from 0x40000000, 0x40000004, … (nothing is mapped there); the trap handler skips each
 * load: returning from the trap (mret to mepc + 4) when `mret`, else jumping there itself.
 */
function manyFaults(mret: boolean): Uint8Array {
  const { t0, t1, t2, t3 } = A.Reg;
  const p = new A.Program(0x8000_0000);
  p.la(t0, 'handler').i(A.csrw(0x305, t0), A.li(t1, 0x4000_0000));
  p.label('load').i(A.lw(t2, t1, 0), A.addi(t1, t1, 4));
  p.jal(0, 'load');
  p.org(0x8000_0100).label('handler').i(A.csrr(t3, 0x341), A.addi(t3, t3, 4));
  if (mret) p.i(A.csrw(0x341, t3), A.mret());
  else p.i(A.jalr(0, t3, 0));
  return p.bytes();
}

describe('boardlab run with QEMU options', () => {
  const parse = (args: string[]) => {
    const parsed = parseRunArgs(args);
    if (parsed.help) throw new Error('unexpected help');
    return parsed.options;
  };

  it('splits BoardLab options, QEMU options and the board file', () => {
    expect(parse(['board.json', '--max-instructions', '1_000', '--realtime', '-serial', 'null'])).toEqual({ board: 'board.json', maxInstructions: 1000, realtime: true, qemuArgs: ['-serial', 'null'] });
    expect(parse(['-M', 'virt', '-m', '64M', '-smp', '2', '-nographic', '-kernel', 'fw.elf', '--timeout=5'])).toEqual({ timeout: 5, qemuArgs: ['-M', 'virt', '-m', '64M', '-smp', '2', '-nographic', '-kernel', 'fw.elf'] });
    expect(parseRunArgs(['--help'])).toEqual({ help: true });
    expect(() => parse(['-drive', 'file=x.img'])).toThrow('-drive is a QEMU option BoardLab does not support');
    expect(() => parse(['-smp'])).toThrow('-smp needs an argument');
    expect(() => parse(['a.json', 'b.json'])).toThrow('one board file only');
    expect(() => parse(['--max-instructions', 'lots'])).toThrow('--max-instructions needs a positive integer, not "lots"');
  });

  it('takes QEMU\'s options for mps2-an385: -cpu, -nographic, -semihosting(-config), -serial, -kernel', () => {
    const args = ['-M', 'mps2-an385', '-cpu', 'cortex-m3', '-nographic', '-semihosting-config', 'enable=on,target=native', '-serial', 'stdio', '-kernel', 'fw.elf'];
    expect(parse(args)).toEqual({ qemuArgs: args });
    expect(parse(['-M', 'mps2-an385', '-semihosting', '-kernel', 'fw.elf'])).toEqual({ qemuArgs: ['-M', 'mps2-an385', '-semihosting', '-kernel', 'fw.elf'] });
    expect(() => parse(['-semihosting-config'])).toThrow('-semihosting-config needs an argument');
  });

  it('writes the semihosting console where QEMU 7.2 does: SYS_WRITE0/SYS_WRITEC to stderr, SYS_WRITE to ":tt" to stdout; -serial null leaves it alone', async () => {
    // firmware/arm/semihost-hello/semihost-hello.c: what it prints through each call, and its exit status 5
    const elf = join(root, 'public/firmware/arm/semihost-hello.elf');
    const guestStderr = 'semihost-hello: SYS_WRITE0\nsemihost-hello: SYS_WRITEC\nSYS_OPEN gave a handle\nSYS_WRITE wrote everything\nSYS_CLOCK answered\nSYS_HEAPINFO heap 0x21000000-0x22000000 stack 0x22000000-0x21000000\nsemihost-hello: exit status 5\n';
    for (const serial of [[], ['-serial', 'null']]) {
      const result = await run({ qemuArgs: ['-M', 'mps2-an385', '-semihosting-config', 'enable=on,target=native', ...serial, '-kernel', elf] });
      expect(result).toEqual({ status: 5, stdout: 'semihost-hello: SYS_WRITE to :tt\n', stderr: [], guestStderr });
    }
  });

  it('refuses semihosting options with a board file: they change the machine', async () => {
    expect((await run({ board: helloBoard, qemuArgs: ['-semihosting-config', 'enable=on'] })).stderr).toEqual(['boardlab: -semihosting-config changes the machine, so it goes with -M TYPE, not a board file (put the change in the board file instead)']);
  });

  it('runs a QEMU-style command line the way QEMU does', async () => {
    const result = await run({ qemuArgs: ['-M', 'virt', '-m', '64M', '-smp', '2', '-nographic', '-serial', 'stdio', '-kernel', helloElf] });
    // Both harts start at the entry and run hello, as on QEMU with -smp 2 and no firmware to park them.
    expect(result.stdout).toContain('Hello, BoardLab!');
    expect(result.status).toBe(0);
    const quiet = await run({ qemuArgs: ['-M', 'virt', '-serial', 'null'], firmware: failElf });
    expect(quiet).toEqual({ status: 3, stdout: '', stderr: [], guestStderr: '' });
  });

  it('-cpu rv32,f=off,d=off runs without floating point; f=off alone is refused as QEMU refuses it (D needs F)', async () => {
    const ok = await run({ qemuArgs: ['-M', 'virt', '-cpu', 'rv32,f=off,d=off', '-kernel', helloElf] });
    expect(ok.status).toBe(0);
    const refused = await run({ qemuArgs: ['-M', 'virt', '-cpu', 'rv32,f=off', '-kernel', helloElf] });
    expect(refused.status).toBe(EXIT_INPUT_ERROR);
    expect(refused.stderr.join('\n')).toContain('/machine/cpu0: double precision (d) needs single precision (f): set "f" to true, or "d" to false');
  });

  it('refuses machine changes on a board file, and what it cannot do yet', async () => {
    expect((await run({ board: helloBoard, qemuArgs: ['-m', '64M'] })).stderr).toEqual(['boardlab: -m changes the machine, so it goes with -M TYPE, not a board file (put the change in the board file instead)']);
    expect((await run({ board: helloBoard, qemuArgs: ['-serial', 'tcp::4444'] })).stderr[0]).toContain("-serial tcp::4444: BoardLab's CLI connects a UART to stdio, null (none) or file:PATH");
  });

  it('feeds stdin to the UART, and stops an idle guest once input has ended', async () => {
    const out: number[] = [];
    const err: string[] = [];
    const status = await runCommand({ machine: 'riscv-virt', firmware: helloElf }, { stdout: (b) => out.push(...b), stderr: (l) => err.push(l), guestStderr: () => {}, stdin: Readable.from(['typed text']) });
    expect(status).toBe(0);
  });
});

describe('the boardlab command', () => {
  it('runs through bin/boardlab.js with stdout and exit status', () => {
    const output = execFileSync(process.execPath, [join(root, 'bin/boardlab.js'), 'run', helloBoard], { encoding: 'latin1' });
    expect(output).toBe('Hello, BoardLab!\n1+2+...+100 = 5050\n');
    const failing = spawnSync(process.execPath, [join(root, 'bin/boardlab.js'), 'run', '-M', 'riscv-virt', '--firmware', failElf], { encoding: 'latin1' });
    expect(failing.status).toBe(3);
  });

  it('reports unknown options in one line without a stack trace', () => {
    const result = spawnSync(process.execPath, [join(root, 'bin/boardlab.js'), 'run', '--frobnicate'], { encoding: 'utf8' });
    expect(result.status).toBe(1);
    expect(result.stderr.trim()).toBe("boardlab: unknown option '--frobnicate' (see boardlab run --help)");
  });
});

describe('status line for long runs', () => {
  it('reports time, instructions and speed while a long run goes on, and clears it at the end', async () => {
    const lines: Array<string | undefined> = [];
    const status = await runCommand(
      { machine: 'riscv-virt', firmware: join(root, 'public/firmware/counter.elf'), timeout: 2.5 },
      { stdout: () => {}, stderr: () => {}, guestStderr: () => {}, status: (line) => lines.push(line) },
    );
    expect(status).toBe(EXIT_LIMIT);
    const shown = lines.filter((l): l is string => l !== undefined);
    expect(shown.length).toBeGreaterThan(0);
    expect(shown[0]).toMatch(/^boardlab: \d+\.\d s · [\d.]+ [MG]? ?instructions · \d+ MIPS · virtual time \d+\.\d{3} s$/);
    expect(lines[lines.length - 1]).toBeUndefined();
  }, 30_000);

  it('formats counts readably', () => {
    expect(formatStatus(12.34, 1_234_000_000, 104.2, 12_340_000_000)).toBe('boardlab: 12.3 s · 1.23 G instructions · 104 MIPS · virtual time 12.340 s');
    expect(formatStatus(1, 5_500_000, 5.5, 55_000_000)).toBe('boardlab: 1.0 s · 5.5 M instructions · 6 MIPS · virtual time 0.055 s');
  });
});

/**
 * A guest that faults forever and retires nothing: S-mode code whose illegal instruction is
 * delegated to an S-mode handler that is itself an illegal instruction. A trap loop, but not one
 * stuck for good (an interrupt could still break into S-mode), so the CLI runs it on.
 */
function faultForever(): Uint8Array {
  const { t0 } = A.Reg;
  const p = new A.Program(0x8000_0000);
  p.la(t0, 'handler').i(A.csrw(0x105, t0)); // stvec
  p.i(A.li(t0, 1 << 2), A.csrw(0x302, t0)); // medeleg: illegal instruction
  p.i(A.li(t0, 0x1800), A.csrrc(0, 0x300, t0), A.li(t0, 0x800), A.csrrs(0, 0x300, t0)); // mstatus.MPP = S
  p.la(t0, 'supervisor').i(A.csrw(0x341, t0), A.mret());
  p.org(0x8000_0100).label('supervisor').i(0); // illegal instruction
  p.org(0x8000_0200).label('handler').i(0); // and so is the handler
  return p.bytes();
}

describe('limits that hold for a guest that faults forever (the real CLI, spawned)', () => {
  const board = (() => {
    const doc = JSON.parse(readFileSync(helloBoard, 'utf8'));
    doc.images = [{ cpu: 'cpu0', file: scratch('fault-forever.bin', faultForever()), format: 'binary', at: '0x80000000' }];
    return scratch('fault-forever.board.json', JSON.stringify(doc));
  })();
  const cli = (args: string[]) => {
    const start = performance.now();
    const result = spawnSync(process.execPath, [join(root, 'bin/boardlab.js'), 'run', board, ...args], { encoding: 'utf8', timeout: 60_000 });
    return { status: result.status, stderr: result.stderr, seconds: (performance.now() - start) / 1000 };
  };

  it('--max-instructions counts the instructions that trap', () => {
    const result = cli(['--max-instructions', '2000000']);
    expect(result.stderr).toContain('is in a trap loop');
    expect(result.stderr).toContain('boardlab: stopped after 2000000 instructions (--max-instructions)');
    expect(result.status).toBe(EXIT_LIMIT);
  }, 60_000);

  it('--timeout stops a faulting guest on time', async () => {
    // Timed from the guest's first fault report (printed as its run begins, so start-up does not
    // count) to the exit. The slice that runs past the moment ends within milliseconds
    // (Machine.run's deadline); the bound leaves room for a loaded machine.
    const child = spawn(process.execPath, [join(root, 'bin/boardlab.js'), 'run', board, '--timeout', '1']);
    let stderr = '';
    let firstFault = 0;
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString('utf8');
      if (firstFault === 0 && stderr.includes('is in a trap loop')) firstFault = performance.now();
    });
    const status = await new Promise<number | null>((resolve) => child.on('close', resolve));
    const seconds = (performance.now() - firstFault) / 1000;
    expect(stderr).toContain('boardlab: stopped after 1 s (--timeout)');
    expect(status).toBe(EXIT_LIMIT);
    expect(firstFault).toBeGreaterThan(0);
    expect(seconds).toBeGreaterThan(0.9);
    expect(seconds).toBeLessThan(1.5);
  }, 60_000);
});
