// The CPU inspector offers the bundled firmware by name from a module the build derives from
// public/firmware (scripts/lib/bundled-firmware.ts): the list is the folder, so it cannot go stale.
import { mkdtempSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createServer, type Plugin } from 'vite';
import { describe, expect, it } from 'vitest';
import { BUNDLED_FIRMWARE_MODULE, bundledFirmwareFiles, bundledFirmwareModule, bundledFirmwarePlugin } from '../../scripts/lib/bundled-firmware.ts';
import viteConfig from '../../vite.config.ts';
import { bundledFirmwareArchitecture, firmwareFor } from './firmware-architecture.ts';

const publicDir = fileURLToPath(new URL('../../public', import.meta.url));

describe('the bundled firmware module', () => {
  it('lists every ELF the site serves from public/firmware, as the path a board names it by', () => {
    const elfs = readdirSync(join(publicDir, 'firmware')).filter((name) => name.endsWith('.elf'));
    expect(elfs.length).toBeGreaterThan(0);
    expect(bundledFirmwareFiles(publicDir).filter((file) => !file.slice('firmware/'.length).includes('/'))).toEqual(elfs.sort().map((name) => `firmware/${name}`));
    expect(bundledFirmwareFiles(publicDir)).toContain('firmware/hello.elf');
    expect(bundledFirmwareFiles(publicDir)).toContain('firmware/blinky.elf');
    // the Cortex-M firmware in firmware/arm/ too, after the top level's
    const arm = readdirSync(join(publicDir, 'firmware', 'arm')).filter((name) => name.endsWith('.elf'));
    expect(bundledFirmwareFiles(publicDir).filter((file) => file.startsWith('firmware/arm/'))).toEqual(arm.sort().map((name) => `firmware/arm/${name}`));
  });

  it('follows the folder: a new ELF appears, other files do not', () => {
    const dir = mkdtempSync(join(tmpdir(), 'boardlab-public-'));
    mkdirSync(join(dir, 'firmware'));
    for (const name of ['zeta.elf', 'alpha.elf', 'README.md']) writeFileSync(join(dir, 'firmware', name), '');
    expect(bundledFirmwareModule(dir)).toBe('export default ["firmware/alpha.elf","firmware/zeta.elf"];\n');
    mkdirSync(join(dir, 'firmware', 'arm'));
    writeFileSync(join(dir, 'firmware', 'arm', 'hello.elf'), '');
    expect(bundledFirmwareModule(dir)).toBe('export default ["firmware/alpha.elf","firmware/zeta.elf","firmware/arm/hello.elf"];\n');
  });

  it('is served by the plugin the page is built with', async () => {
    const config = typeof viteConfig === 'function' ? undefined : viteConfig;
    const plugins = (config?.plugins ?? []).flat() as Plugin[];
    const plugin = plugins.find((p) => p?.name === bundledFirmwarePlugin(publicDir).name);
    expect(plugin).toBeDefined();
    const resolveId = plugin!.resolveId as (id: string) => string | undefined;
    const id = resolveId(BUNDLED_FIRMWARE_MODULE);
    expect(id).toBeDefined();
    const load = plugin!.load as (id: string) => string | undefined;
    expect(load(id!)).toBe(bundledFirmwareModule(publicDir));
  });

  it('goes through the dev server (npm run dev) as it does through the build', async () => {
    // A real dev server on a free port, asked over HTTP for the module as the page asks for it.
    const server = await createServer({ configFile: fileURLToPath(new URL('../../vite.config.ts', import.meta.url)), server: { port: 0 }, logLevel: 'silent', optimizeDeps: { noDiscovery: true } });
    try {
      await server.listen();
      const base = server.resolvedUrls!.local[0];
      // the module that imports it (the dev server starts transforming its imports then), then the module
      expect((await fetch(new URL('src/ui/bundled-firmware.ts', base))).status).toBe(200);
      const response = await fetch(new URL(`@id/__x00__${BUNDLED_FIRMWARE_MODULE}`, base));
      expect(response.status).toBe(200);
      expect(await response.text()).toContain('"firmware/hello.elf"');
    } finally {
      await server.close();
    }
  });
});

describe('the bundled firmware a CPU is offered', () => {
  it('is the firmware built for its architecture: firmware/arm/ for a Cortex-M CPU, the top level for a RISC-V hart', () => {
    expect(bundledFirmwareArchitecture('firmware/hello.elf')).toBe('RISC-V');
    expect(bundledFirmwareArchitecture('firmware/arm/hello.elf')).toBe('ARM');
    // a heterogeneous board's firmware: the hart's beside the ARM side's folder
    expect(bundledFirmwareArchitecture('firmware/amp/hart.elf')).toBe('RISC-V');
    expect(bundledFirmwareArchitecture('firmware/amp/arm/m3.elf')).toBe('ARM');
    const bundled = bundledFirmwareFiles(publicDir).map((file) => ({ file, architecture: bundledFirmwareArchitecture(file) }));
    const arm = firmwareFor(bundled, 'ARM').map((f) => f.file);
    expect(arm).toContain('firmware/arm/hello.elf');
    expect(arm).toContain('firmware/amp/arm/m3.elf');
    expect(arm.every((file) => file.split('/').includes('arm'))).toBe(true);
    const riscv = firmwareFor(bundled, 'RISC-V').map((f) => f.file);
    expect(riscv).toContain('firmware/hello.elf');
    expect(riscv).toContain('firmware/amp/hart.elf');
    expect(riscv.some((file) => file.split('/').includes('arm'))).toBe(false);
    expect(firmwareFor(bundled, undefined)).toBe(bundled);
    // each file's e_machine agrees with the folder's architecture (EM_ARM 40, EM_RISCV 243)
    for (const firmware of bundled) {
      const bytes = readFileSync(join(publicDir, firmware.file));
      expect(bytes.readUInt16LE(18), firmware.file).toBe(firmware.architecture === 'ARM' ? 40 : 243);
    }
  });
});
