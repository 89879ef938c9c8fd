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
 * The ELF files under `publicDir`/firmware and its folders one level down (firmware/arm/ holds the
 * Cortex-M firmware), as the site paths the page fetches them by: the top level's first, sorted.
 */
export function bundledFirmwareFiles(publicDir: string): string[] {
  const root = join(publicDir, 'firmware');
  const elfs = (folder: string, prefix: string) =>
    readdirSync(folder, { withFileTypes: true })
      .filter((entry) => entry.isFile() && entry.name.endsWith('.elf'))
      .map((entry) => `${prefix}${entry.name}`)
      .sort();
  const folders = readdirSync(root, { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name)
    .sort();
  return [...elfs(root, 'firmware/'), ...folders.flatMap((name) => elfs(join(root, name), `firmware/${name}/`))];
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
