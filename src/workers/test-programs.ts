// Small guest programs and boards for the runner's unit tests and the page's end-to-end tests,
// assembled with the engine's test assembler (no cross compiler needed). Raw binaries: a board
// loads them with `{ "format": "binary", "at": … }` at its CPU's reset vector.
import { addi, andi, beq, bne, csrrs, csrw, lbu, li, lw, or, ori, Program, Reg, sb, slli, srli, sw, wfi } from '../engine/cpu/riscv/asm.ts';

const { zero, t0, t1, t2, t3, t4, t5, s0, s1, s2, s3, s4, s5 } = Reg;

const CSR_MIE = 0x304;
const CSR_MTVEC = 0x305;
const MIE_MEIE = 1 << 11;
const UART_RBR_THR = 0;
const UART_IER = 1;
const UART_LSR = 5;
const LSR_DR = 0x01;
const FINISHER_PASS = 0x5555;

export const ECHO_PROMPT = 'echo> ';

function print(p: Program, uart: number, text: string): void {
  for (const byte of new TextEncoder().encode(text)) p.i(li(t0, byte), sb(t0, uart, UART_RBR_THR));
}

/**
 * An interrupt-driven UART echo that sleeps between keys: prints ECHO_PROMPT, enables the UART's
 * receive interrupt (wired straight to the hart's meip; interrupts stay globally off, so WFI just
 * wakes), then echoes every byte it receives; 'q' prints "\r\nbye\r\n" and stops the board (pass).
 */
export function echoProgram(base: number, uartBase = 0x1000_0000, finisherBase = 0x10_0000): Uint8Array {
  const p = new Program(base);
  p.i(li(s0, uartBase), li(s1, finisherBase));
  print(p, s0, ECHO_PROMPT);
  p.i(li(t0, 1), sb(t0, s0, UART_IER), li(t0, MIE_MEIE), csrrs(zero, CSR_MIE, t0));
  p.label('sleep').i(wfi());
  p.label('drain').i(lbu(t1, s0, UART_LSR), andi(t1, t1, LSR_DR));
  p.branch(beq, t1, zero, 'sleep');
  p.i(lbu(t2, s0, UART_RBR_THR), sb(t2, s0, UART_RBR_THR), li(t3, 'q'.charCodeAt(0)));
  p.branch(bne, t2, t3, 'drain');
  print(p, s0, '\r\nbye\r\n');
  p.i(li(t0, FINISHER_PASS), sw(t0, s1, 0));
  p.label('end').jal(zero, 'end');
  return p.bytes();
}

/** A board for echoProgram: one hart, RAM, a UART whose irq goes to the hart, the finisher. */
export function echoBoard(file: string): Record<string, unknown> {
  return {
    boardlab: 1,
    name: 'echo-test',
    description: 'A UART echo that sleeps in WFI between keys.',
    objects: {
      cpu0: { type: 'rv32', props: { 'reset-vector': '0x80000000' } },
      ram: { type: 'ram', props: { size: '1M' } },
      uart0: { type: 'ns16550a' },
      test: { type: 'sifive-test' },
    },
    memory: [
      { map: 'test.regs', at: '0x100000' },
      { map: 'uart0.regs', at: '0x10000000' },
      { map: 'ram.mem', at: '0x80000000' },
    ],
    irqs: [{ from: 'uart0.irq', to: 'cpu0.meip' }],
    images: [{ cpu: 'cpu0', file, format: 'binary', at: '0x80000000' }],
  };
}

const GPIO_BASE = 0x1001_2000;
const GPIO_INPUT = 0x00;
const GPIO_OUTPUT = 0x04;
const GPIO_OUTPUT_ENABLE = 0x08;

/**
 * For the boardlab-mcu machine type (GPIO out[0] → led0, out[1] → led1, button0 → in[4]): lights
 * led0, then forever copies button0 onto led1 (polling).
 */
export function ledButtonProgram(base = 0): Uint8Array {
  const p = new Program(base);
  mirrorButton(p);
  return p.bytes();
}

/** The loop of ledButtonProgram: led0 on, led1 = button0, forever. */
function mirrorButton(p: Program): void {
  p.i(li(s0, GPIO_BASE), li(t0, 0b11), sw(t0, s0, GPIO_OUTPUT_ENABLE));
  p.label('mirror').i(lw(t1, s0, GPIO_INPUT), srli(t1, t1, 4), andi(t1, t1, 1), slli(t1, t1, 1), addi(t1, t1, 1), sw(t1, s0, GPIO_OUTPUT));
  p.jal(zero, 'mirror');
}

export const SHOWCASE_WIDTH = 128;
export const SHOWCASE_HEIGHT = 96;

