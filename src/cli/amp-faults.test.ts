// Issue #14 point 7 on the heterogeneous example's board: one side faulting or locking up never
// stops or corrupts the other. The healthy side runs the example's own firmware (or a small
// program that ends the run itself); the faulty side a few hand-assembled instructions.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import * as A from '../engine/cpu/riscv/asm.ts';
import { EXIT_IDLE, EXIT_LIMIT, runCommand } from './run.ts';

const root = new URL('../../', import.meta.url).pathname;
const example = JSON.parse(readFileSync(join(root, 'examples/amp.board.json'), 'utf8')) as { objects: Record<string, { props?: Record<string, unknown> }>; images: Array<Record<string, string>> };

const HART_ELF = join(root, 'public/firmware/amp/hart.elf');
const M3_ELF = join(root, 'public/firmware/amp/arm/m3.elf');
const M3_LINES = 'm3: up, waiting for work\nm3: sum of squares of 8 numbers = 204\n';

const X = { zero: 0, t0: 5, t1: 6, t2: 7, a1: 11, t3: 28 };
const UART0 = 0x1000_0000;
const FINISHER = 0x10_0000;
const RSTCTL_HOLD = 0x1100_1000;
const MAILBOX_A = 0x1100_0000;
const SHARED = 0x9000_0000;
const CMD_SUM_SQUARES = 0x51;
const csrw = (csr: number, rs1: number) => A.iType(csr, rs1, 1, 0, 0x73);
const MTVEC = 0x305;

/** Load a 32-bit constant (lui + addi, the addi's sign taken into account). */
function li(rd: number, value: number): number[] {
  const low = ((value & 0xfff) << 20) >> 20;
  return [A.lui(rd, (value - low) >>> 0), A.addi(rd, rd, low)];
}

/** Release the M3 from reset (the reset controller's hold register). */
const releaseM3 = [...li(X.t0, RSTCTL_HOLD), A.sw(X.zero, X.t0, 0)];

/** Print `text` on uart0 (the ns16550a takes a byte whenever it is written). */
function print(text: string): number[] {
  return [...li(X.t0, UART0), ...[...text].flatMap((c) => [A.addi(X.t1, X.zero, c.charCodeAt(0)), A.sb(X.t1, X.t0, 0)])];
}

/** Trap for ever: mtvec at 0, where the hart's view has nothing, then an ecall (each trap's fetch faults again; M-mode masks interrupts). */
const trapLoop = [csrw(MTVEC, X.zero), A.ecall()];

/** Count t1 down from n (keeps the hart busy a while). */
const delay = (n: number) => [...li(X.t1, n), A.addi(X.t1, X.t1, -1), A.bne(X.t1, X.zero, -4)];

const finishPass = [...li(X.t0, FINISHER), ...li(X.t1, 0x5555), A.sw(X.t1, X.t0, 0), A.jal(0, 0)];

/** The example's work for the M3 (as firmware/amp/hart/main.c hands it): 8 numbers in shared RAM, the command in the mailbox. */
const sendWork = [
  ...li(X.t0, SHARED),
  A.addi(X.t1, X.zero, 8),
  A.sw(X.t1, X.t0, 0), // SHARED_COUNT
  A.addi(X.a1, X.t0, 4), // SHARED_NUMBERS
  A.addi(X.t2, X.zero, 1),
  A.addi(X.t3, X.zero, 9),
  A.sw(X.t2, X.a1, 0),
  A.addi(X.a1, X.a1, 4),
  A.addi(X.t2, X.t2, 1),
  A.blt(X.t2, X.t3, -12),
  ...li(X.t0, MAILBOX_A),
  A.addi(X.t1, X.zero, CMD_SUM_SQUARES),
  A.sw(X.t1, X.t0, 0),
];

function words(list: number[]): Uint8Array {
  const bytes = new Uint8Array(list.length * 4);
  const view = new DataView(bytes.buffer);
  list.forEach((w, i) => view.setUint32(i * 4, w >>> 0, true));
  return bytes;
}

/** Thumb: a vector table at 0 whose reset and every fault handler are `udf` at 0x40: the reset's UsageFault escalates to HardFault, whose handler faults again: lockup. */
function m3Lockup(): Uint8Array {
  const bytes = new Uint8Array(0x44);
  const view = new DataView(bytes.buffer);
  view.setUint32(0, 0x2000_4000, true);
  for (let vector = 1; vector < 16; vector++) view.setUint32(vector * 4, 0x41, true);
  view.setUint16(0x40, 0xde00, true); // udf #0
  return bytes;
}

