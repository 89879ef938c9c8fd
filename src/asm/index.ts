// The assembler's public API: GNU as syntax in, a linked ELF executable out (with .symtab and a
// DWARF .debug_line), or diagnostics with line and column. Used by the CLI (`boardlab asm`), the
// board-file loader and the browser's source editor.

import type { AsmDiagnostic } from './diagnostics.ts';
import { assembleProgram } from './assembler.ts';

export type { AsmDiagnostic } from './diagnostics.ts';

export type AsmMarch = 'rv32imac' | 'rv32i' | 'armv7-m' | 'armv6-m';

export interface AsmOptions {
  /** Instruction set; rv32imac by default. */
  march?: AsmMarch;
  /** Name of the source file, recorded in the DWARF line table (default `prog.s`). */
  fileName?: string;
  /** Where .text is placed: 0x80000000 by default for RISC-V, 0 for ARM. */
  textAddress?: number;
}

export interface AsmSymbol {
  name: string;
  address: number;
  size: number;
  /** Output section holding the symbol (`.text`, `.data`…), or `*ABS*` for an absolute `.equ`. */
  section: string;
}

/** One row of the line table: the instruction at `address` comes from source line `line` (1-based). */
export interface AsmLine {
  address: number;
  line: number;
}

export type AsmResult =
  | { ok: true; elf: Uint8Array; symbols: AsmSymbol[]; lines: AsmLine[]; warnings: AsmDiagnostic[] }
  | { ok: false; errors: AsmDiagnostic[] };

/** Assemble and link one source file into an ELF executable. Never throws for bad source. */
export function assemble(source: string, options: AsmOptions = {}): AsmResult {
  return assembleProgram(source, options);
}
