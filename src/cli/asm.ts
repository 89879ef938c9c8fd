// `boardlab asm prog.s -o prog.elf [--march rv32imac] [--text-address 0x80000000]`: assembles and
// links one GNU as source into an ELF executable. Diagnostics are printed as compilers print them,
// `prog.s:LINE:COL: error: message`, with the hint on the next line.

import { readFileSync, writeFileSync } from 'node:fs';
import { basename } from 'node:path';
import { assemble, type AsmDiagnostic, type AsmMarch } from '../asm/index.ts';
import { InputError } from './board-files.ts';
import type { CommandIo } from './introspect.ts';

export const ASM_MARCHES: readonly AsmMarch[] = ['rv32imac', 'rv32i'];

export interface AsmCommandOptions {
  output?: string;
  march?: string;
  textAddress?: string;
}

export function asmCommand(source: string, options: AsmCommandOptions, io: CommandIo): number {
  const march = (options.march ?? 'rv32imac') as AsmMarch;
  if (!ASM_MARCHES.includes(march)) throw new InputError(`--march ${options.march}: supported are ${ASM_MARCHES.join(', ')}`);
  let textAddress: number | undefined;
  if (options.textAddress !== undefined) {
    const parsed = /^(0x[0-9a-f]+|[0-9]+)$/i.test(options.textAddress) ? Number(options.textAddress) : NaN;
    if (!(parsed >= 0 && parsed <= 0xffffffff)) throw new InputError(`--text-address ${options.textAddress}: write an address such as 0x80000000`);
    textAddress = parsed;
  }
  let text: string;
  try {
    text = readFileSync(source, 'utf8');
  } catch (error) {
    throw new InputError(`cannot read ${source}: ${(error as Error).message}`);
  }
  const output = options.output ?? source.replace(/\.[sS]$/, '') + '.elf';
  const result = assemble(text, { march, fileName: basename(source), textAddress });
  const print = (d: AsmDiagnostic, severity: 'error' | 'warning') => {
    io.stderr(`${source}:${d.line}:${d.column}: ${severity}: ${d.message}`);
    if (d.hint) io.stderr(`  hint: ${d.hint}`);
  };
  if (!result.ok) {
    for (const e of result.errors) print(e, 'error');
    return 1;
  }
  for (const w of result.warnings) print(w, 'warning');
  writeFileSync(output, result.elf);
  return 0;
}
