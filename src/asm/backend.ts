// The interface between the ISA-independent assembler driver (statements, directives, sections,
// symbols, relaxation, ELF) and one instruction set. A backend parses an instruction statement into
// an AsmInstruction; the driver asks that object for its size on every relaxation pass (sizes may
// grow as distances become known) and finally for its bytes.
//
// To add an instruction set: implement AsmBackend in src/asm/<isa>/ and return it from
// backendFor() in src/asm/backends.ts. The RISC-V backend (src/asm/riscv/) is the example.

import type { SourceSpan } from './diagnostics.ts';
import type { Expr } from './expr.ts';
import type { Token } from './lexer.ts';

/** An instruction statement as the driver hands it over: labels are gone, operands split at top-level commas. */
export interface InstructionStatement {
  mnemonic: Token;
  /** Operands, each as its tokens (never empty: the driver rejects `a,,b`). */
  operands: Token[][];
  /** The whole statement (mnemonic to last operand). */
  span: SourceSpan;
}

/** What a backend can ask while parsing a statement. */
export interface ParseContext {
  /** Parses tokens as an expression (`where` is used when there are none). */
  expression(tokens: Token[], where: SourceSpan): Expr;
  /** The expression's value when it is a constant now (numbers, and symbols already set to constants); else undefined. */
  constant(expr: Expr): number | undefined;
}

/** What a backend can ask while sizing an instruction during relaxation. */
export interface LayoutContext {
  /** Address of this instruction in the current layout. */
  address: number;
  /** The value of an expression in the current layout; undefined when a symbol is not defined. */
  value(expr: Expr): number | undefined;
  /**
   * Whether the expression is a label (plus or minus constants) in the same input section as the
   * instruction: GNU as relaxes (shortens) a branch only then; other targets are left to the linker
   * at full size.
   */
  inSameSection(expr: Expr): boolean;
}

/** What a backend can ask while encoding (addresses are final). */
export interface EncodeContext extends LayoutContext {
  /** The value of an expression; throws an AsmError naming an undefined symbol. */
  require(expr: Expr): number;
  /** The instruction that starts at an address (for %pcrel_lo(label), which refers to an auipc). */
  instructionAt(address: number): AsmInstruction | undefined;
}

export interface AsmInstruction {
  /** Size in bytes at this layout. The driver never lets a size shrink between passes, as GNU as. */
  size(layout: LayoutContext): number;
  /** The bytes; their length is the last size the driver was given (the instruction may pad with nothing else). */
  encode(context: EncodeContext, size: number): Uint8Array;
}

export interface AsmBackend {
  /** ELF e_machine and e_flags as GNU as and ld set them for this instruction set. */
  readonly elfMachine: number;
  readonly elfFlags: number;
  /** Where .text goes unless the user says otherwise. */
  readonly defaultTextAddress: number;
  /** ld's MAXPAGESIZE: the data segment starts at the next page plus the offset of the end of the text segment. */
  readonly maxPageSize: number;
  /** Characters that start a comment to the end of the line (`#` RISC-V, `@` ARM); `//` and `/* *\/` always work. */
  readonly lineCommentChars: string;
  /** Parses one instruction (or pseudo-instruction); throws AsmError for bad input. */
  instruction(statement: InstructionStatement, context: ParseContext): AsmInstruction;
  /** The alignment (bytes) a code section gets once it holds an instruction assembled now. */
  instructionAlignment(): number;
  /** Handles a target directive (`.option` for RISC-V, `.thumb` for ARM); false when it is not one. */
  directive(name: Token, operands: Token[][], span: SourceSpan): boolean;
  /** Padding of `size` bytes in a code section at `address` (GNU as fills code with no-ops). */
  codeFill(size: number, address: number): Uint8Array;
}
