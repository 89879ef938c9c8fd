// The engine module "engine/cpu/riscv" (loaded by ../../registry.ts): the RISC-V cores by catalog type: rv32 builds an
// Rv32Cpu from the object's resolved props (hart-id, reset-vector, and the extensions m, a, f, d, c, s, u,
// zba, zbb, zbc, zbs exactly as they are set: nothing is dropped or added behind the board's back;
// an extension that is off makes its encodings illegal instructions).
import type { CpuContext, CpuCore, CpuFactory } from '../contract.ts';
import { Rv32Cpu } from './rv32.ts';

/** The single-letter extension props of riscv-cpu, in misa order of the hart's options. */
const EXTENSION_PROPS = ['m', 'a', 'c', 's', 'u'] as const;
/** The floating-point extension props: off unless set (the catalog's default is false; riscv-virt@1.2 turns them on). */
const FLOAT_EXTENSION_PROPS = ['f', 'd'] as const;
/** The multi-letter extension props (bit manipulation), in ISA-string order. */
const MULTI_LETTER_EXTENSION_PROPS = ['zba', 'zbb', 'zbc', 'zbs'] as const;

function rv32(context: CpuContext): CpuCore {
  const { props, path } = context;
  const letters = EXTENSION_PROPS.filter((e) => props[e] !== false).join('') + FLOAT_EXTENSION_PROPS.filter((e) => props[e] === true).join('');
  const multiLetter = MULTI_LETTER_EXTENSION_PROPS.filter((e) => props[e] === true);
  const extensions = [letters, ...multiLetter].join('_');
  if (letters.includes('s') && !letters.includes('u')) {
    throw new Error(`${path}: supervisor mode (s) needs user mode (u): set "u" to true, or "s" to false`);
  }
  if (letters.includes('d') && !letters.includes('f')) {
    throw new Error(`${path}: double precision (d) needs single precision (f): set "f" to true, or "d" to false`);
  }
  // QEMU's "debug" CPU property (the trigger module). Resolved boards always carry it (the catalog's
  // default is false; riscv-virt@1.2 turns it on); a core built without props (tests) has it.
  const triggers = props.debug !== false;
  return new Rv32Cpu(context.space, { hartId: Number(props['hart-id']), resetVector: Number(props['reset-vector']), extensions, triggers });
}

export const cpus: Readonly<Record<string, CpuFactory>> = { rv32 };

/** The RV32 hart behind a core built by this module, for tests that need RISC-V internals (CSRs, privilege). */
export function riscvCore(core: CpuCore | undefined): Rv32Cpu {
  if (!(core instanceof Rv32Cpu)) throw new Error('not a RISC-V RV32 core');
  return core;
}
