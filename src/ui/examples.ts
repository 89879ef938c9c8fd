// The example boards shipped in examples/, bundled as text so they can be shown and parsed.
const modules = import.meta.glob<string>('../../examples/*.board.json', { eager: true, query: '?raw', import: 'default' });

export interface ExampleBoard {
  /** File name, e.g. "hello.board.json". */
  file: string;
  text: string;
}

export const exampleBoards: ExampleBoard[] = Object.entries(modules)
  .map(([path, text]) => ({ file: path.slice(path.lastIndexOf('/') + 1), text }))
  .sort((a, b) => a.file.localeCompare(b.file));

export const DEFAULT_EXAMPLE = 'hello.board.json';

export function defaultExample(): ExampleBoard | undefined {
  return exampleBoards.find((e) => e.file === DEFAULT_EXAMPLE) ?? exampleBoards[0];
}
