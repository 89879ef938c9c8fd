// Board text → resolved board, as the page resolves it: on the browser platform (or the basic one
// when the page is not cross-origin isolated), with the example libraries bundled in.
import { parseBoard, type BoardResult } from '../graph/index.ts';

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
