// The firmware the site serves, as a module the page imports: a Vite plugin that lists
// public/firmware/*.elf when the page is built (or served), so the designer's "Image" choices come
// from the files themselves and cannot go stale. `import files from 'virtual:bundled-firmware'`
// gives their site paths ("firmware/hello.elf"), sorted.
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Plugin } from 'vite';

export const BUNDLED_FIRMWARE_MODULE = 'virtual:bundled-firmware';
const RESOLVED_ID = `\0${BUNDLED_FIRMWARE_MODULE}`;

/**
 * The ELF files under `publicDir`/firmware and its folders at any depth (firmware/arm/ holds the
 * Cortex-M firmware, firmware/amp/arm/ the ARM side of the heterogeneous example), as the site
 * paths the page fetches them by: each folder's own first, sorted, then its subfolders'.
 */
export function bundledFirmwareFiles(publicDir: string): string[] {
  // each folder's ELFs (sorted), then its subfolders' in name order, at any depth
  const walk = (folder: string, prefix: string): string[] => {
    const entries = readdirSync(folder, { withFileTypes: true });
    const elfs = entries.filter((entry) => entry.isFile() && entry.name.endsWith('.elf')).map((entry) => `${prefix}${entry.name}`).sort();
    const folders = entries.filter((entry) => entry.isDirectory()).map((entry) => entry.name).sort();
    return [...elfs, ...folders.flatMap((name) => walk(join(folder, name), `${prefix}${name}/`))];
  };
  return walk(join(publicDir, 'firmware'), 'firmware/');
}

/** The module's source text. */
export function bundledFirmwareModule(publicDir: string): string {
  return `export default ${JSON.stringify(bundledFirmwareFiles(publicDir))};\n`;
}

export function bundledFirmwarePlugin(publicDir: string): Plugin {
  const folder = join(publicDir, 'firmware');
  return {
    name: 'boardlab-bundled-firmware',
    resolveId(id) {
      return id === BUNDLED_FIRMWARE_MODULE ? RESOLVED_ID : undefined;
    },
    load(id) {
      return id === RESOLVED_ID ? bundledFirmwareModule(publicDir) : undefined;
    },
    // The dev server: an ELF added to or removed from the folder changes the list (the page reloads).
    configureServer(server) {
      const changed = (file: string) => {
        if (!file.startsWith(folder) || !file.endsWith('.elf')) return;
        const module = server.moduleGraph.getModuleById(RESOLVED_ID);
        if (module) server.moduleGraph.invalidateModule(module);
        server.ws.send({ type: 'full-reload' });
      };
      server.watcher.on('add', changed);
      server.watcher.on('unlink', changed);
    },
  };
}
