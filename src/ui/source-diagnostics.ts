// What the source editor marks in one of the board's sources: the errors of the last refused load
// that are in it and the assembler's warnings about it from the last assembly (which never stop
// the board), each at its line and column, as GNU as reports "main.s:3:5: warning: …".
import { sourceProblemLocation, type BoardProblem } from '../graph/index.ts';

/** A problem to mark in the source: 1-based line and column, as the assembler reports them. */
export interface SourceDiagnostic {
  line: number;
  column: number;
  message: string;
  hint?: string;
  severity: 'error' | 'warning';
}

/** The problems and warnings that are in source `name`, as editor diagnostics (the "main.s:3:5: " prefix left off: the marker is there). */
export function sourceDiagnostics(problems: readonly BoardProblem[], warnings: readonly BoardProblem[], name: string): SourceDiagnostic[] {
  const out: SourceDiagnostic[] = [];
  const seen = new Set<string>();
  for (const problem of [...problems, ...warnings]) {
    const where = sourceProblemLocation(problem);
    if (where?.source !== name || seen.has(problem.message)) continue;
    seen.add(problem.message);
    const severity = problem.severity ?? 'error';
    out.push({ line: where.line, column: where.column, message: problem.message.slice(`${where.source}:${where.line}:${where.column}: `.length), hint: problem.hint, severity });
  }
  return out;
}
