// A board document that does not resolve still has to be drawn (while a board is being built, most
// states are incomplete: a CPU before its RAM is mapped). For display only, the draft is resolved
// with what its problems point at set aside: CPUs get a stand-in image (so an unmapped reset vector
// is reported, not fatal), and entries and property values the problems name are dropped, a few
// rounds at most. The problems themselves are still shown, on the nodes and in the inspector.
import { isA, valueAtPointer, type BoardDocument, type ResolvedBoard } from '../graph/index.ts';
import { resolveBoardText } from './board-text.ts';
import { useBoardLab } from './store.ts';
import { useMemo } from 'react';

const STAND_IN = '(designer preview)';
const ROUNDS = 8;

function removeAt(document: BoardDocument, pointer: string): boolean {
  const tokens = pointer.split('/').slice(1).map((t) => t.replace(/~1/g, '/').replace(/~0/g, '~'));
  if (tokens.length < 2) return false;
  const [head] = tokens;
  // An entry of a list (memory, irqs, resets, images) or a property value: remove the smallest thing named.
  if (['memory', 'irqs', 'resets', 'images'].includes(head)) {
    const list = (document as unknown as Record<string, unknown[]>)[head];
    const index = Number(tokens[1]);
    if (!Array.isArray(list) || !Number.isInteger(index) || list[index] === undefined) return false;
    list[index] = undefined as unknown as never;
    return true;
  }
  if (head === 'objects') {
    const props = tokens.indexOf('props');
    if (props > 0 && props + 1 < tokens.length) {
      const owner = valueAtPointer(document, '/' + tokens.slice(0, props + 1).map((t) => t.replace(/~/g, '~0').replace(/\//g, '~1')).join('/'));
      if (owner && typeof owner === 'object' && tokens[props + 1] in owner) {
        delete (owner as Record<string, unknown>)[tokens[props + 1]];
        return true;
      }
    }
  }
  return false;
}

/** The draft resolved for drawing, or null when even that fails (not JSON, unknown types everywhere). */
export function previewBoard(text: string): ResolvedBoard | null {
  let document: BoardDocument;
  try {
    document = JSON.parse(text) as BoardDocument;
  } catch {
    return null;
  }
  if (!document || typeof document !== 'object' || typeof document.objects !== 'object' || document.objects === null) return null;
  document = structuredClone(document);
  const cpus = Object.entries(document.objects).filter(([, o]) => o && typeof o.type === 'string' && isA(o.type, 'cpu')).map(([name]) => name);
  const imaged = new Set((document.images ?? []).map((i) => i.cpu));
  document.images = [...(document.images ?? []), ...cpus.filter((c) => !imaged.has(c)).map((cpu) => ({ cpu, file: STAND_IN }))];
  for (let round = 0; round < ROUNDS; round++) {
    const result = resolveBoardText(JSON.stringify(document));
    if (result.ok) return { ...result.board, images: result.board.images.filter((i) => i.file !== STAND_IN) };
    let removed = false;
    for (const problem of result.problems) removed = removeAt(document, problem.pointer) || removed;
    for (const key of ['memory', 'irqs', 'resets', 'images'] as const) {
      const list = document[key] as unknown[] | undefined;
      if (list) (document as unknown as Record<string, unknown[]>)[key] = list.filter((entry) => entry !== undefined);
    }
    if (!removed) return null;
  }
  return null;
}

/** The document the designer shows (the draft's, else the running board's), parsed; null when there is none or it is not JSON. */
export function useDesignDocument(): BoardDocument | null {
  const { text } = useDesignBoard();
  return useMemo(() => {
    try {
      return text === null ? null : (JSON.parse(text) as BoardDocument);
    } catch {
      return null;
    }
  }, [text]);
}

/** The board the designer shows: the rejected draft's preview while there is one, else the running board. */
export function useDesignBoard(): { resolved: ResolvedBoard | null; text: string | null; draft: boolean } {
  const board = useBoardLab((s) => s.board);
  const report = useBoardLab((s) => s.problems);
  const draftText = report?.text;
  const preview = useMemo(() => (draftText !== undefined ? previewBoard(draftText) : null), [draftText]);
  if (draftText !== undefined && preview) return { resolved: preview, text: draftText, draft: true };
  return { resolved: board?.resolved ?? null, text: board?.text ?? null, draft: false };
}
