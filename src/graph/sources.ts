// Assembly sources kept in the board document ("sources": { "main.s": { "text": … } }) and the
// images that name them ("images": [{ "cpu": "cpu0", "source": "main.s" }]). Resolution checks the
// names and settles how each source is assembled — its instruction set (from the CPU when the
// source does not say) and where its .text goes — so the runners (the CLI, the page) only assemble
// (./source-images.ts) what the resolved board says.
import { isA } from './catalog.ts';
import type { SourceMarch } from './schema.ts';

/** How one of the board's sources becomes the ELF an image loads. */
export interface ResolvedSource {
  /** Its name in "sources" ("main.s"): also the name the image's bytes go by (ResolvedImage.file). */
  name: string;
  text: string;
  march: SourceMarch;
  /** Where .text starts; undefined: the assembler's default (0x80000000 for RISC-V, 0 for ARM). */
  textAddress: number | undefined;
  /** Its pointer in the document: "/sources/main.s". */
  pointer: string;
}

/** The instruction set a CPU type runs, for assembling its image: undefined for a type that is not a CPU the assembler knows. */
export function cpuMarch(cpuType: string): SourceMarch | undefined {
  if (isA(cpuType, 'riscv-cpu')) return 'rv32imac';
  if (isA(cpuType, 'cortex-m0') || isA(cpuType, 'cortex-m0plus')) return 'armv6-m';
  if (isA(cpuType, 'arm-cpu')) return 'armv7-m';
  return undefined;
}

/** Do images of `march` run on a CPU that runs `cpuMarch`? (An rv32i program runs on an rv32imac hart; armv6-m code on an armv7-m core.) */
export function marchRunsOn(march: SourceMarch, cpu: SourceMarch): boolean {
  const family = (m: SourceMarch) => (m.startsWith('rv') ? 'riscv' : 'arm');
  return family(march) === family(cpu) && !(march === 'armv7-m' && cpu === 'armv6-m');
}
