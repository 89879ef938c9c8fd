// Where a JSON Pointer points in a JSON text: the character range of the value (or, for an object
// member, from its key to the end of its value). Used to mark problems in the editor. Tolerant:
// on a syntax error it knows the ranges it scanned before the error.

export interface TextRange {
  start: number;
  end: number;
}

function escapeToken(token: string): string {
  return token.replace(/~/g, '~0').replace(/\//g, '~1');
}

/** Ranges of every value in `text`, by JSON Pointer. */
export function pointerRanges(text: string): Map<string, TextRange> {
  const ranges = new Map<string, TextRange>();
  let i = 0;
  const fail = (): never => {
    throw new SyntaxError(`unexpected input at ${i}`);
  };
  const skip = () => {
    while (i < text.length && /\s/.test(text[i])) i++;
  };
  const string = (): string => {
    if (text[i] !== '"') fail();
    const start = i++;
    while (i < text.length && text[i] !== '"') i += text[i] === '\\' ? 2 : 1;
    if (i >= text.length) fail();
    i++;
    return JSON.parse(text.slice(start, i)) as string;
  };
  const value = (pointer: string, memberStart: number | null): void => {
    skip();
    const start = i;
    const c = text[i];
    if (c === '{') {
      i++;
      skip();
      if (text[i] === '}') i++;
      else
        for (;;) {
          skip();
          const keyStart = i;
          const key = string();
          skip();
          if (text[i++] !== ':') fail();
          value(`${pointer}/${escapeToken(key)}`, keyStart);
          skip();
          if (text[i] === ',') {
            i++;
            continue;
          }
          if (text[i++] !== '}') fail();
          break;
        }
    } else if (c === '[') {
      i++;
      skip();
      if (text[i] === ']') i++;
      else
        for (let index = 0; ; index++) {
          value(`${pointer}/${index}`, null);
          skip();
          if (text[i] === ',') {
            i++;
            continue;
          }
          if (text[i++] !== ']') fail();
          break;
        }
    } else if (c === '"') {
      string();
    } else {
      const m = /^(?:-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?|true|false|null)/.exec(text.slice(i, i + 64));
      if (!m) fail();
      i += m![0].length;
    }
    ranges.set(pointer, { start: memberStart ?? start, end: i });
  };
  try {
    value('', null);
  } catch {
    // keep what was found before the error
  }
  return ranges;
}

/** The range of `pointer`, or of its nearest ancestor that exists in the text; null if none does. */
export function locatePointer(text: string, pointer: string): TextRange | null {
  const ranges = pointerRanges(text);
  let p = pointer;
  for (;;) {
    const range = ranges.get(p);
    if (range) return range;
    if (p === '') return null;
    p = p.slice(0, p.lastIndexOf('/'));
  }
}
