// Placeholder driver: replaced by the real one in the next commits.
import type { AsmOptions, AsmResult } from './index.ts';

export function assembleProgram(_source: string, _options: AsmOptions): AsmResult {
  return { ok: false, errors: [{ line: 1, column: 1, message: 'the assembler is not written yet' }] };
}
