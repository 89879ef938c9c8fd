// The project's bundled firmware (public/firmware/*.elf, served at /firmware/…), listed at build
// time by the Vite plugin in scripts/lib/bundled-firmware.ts: what the CPU inspector offers by name.
import files from 'virtual:bundled-firmware';
import { bundledFirmwareArchitecture, firmwareFor } from './firmware-architecture.ts';

export interface BundledFirmware {
  /** The site path a board's image names: "firmware/hello.elf". */
  file: string;
  /** What the user picks: "hello". */
  name: string;
  /** The architecture it is built for (the catalog's name: "RISC-V", "ARM"). */
  architecture: string;
}

export const bundledFirmware: readonly BundledFirmware[] = files.map((file) => ({ file, name: file.slice(file.lastIndexOf('/') + 1).replace(/\.elf$/, ''), architecture: bundledFirmwareArchitecture(file) }));

/** The bundled firmware a CPU of `architecture` runs (all of it when the architecture is unknown). */
export function bundledFirmwareFor(architecture: string | undefined): readonly BundledFirmware[] {
  return firmwareFor(bundledFirmware, architecture);
}