/** Thumb: `b .` at 0x40, from reset. */
function m3Spin(): Uint8Array {
  const bytes = new Uint8Array(0x44);
  const view = new DataView(bytes.buffer);
  view.setUint32(0, 0x2000_4000, true);
  for (let vector = 1; vector < 16; vector++) view.setUint32(vector * 4, 0x41, true);
  view.setUint16(0x40, 0xe7fe, true);
  return bytes;
}

/** The example's board with the hart's and/or the M3's image replaced by raw binaries. */
async function runAmp(images: { hart?: number[]; m3?: Uint8Array }, timeout = 20) {
  const dir = mkdtempSync(join(tmpdir(), 'boardlab-amp-faults-'));
  const document = structuredClone(example);
  document.images = [
    images.hart === undefined ? { cpu: 'hart', file: HART_ELF } : { cpu: 'hart', file: 'hart.bin', format: 'binary', at: '0x80000000' },
    images.m3 === undefined ? { cpu: 'm3', file: M3_ELF } : { cpu: 'm3', file: 'm3.bin', format: 'binary', at: '0x0' },
  ];
  if (images.hart !== undefined) {
    document.objects.hart.props = { ...document.objects.hart.props, 'reset-vector': '0x80000000' };
    writeFileSync(join(dir, 'hart.bin'), words(images.hart));
  }
  if (images.m3 !== undefined) writeFileSync(join(dir, 'm3.bin'), images.m3);
  const board = join(dir, 'amp.board.json');
  writeFileSync(board, JSON.stringify(document));
  const out: number[] = [];
  const err: string[] = [];
  const status = await runCommand({ board, timeout }, { stdout: (bytes) => out.push(...bytes), stderr: (line) => err.push(line), guestStderr: () => {} });
  return { status, stdout: Buffer.from(out).toString('latin1'), stderr: err };
}

describe('one side of a heterogeneous board faults, the other carries on', () => {
  it('the hart hands the M3 its work and then trap-loops: the M3 still computes and prints, and the run ends saying which CPU is stuck', async () => {
    const result = await runAmp({ hart: [...releaseM3, ...sendWork, ...trapLoop] });
    expect(result.stdout).toBe(M3_LINES); // what the M3 prints in the example's own run
    expect(result.status).toBe(EXIT_IDLE);
    expect(result.stderr).toEqual([
      expect.stringMatching(/^boardlab: hart: instruction access fault at 0x00000000, pc 0x00000000 — nothing is mapped at 0x00000000/),
      expect.stringMatching(/^boardlab: hart is in a trap loop: its trap handler at 0x00000000 \(mtvec\) faults .*it began with an environment call from M-mode/),
      'boardlab: hart is stuck in a trap loop, m3 waits for an interrupt nothing on this board can raise; stopping',
    ]);
  });

  it('the M3 locks up: the hart prints and ends the run through the finisher, its output the same as beside a healthy M3', async () => {
    const hart = [...releaseM3, ...print('hart: on my own\n'), ...delay(20_000), ...print('hart: done\n'), ...finishPass];
    const beside = await runAmp({ hart, m3: m3Spin() });
    expect(beside).toEqual({ status: 0, stdout: 'hart: on my own\nhart: done\n', stderr: [] });
    const result = await runAmp({ hart, m3: m3Lockup() });
    expect(result.stdout).toBe(beside.stdout);
    expect(result.status).toBe(0);
    expect(result.stderr).toEqual([expect.stringMatching(/^boardlab: m3 locked up at 0x00000040/)]);
  });

  it('the M3 locks up beside the example\'s hart, which waits for its answer for ever: the run stops at --timeout, naming the locked-up M3', async () => {
    const result = await runAmp({ m3: m3Lockup() }, 1);
    expect(result).toMatchObject({ status: EXIT_LIMIT, stdout: 'hart: releasing the M3 and sending it work\n' });
    expect(result.stderr).toEqual([expect.stringMatching(/^boardlab: m3 locked up at 0x00000040/), 'boardlab: stopped after 1 s (--timeout); the guest did not finish']);
  });
});
