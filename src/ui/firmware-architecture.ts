// Which architecture a bundled firmware is built for, from its folder under public/firmware (the
// top level's are RISC-V, an arm/ folder holds Cortex-M builds), so the CPU inspector offers a
// CPU only the firmware it runs. Pure; ./bundled-firmware.ts applies it to the build's list.

/** Folders of public/firmware whose ELFs are for another architecture than RISC-V (the top level's). */
const FOLDER_ARCHITECTURES: Readonly<Record<string, string>> = { arm: 'ARM' };

/**
 * The architecture (the catalog's name: "RISC-V", "ARM") the bundled firmware at `file`
 * ("firmware/arm/hello.elf") is built for: the innermost folder that names one (a heterogeneous
 * board's firmware keeps its ARM side in a folder of its own: "firmware/amp/arm/m3.elf").
 */
export function bundledFirmwareArchitecture(file: string): string {
  const folders = file.split('/').slice(1, -1).reverse();
  const named = folders.find((folder) => FOLDER_ARCHITECTURES[folder] !== undefined);
  return named === undefined ? 'RISC-V' : FOLDER_ARCHITECTURES[named];
}

/** The entries of `list` a CPU of `architecture` runs (all of them when the architecture is unknown). */
export function firmwareFor<T extends { architecture: string }>(list: readonly T[], architecture: string | undefined): readonly T[] {
  return architecture === undefined ? list : list.filter((firmware) => firmware.architecture === architecture);
}
