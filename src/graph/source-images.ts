// The images a board assembles from its own sources (./sources.ts): each source an image names,
// assembled once (src/asm) into the ELF the image loads, by the source's name. An assembly error
// is a board problem at the source's text, its message starting "main.s:3:5: error:" as GNU as
// says it, so the CLI prints where it is and the page's source editor marks that line and column.
import { assemble, type AsmDiagnostic } from '../asm/index.ts';
import { pointerOf, type BoardProblem } from './problems.ts';
import type { ResolvedBoard } from './resolve.ts';
import type { ResolvedSource } from './sources.ts';

export interface AssembledSources {
  /** The ELF of each source an image names, by the source's name (the images' `file`). */
  files: Map<string, Uint8Array>;
  /** Assembly errors: the board does not run while there are any. */
  problems: BoardProblem[];
  /** Assembler warnings (severity "warning"): said, never stopping the board. */
  warnings: BoardProblem[];
}

const DEFAULT_HINT = 'Fix the source and assemble again.';

function diagnosticProblem(source: ResolvedSource, diagnostic: AsmDiagnostic, severity: 'error' | 'warning'): BoardProblem {
  return {
    pointer: `${source.pointer}/text`,
    message: `${source.name}:${diagnostic.line}:${diagnostic.column}: ${severity}: ${diagnostic.message}`,
    hint: diagnostic.hint ?? (severity === 'error' ? DEFAULT_HINT : 'The source assembles; this is only a warning.'),
    ...(severity === 'warning' && { severity }),
  };
}

/** Assembles every source the board's images name (never throws: a bad source is a problem). */
export function assembleSourceImages(board: ResolvedBoard): AssembledSources {
  const result: AssembledSources = { files: new Map(), problems: [], warnings: [] };
  const done = new Set<string>();
  for (const image of board.images) {
    const source = image.source;
    if (source === undefined || done.has(source.name)) continue;
    done.add(source.name);
    const assembled = assemble(source.text, { march: source.march, fileName: source.name, ...(source.textAddress !== undefined && { textAddress: source.textAddress }) });
    if (!assembled.ok) {
      result.problems.push(...assembled.errors.map((d) => diagnosticProblem(source, d, 'error')));
      continue;
    }
    result.files.set(source.name, assembled.elf);
    result.warnings.push(...assembled.warnings.map((d) => diagnosticProblem(source, d, 'warning')));
  }
  return result;
}

/** Where in a source a problem of assembleSourceImages is: the source's name, line and column (undefined for any other problem). */
export function sourceProblemLocation(problem: BoardProblem): { source: string; line: number; column: number } | undefined {
  const match = /^([^:]+):(\d+):(\d+): (?:error|warning): /.exec(problem.message);
  if (match === null || problem.pointer !== `${pointerOf('sources', match[1])}/text`) return undefined;
  return { source: match[1], line: Number(match[2]), column: Number(match[3]) };
}
