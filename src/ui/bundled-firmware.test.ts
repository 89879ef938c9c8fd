// The CPU inspector offers the bundled firmware by name from a module the build derives from
// public/firmware (scripts/lib/bundled-firmware.ts): the list is the folder, so it cannot go stale.
import { mkdtempSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createServer, type Plugin } from 'vite';
import { describe, expect, it } from 'vitest';
import { BUNDLED_FIRMWARE_MODULE, bundledFirmwareFiles, bundledFirmwareModule, bundledFirmwarePlugin } from '../../scripts/lib/bundled-firmware.ts';
import viteConfig from '../../vite.config.ts';

const publicDir = fileURLToPath(new URL('../../public', import.meta.url));

describe('the bundled firmware module', () => {
  it('lists every ELF the site serves from public/firmware, as the path a board names it by', () => {
    const elfs = readdirSync(join(publicDir, 'firmware')).filter((name) => name.endsWith('.elf'));
    expect(elfs.length).toBeGreaterThan(0);
    expect(bundledFirmwareFiles(publicDir)).toEqual(elfs.sort().map((name) => `firmware/${name}`));
    expect(bundledFirmwareFiles(publicDir)).toContain('firmware/hello.elf');
    expect(bundledFirmwareFiles(publicDir)).toContain('firmware/blinky.elf');
  });

  it('follows the folder: a new ELF appears, other files do not', () => {
    const dir = mkdtempSync(join(tmpdir(), 'boardlab-public-'));
    mkdirSync(join(dir, 'firmware'));
    for (const name of ['zeta.elf', 'alpha.elf', 'README.md']) writeFileSync(join(dir, 'firmware', name), '');
    expect(bundledFirmwareModule(dir)).toBe('export default ["firmware/alpha.elf","firmware/zeta.elf"];\n');
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
