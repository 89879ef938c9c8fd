// The firmware's sources reach the page: the site path of a file a -g ELF's line table names, and
// the plugin that serves firmware/ under firmware-src/ in the dev server and emits it in the build.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createServer, type Plugin } from 'vite';
import { describe, expect, it } from 'vitest';
import { FIRMWARE_SOURCE_FOLDER, firmwareSourceFiles, firmwareSourcesPlugin } from '../../scripts/lib/firmware-sources.ts';
import viteConfig from '../../vite.config.ts';
import { LineTable } from '../graph/dwarf-lines.ts';
import { firmwareSourcePath } from './firmware-sources.ts';

const root = fileURLToPath(new URL('../../', import.meta.url));

describe('firmwareSourcePath', () => {
  it('finds every file the committed hello ELFs name, RISC-V and ARM, in the firmware folder', () => {
    for (const image of ['firmware/hello.elf', 'firmware/arm/hello.elf', 'firmware/arm/bench-crc.elf']) {
      const table = LineTable.fromElf(new Uint8Array(readFileSync(join(root, 'public', image))))!;
      const files = table.files().filter((f) => !f.startsWith('/')); // not the compiler's own headers
      expect(files.length).toBeGreaterThan(2);
      for (const file of files) {
        const path = firmwareSourcePath(image, file);
        expect(path, `${image}: ${file}`).not.toBeNull();
        expect(firmwareSourceFiles(join(root, 'firmware'))).toContain(path!.slice(FIRMWARE_SOURCE_FOLDER.length));
      }
    }
    expect(firmwareSourcePath('firmware/arm/bench-crc.elf', '../common/print.c')).toBe('firmware-src/common/print.c');
    expect(firmwareSourcePath('firmware/hello.elf', 'hello/hello.c')).toBe('firmware-src/hello/hello.c');
  });

  it('has none for a firmware the user opened, a compiler header, or a path that leaves the folder', () => {
    expect(firmwareSourcePath('my-program.elf', 'main.c')).toBeNull();
    expect(firmwareSourcePath('firmware/hello.elf', '/usr/lib/gcc/riscv64-unknown-elf/12.2.0/include/stdint-gcc.h')).toBeNull();
    expect(firmwareSourcePath('firmware/hello.elf', '../../etc/passwd')).toBeNull();
  });
});

describe('the firmware-sources plugin', () => {
  it('serves the sources under firmware-src/ in the dev server, and nothing else', async () => {
    const server = await createServer({ configFile: join(root, 'vite.config.ts'), server: { port: 0 }, logLevel: 'silent', optimizeDeps: { noDiscovery: true } });
    try {
      await server.listen();
      const base = server.resolvedUrls!.local[0];
      const hello = await fetch(new URL('firmware-src/hello/hello.c', base));
      expect(hello.status).toBe(200);
      expect(await hello.text()).toBe(readFileSync(join(root, 'firmware/hello/hello.c'), 'utf8'));
      expect(await (await fetch(new URL('firmware-src/arm/common/startup.c', base))).text()).toContain('vector_table');
      // not a source (a Makefile, a test), not inside the folder: the server's usual answer (index.html)
      for (const other of ['firmware-src/Makefile', 'firmware-src/firmware.build.test.ts', 'firmware-src/%2e%2e/package.json']) {
        const response = await fetch(new URL(other, base));
        expect(response.headers.get('content-type') ?? '', other).not.toContain('text/plain');
      }
    } finally {
      await server.close();
    }
  });

  it('emits them into the build, as the page is built with it (vite.config.ts)', () => {
    const plugins = ((viteConfig as { plugins?: unknown[] }).plugins ?? []).flat() as Plugin[];
    const plugin = plugins.find((p) => p?.name === firmwareSourcesPlugin(join(root, 'firmware')).name)!;
    expect(plugin).toBeDefined();
    const emitted = new Map<string, string>();
    const context = { emitFile: (file: { fileName: string; source: Uint8Array }) => void emitted.set(file.fileName, Buffer.from(file.source).toString('utf8')) };
    (plugin.generateBundle as unknown as (this: typeof context) => void).call(context);
    expect(emitted.get('firmware-src/hello/hello.c')).toBe(readFileSync(join(root, 'firmware/hello/hello.c'), 'utf8'));
    expect(emitted.get('firmware-src/common/crt0-trap.S')).toContain('trap_entry');
    expect(emitted.get('firmware-src/arm/hello/hello.c')).toBeDefined();
    expect([...emitted.keys()].every((f) => /\.(c|h|S|inc)$/.test(f) && !f.includes('/build/'))).toBe(true);
  });
});