/** For showcaseBoard: draws a red/green gradient into the framebuffer, then runs ledButtonProgram's loop. */
export function showcaseProgram(base = 0): Uint8Array {
  const p = new Program(base);
  p.i(li(s2, FB_BASE), li(s4, SHOWCASE_WIDTH), li(s5, SHOWCASE_HEIGHT), li(t2, 0));
  p.label('row').i(li(t3, 0));
  p.label('pixel').i(slli(t4, t3, 17), slli(t5, t2, 9), or(t4, t4, t5), ori(t4, t4, 0x60), sw(t4, s2, 0), addi(s2, s2, 4), addi(t3, t3, 1));
  p.branch(bne, t3, s4, 'pixel');
  p.i(addi(t2, t2, 1));
  p.branch(bne, t2, s5, 'row');
  mirrorButton(p);
  return p.bytes();
}

/** boardlab-mcu (two LEDs, a button) plus a small framebuffer, running showcaseProgram. */
export function showcaseBoard(file: string): Record<string, unknown> {
  return {
    boardlab: 1,
    name: 'devices-showcase',
    description: 'boardlab-mcu with a framebuffer: a gradient on the display, led0 on, led1 follows button0.',
    extends: 'boardlab-mcu',
    objects: { fb: { type: 'framebuffer', props: { width: SHOWCASE_WIDTH, height: SHOWCASE_HEIGHT } } },
    memory: [{ map: 'fb.vram', at: '0x30000000' }],
    images: [{ cpu: 'cpu0', file, format: 'binary', at: '0x0' }],
  };
}

/** boardlab-mcu running ledButtonProgram from flash. */
export function ledButtonBoard(file: string): Record<string, unknown> {
  return {
    boardlab: 1,
    name: 'led-button-test',
    description: 'led0 on; led1 follows button0.',
    extends: 'boardlab-mcu',
    objects: {},
    images: [{ cpu: 'cpu0', file, format: 'binary', at: '0x0' }],
  };
}

export const FB_BASE = 0x3000_0000;
export const FB_WIDTH = 64;
export const FB_HEIGHT = 48;
/** Colours framebufferProgram draws: the top half reddish, the bottom half bluish (0x00RRGGBB). */
export const FB_TOP = 0x00ff_3020;
export const FB_BOTTOM = 0x0020_60ff;

/** Fills a FB_WIDTH × FB_HEIGHT xrgb8888 framebuffer: top half FB_TOP, bottom half FB_BOTTOM; then sleeps. */
export function framebufferProgram(base: number): Uint8Array {
  const half = (FB_WIDTH * FB_HEIGHT) / 2;
  const p = new Program(base);
  p.i(li(s2, FB_BASE), li(s3, FB_TOP), li(s4, half), li(t2, 0));
  p.label('top').i(sw(s3, s2, 0), addi(s2, s2, 4), addi(t2, t2, 1));
  p.branch(bne, t2, s4, 'top');
  p.i(li(s3, FB_BOTTOM), li(t2, 0));
  p.label('bottom').i(sw(s3, s2, 0), addi(s2, s2, 4), addi(t2, t2, 1));
  p.branch(bne, t2, s4, 'bottom');
  p.label('sleep').i(wfi()).jal(zero, 'sleep');
  return p.bytes();
}

export function framebufferBoard(file: string): Record<string, unknown> {
  return {
    boardlab: 1,
    name: 'framebuffer-test',
    description: 'Draws two bands into a small framebuffer.',
    objects: {
      cpu0: { type: 'rv32', props: { 'reset-vector': '0x80000000' } },
      ram: { type: 'ram', props: { size: '1M' } },
      fb: { type: 'framebuffer', props: { width: FB_WIDTH, height: FB_HEIGHT } },
    },
    memory: [
      { map: 'fb.vram', at: '0x30000000' },
      { map: 'ram.mem', at: '0x80000000' },
    ],
    images: [{ cpu: 'cpu0', file, format: 'binary', at: '0x80000000' }],
  };
}

/** An address nothing is mapped at on the test boards. */
export const UNMAPPED = 0x4000_0000;
export const FAULT_EXIT_CODE = 7;

/**
 * Loads from UNMAPPED (an access fault the engine logs as an event); the trap handler stops the
 * board with "fail, code FAULT_EXIT_CODE". Runs on echoBoard's memory map.
 */
export function faultProgram(base: number, finisherBase = 0x10_0000): Uint8Array {
  const p = new Program(base);
  p.la(t0, 'trap').i(csrw(CSR_MTVEC, t0));
  p.i(li(t1, UNMAPPED), lw(t2, t1, 0));
  p.label('hang').jal(zero, 'hang');
  p.org(base + 0x40).label('trap');
  p.i(li(s1, finisherBase), li(t0, (FAULT_EXIT_CODE << 16) | 0x3333), sw(t0, s1, 0));
  p.label('end').jal(zero, 'end');
  return p.bytes();
}
