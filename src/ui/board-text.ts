// Board text → resolved board, as the page resolves it: on the browser platform (or the basic one
// when the page is not cross-origin isolated), with the example libraries bundled in.
import { parseBoard, type BoardDocument, type BoardResult } from '../graph/index.ts';
import type { BoardOrigin } from '../workers/emulator.worker.ts';

const libraryModules = import.meta.glob<unknown>('../../examples/lib/*.library.json', { eager: true, import: 'default' });

/** Library files by the path boards use for them ("lib/peripherals.library.json"). */
export const exampleLibraries: ReadonlyMap<string, unknown> = new Map(
  Object.entries(libraryModules).map(([path, library]) => [`lib/${path.slice(path.lastIndexOf('/') + 1)}`, library]),
);

/** The platform this page is: SharedArrayBuffer needs cross-origin isolation. */
export function pagePlatform(): string {
  return globalThis.crossOriginIsolated === true ? 'browser@1' : 'browser-basic@1';
}

export function resolveBoardText(text: string): BoardResult {
  return parseBoard(text, { platform: pagePlatform(), libraries: exampleLibraries });
}

/** The document behind a board text that resolved, and how it was resolved (the worker's QMP monitor shows them). */
export function boardOrigin(text: string): BoardOrigin | undefined {
  try {
    const document = JSON.parse(text) as BoardDocument;
    const named = new Set(document.libraries ?? []);
    const libraries = new Map([...exampleLibraries].filter(([path]) => named.has(path)));
    return { document, resolve: { platform: pagePlatform(), libraries } };
  } catch {
    return undefined;
  }
}
