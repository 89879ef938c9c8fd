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

/** Is [address, address + 4) RAM, ROM or flash in the CPU's view? */
function isMemoryAt(view: ReturnType<typeof addressSpaceView>, address: number): boolean {
  return view.some((s) => address >= s.base && address + 4 <= s.base + s.size && ['ram', 'rom'].includes(s.mapping.alias?.kind ?? s.mapping.kind));
}

/**
 * The first program of a new source for the CPU at `cpuPath`: on a RISC-V hart, it prints a
 * greeting on the first NS16550A UART the hart sees (or, without one, counts in a0) and then waits
 * for interrupts; .text goes where the assembler puts it unless no memory is there (a
 * microcontroller's flash at 0), then to the CPU's reset vector. Undefined for a CPU the template
 * has no program for (the Cortex-M cores: their vector table and UART differ per board).
 */
export function sourceTemplate(board: ResolvedBoard, cpuPath: string, name: string): SourceDocument | undefined {
  const cpu = board.objects.find((o) => o.path === cpuPath);
  if (cpu === undefined || cpuMarch(cpu.type) !== 'rv32imac') return undefined;
  const view = addressSpaceView(board, cpuAddressSpace(cpu));
  const uart = view.find((s) => isA(board.objects.find((o) => o.path === s.mapping.object)?.type ?? '', 'ns16550a') && s.mapping.region === 'regs');
  const resetVector = Number(cpu.props['reset-vector']);
  const textAddress = isMemoryAt(view, DEFAULT_TEXT_ADDRESS.riscv) ? undefined : isMemoryAt(view, resetVector) ? resetVector : undefined;
  const lines = [`# ${name}: assembled into ${relativePath(cpuPath)}'s image whenever the board runs.`, '# Ctrl+Enter assembles and runs it again.', ''];
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
