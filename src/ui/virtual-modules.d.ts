// Modules that Vite plugins make at build time (see vite.config.ts).

declare module 'virtual:bundled-firmware' {
  /** Site paths of the bundled firmware ("firmware/hello.elf"), from public/firmware (scripts/lib/bundled-firmware.ts). */
  const files: readonly string[];
  export default files;
}
