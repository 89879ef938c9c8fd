// The text of a source file the debugger's Source view shows: one of the board's own sources
// (assembly kept in the document, which BoardLab assembles with a line table naming it), else a
// bundled firmware's file from the site (./firmware-sources.ts). Null when neither has it.
import { fetchFirmwareSource } from './firmware-sources.ts';

/** The board document's source named `file`, if it carries one (its "sources" member). */
export function boardSourceText(boardText: string, file: string): string | null {
  try {
    const document = JSON.parse(boardText) as { sources?: Record<string, { text?: unknown } | undefined> };
    const text = document.sources?.[file]?.text;
    return typeof text === 'string' ? text : null;
  } catch {
    return null;
  }
}

/** The text of `file`, as the line table of `image` names it, for a board whose document is `boardText`. */
export async function sourceText(boardText: string, image: string, file: string): Promise<string | null> {
  return boardSourceText(boardText, file) ?? fetchFirmwareSource(image, file);
}
