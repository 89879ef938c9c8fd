// The firmware's C and assembly sources, served to the page so the debugger's Source view can show
// the lines a -g ELF's DWARF line table names: firmware/<path> (the repository's folder) is
// /firmware-src/<path> on the site — in the dev server (a middleware reading the file) and in the
// build (each file emitted as an asset), so a static host serves them like any other file.
// Only sources: .c, .h, .S and .inc files, never build output (build/ folders).
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, normalize, sep } from 'node:path';
import type { Plugin } from 'vite';

/** Where the sources are on the site, below the page's base. */
export const FIRMWARE_SOURCE_FOLDER = 'firmware-src/';
const SOURCE_FILE = /\.(c|h|S|inc)$/;
const SKIPPED_FOLDERS = new Set(['build', 'node_modules']);

/** The source files under `firmwareDir`, as paths relative to it ("hello/hello.c", "arm/common/uart.c"), sorted. */
export function firmwareSourceFiles(firmwareDir: string): string[] {
  const walk = (folder: string, prefix: string): string[] =>
    readdirSync(folder, { withFileTypes: true }).flatMap((entry) => {
      if (entry.isDirectory()) return SKIPPED_FOLDERS.has(entry.name) ? [] : walk(join(folder, entry.name), `${prefix}${entry.name}/`);
      return entry.isFile() && SOURCE_FILE.test(entry.name) ? [`${prefix}${entry.name}`] : [];
    });
  return walk(firmwareDir, '').sort();
}

/** The file a site path below /firmware-src/ names, or undefined when it is no source file of the folder (or tries to leave it). */
function sourceFileFor(firmwareDir: string, relative: string): string | undefined {
  const decoded = decodeURIComponent(relative);
  if (!SOURCE_FILE.test(decoded) || decoded.split('/').some((part) => part === '..' || SKIPPED_FOLDERS.has(part))) return undefined;
  const file = normalize(join(firmwareDir, decoded));
  if (!file.startsWith(normalize(firmwareDir) + sep) || !existsSync(file) || !statSync(file).isFile()) return undefined;
  return file;
}

export function firmwareSourcesPlugin(firmwareDir: string): Plugin {
  let base = '/';
  return {
    name: 'boardlab-firmware-sources',
    configResolved(config) {
      base = config.base.endsWith('/') ? config.base : `${config.base}/`;
    },
    configureServer(server) {
      server.middlewares.use((request, response, next) => {
        const path = (request.url ?? '').split('?')[0];
        const prefix = `${base}${FIRMWARE_SOURCE_FOLDER}`;
        const file = path.startsWith(prefix) ? sourceFileFor(firmwareDir, path.slice(prefix.length)) : undefined;
        if (file === undefined) return next();
        response.setHeader('Content-Type', 'text/plain; charset=utf-8');
        response.end(readFileSync(file));
      });
    },
    generateBundle() {
      for (const file of firmwareSourceFiles(firmwareDir)) this.emitFile({ type: 'asset', fileName: `${FIRMWARE_SOURCE_FOLDER}${file}`, source: readFileSync(join(firmwareDir, file)) });
    },
  };
}
