// Sources kept in the board (docs/board-format.md §1a) as the designer edits them: the document
// edits that change a source's text or add a new source as a CPU's image, and the starting program
// a new source gets — hello on the board's UART when the CPU sees one. Pure functions over board
// documents and resolved boards.
import { addressSpaceView, cpuAddressSpace, cpuMarch, hex, isA, relativePath, type BoardDocument, type ResolvedBoard, type SourceDocument } from '../graph/index.ts';
import { setCpuImageEntry } from './board-firmware.ts';

/** The names of the document's sources, in document order. */
export function sourceNames(document: BoardDocument | null): string[] {
  return document?.sources ? Object.keys(document.sources) : [];
}

/** The document with source `name`'s text replaced (undefined when it has no such source, or the text is the same). */
export function setSourceText(document: BoardDocument, name: string, text: string): BoardDocument | undefined {
  const source = document.sources?.[name];
  if (source === undefined || source.text === text) return undefined;
  const next = structuredClone(document);
  next.sources![name] = { ...source, text };
  return next;
}

/** The first of main.s, main2.s, main3.s, … that the document does not use. */
export function newSourceName(document: BoardDocument): string {
  const taken = new Set(sourceNames(document));
  for (let n = 1; ; n++) {
    const name = n === 1 ? 'main.s' : `main${n}.s`;
    if (!taken.has(name)) return name;
  }
}

/** The document with `source` added as `name` and made the image of the CPU at `cpuPath` (replacing the CPU's image entry where it stands). */
export function addSourceImage(document: BoardDocument, cpuPath: string, name: string, source: SourceDocument): BoardDocument {
  const next = setCpuImageEntry(document, cpuPath, { cpu: relativePath(cpuPath), source: name });
  next.sources = { ...next.sources, [name]: source };
  return next;
}

/** Where the assembler puts .text when the source does not say (src/asm's defaults). */
const DEFAULT_TEXT_ADDRESS = { riscv: 0x80000000, arm: 0 } as const;

type AddressSpaceView = ReturnType<typeof addressSpaceView>;
type Segment = AddressSpaceView[number];

/** What a segment of the view is: ram, rom, mmio… (an alias is what it aliases). */
const segmentKind = (s: Segment): string => s.mapping.alias?.kind ?? s.mapping.kind;

/** Is [address, address + 4) RAM, ROM or flash in the CPU's view? */
function isMemoryAt(view: AddressSpaceView, address: number): boolean {
  return view.some((s) => address >= s.base && address + 4 <= s.base + s.size && ['ram', 'rom'].includes(segmentKind(s)));
}

/** The registers of the first UART of catalog type `uartType` the CPU sees. */
function uartIn(board: ResolvedBoard, view: AddressSpaceView, uartType: string): Segment | undefined {
  return view.find((s) => isA(board.objects.find((o) => o.path === s.mapping.object)?.type ?? '', uartType) && s.mapping.region === 'regs');
}

/**
 * The first program of a new source for the CPU at `cpuPath`: it prints a greeting on the board's
 * UART (or, without one, counts in a register) and then waits for interrupts. Undefined for an
 * object that is no CPU the assembler knows.
 */
export function sourceTemplate(board: ResolvedBoard, cpuPath: string, name: string): SourceDocument | undefined {
  const cpu = board.objects.find((o) => o.path === cpuPath);
  if (cpu === undefined) return undefined;
  const march = cpuMarch(cpu.type);
  if (march === undefined) return undefined;
  const view = addressSpaceView(board, cpuAddressSpace(cpu));
  const header = (comment: string) => [`${comment} ${name}: assembled into ${relativePath(cpuPath)}'s image whenever the board runs.`, `${comment} Ctrl+Enter assembles and runs it again.`, ''];
  return march === 'rv32imac' ? riscvTemplate(board, view, Number(cpu.props['reset-vector']), name, header('#')) : cortexMTemplate(board, view, Number(cpu.props['reset-vector']), name, header('@'));
}

/**
 * RISC-V: the greeting goes to the first NS16550A UART the hart sees; .text goes where the
 * assembler puts it unless no memory is there (a microcontroller's flash at 0), then to the
 * hart's reset vector.
 */
