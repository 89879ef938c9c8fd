// The instruction sets the assembler knows, by --march name.

import type { AsmBackend } from './backend.ts';
import type { AsmMarch } from './index.ts';
import { RiscvBackend } from './riscv/backend.ts';

/** A fresh backend (backends keep per-file state such as `.option rvc`); undefined when the ISA has none yet. */
export function backendFor(march: AsmMarch): AsmBackend | undefined {
  switch (march) {
    case 'rv32imac': return new RiscvBackend({ compressed: true, multiply: true, atomic: true });
    case 'rv32i': return new RiscvBackend({ compressed: false, multiply: false, atomic: false });
    default: return undefined;
  }
}
