// The CPU inspector offers the bundled firmware by name from a module the build derives from
// public/firmware (scripts/lib/bundled-firmware.ts): the list is the folder, so it cannot go stale.
import { mkdtempSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Plugin } from 'vite';
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
    const watched: string[] = [];
    const load = plugin!.load as (this: { addWatchFile(file: string): void }, id: string) => string | undefined;
    expect(load.call({ addWatchFile: (file) => watched.push(file) }, id!)).toBe(bundledFirmwareModule(publicDir));
    expect(watched).toEqual([join(publicDir, 'firmware')]);
  });
});