function riscvTemplate(board: ResolvedBoard, view: AddressSpaceView, resetVector: number, name: string, lines: string[]): SourceDocument {
  const uart = uartIn(board, view, 'ns16550a');
  const textAddress = isMemoryAt(view, DEFAULT_TEXT_ADDRESS.riscv) ? undefined : isMemoryAt(view, resetVector) ? resetVector : undefined;
  if (uart !== undefined) {
    lines.push(
      `  .equ UART, ${hex(uart.base)}        # ${relativePath(uart.mapping.object)}: transmit holding register at +0`,
      '',
      '  .text',
      '  .globl _start',
      '_start:',
      '  la a0, message',
      '  li a1, UART',
      'print:',
      '  lbu t0, 0(a0)',
      '  beqz t0, done',
      '  sb t0, 0(a1)',
      '  addi a0, a0, 1',
      '  j print',
      'done:',
      '  wfi',
      '  j done',
      '',
      'message:',
      `  .asciz "Hello from ${name}!\\n"`,
    );
  } else {
    lines.push('  .text', '  .globl _start', '_start:', '  li a0, 0', 'count:', '  addi a0, a0, 1', '  j count');
  }
  return { text: `${lines.join('\n')}\n`, ...(textAddress !== undefined && { textAddress: hex(textAddress) }) };
}

/** A line of ARM assembly with its comment in the comment column. */
const COMMENT_COLUMN = 32;
const commented = (code: string, comment: string): string => `${code.padEnd(COMMENT_COLUMN)}@ ${comment}`;

/** The Cortex-M SRAM region (ARMv7-M/ARMv6-M default memory map): where a stack usually lives. */
const SRAM_REGION = { start: 0x2000_0000, end: 0x4000_0000 } as const;

/**
 * The initial SP: the end of the first RAM in the SRAM region, else the end of the last RAM the
 * core sees (the stack grows down from there); undefined without RAM.
 */
function stackTop(view: AddressSpaceView): number | undefined {
  const ram = view.filter((s) => s.mapping.kind === 'ram');
  const sram = ram.find((s) => s.base >= SRAM_REGION.start && s.base + s.size <= SRAM_REGION.end);
  const chosen = sram ?? ram.at(-1);
  return chosen === undefined ? undefined : chosen.base + chosen.size;
}

/**
 * Cortex-M (Thumb-2 unified syntax, in the ARMv6-M subset so it assembles for every core): a vector
 * table at the core's reset vector — the initial SP and the reset handler (a `.thumb_func`, so
 * `.word` sets bit 0), NMI and HardFault parked in a loop — and a reset handler that enables the
 * CMSDK APB UART's transmitter (CTRL.TXEN: without it nothing is sent) and writes the greeting a byte
 * at a time, each once STATE.TXFULL is clear.
 */
function cortexMTemplate(board: ResolvedBoard, view: AddressSpaceView, resetVector: number, name: string, lines: string[]): SourceDocument {
  const uart = uartIn(board, view, 'cmsdk-apb-uart');
  const stack = stackTop(view);
  lines.push(
    '  .syntax unified',
    '  .thumb',
    '',
    stack === undefined ? commented('  .equ STACK_TOP, 0', 'the core sees no RAM: there is no stack') : commented(`  .equ STACK_TOP, ${hex(stack)}`, 'the end of RAM: the stack grows down from here'),
  );
  if (uart !== undefined) {
    lines.push(
      commented(`  .equ UART, ${hex(uart.base)}`, `${relativePath(uart.mapping.object)}: a CMSDK APB UART`),
      '  .equ UART_DATA, 0x0',
      commented('  .equ UART_STATE, 0x4', 'bit 0: TXFULL, a byte waits to be sent'),
      commented('  .equ UART_CTRL, 0x8', 'bit 0: TXEN, the transmitter is on'),
    );
  }
  lines.push(
    '',
    '  .text',
    '  .globl _start',
    '@ The vector table: the core loads SP from the first word and starts at the second.',
    'vectors:',
    '  .word STACK_TOP',
    '  .word _start',
    commented('  .word fault', 'NMI'),
    commented('  .word fault', 'HardFault'),
    '',
    '  .thumb_func',
    '_start:',
  );
  if (uart !== undefined) {
    lines.push(
      '  ldr r1, =UART',
      '  movs r0, #1',
      commented('  str r0, [r1, #UART_CTRL]', 'TXEN'),
      '  ldr r0, =message',
      'print:',
      '  ldrb r2, [r0]',
      '  cmp r2, #0',
      '  beq done',
      'wait:',
      '  ldr r3, [r1, #UART_STATE]',
      commented('  lsrs r3, r3, #1', 'TXFULL into the carry flag'),
      '  bcs wait',
      '  strb r2, [r1, #UART_DATA]',
      '  adds r0, r0, #1',
      '  b print',
      'done:',
      '  wfi',
      '  b done',
    );
  } else {
    lines.push('  movs r0, #0', 'count:', '  adds r0, r0, #1', '  b count');
  }
  lines.push('', '  .thumb_func', 'fault:', '  b fault');
  if (uart !== undefined) lines.push('', 'message:', `  .asciz "Hello from ${name}!\\n"`);
  const textAddress = resetVector !== DEFAULT_TEXT_ADDRESS.arm ? resetVector : undefined;
  return { text: `${lines.join('\n')}\n`, ...(textAddress !== undefined && { textAddress: hex(textAddress) }) };
}
