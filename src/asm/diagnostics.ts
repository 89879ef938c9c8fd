// Diagnostics of the assembler: where (1-based line and column), what, and a hint to fix it.

export interface AsmDiagnostic {
  line: number;
  column: number;
  /** Column just past the offending text, when it is known (1-based, exclusive). */
  endColumn?: number;
  message: string;
  hint?: string;
}

/** Where a piece of source text sits: the statement's line and the token's columns. */
export interface SourceSpan {
  line: number;
  column: number;
  endColumn: number;
}

/** Thrown inside the assembler for one statement; the driver records it and goes on with the next one. */
export class AsmError extends Error {
  constructor(
    readonly span: SourceSpan,
    message: string,
    readonly hint?: string,
  ) {
    super(message);
  }

  toDiagnostic(): AsmDiagnostic {
    const diagnostic: AsmDiagnostic = { line: this.span.line, column: this.span.column, endColumn: this.span.endColumn, message: this.message };
    if (this.hint !== undefined) diagnostic.hint = this.hint;
    return diagnostic;
  }
}
