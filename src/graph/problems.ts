// Problems: every rejection of a document carries a JSON Pointer, a message and a hint.

export interface BoardProblem {
  /** JSON Pointer into the document ("" is the whole document). */
  pointer: string;
  message: string;
  hint: string;
  /**
   * How bad it is: an error stops the board from running; a warning (a wire to a line the device
   * never raises, an interrupt input driven by a device of the wrong kind) is shown but never stops
   * it. Absent means error.
   */
  severity?: 'error' | 'warning';
}

export function escapePointerToken(token: string): string {
  return token.replace(/~/g, '~0').replace(/\//g, '~1');
}

export function pointerOf(...tokens: Array<string | number>): string {
  return tokens.map((t) => '/' + escapePointerToken(String(t))).join('');
}

/** The value a pointer designates in a parsed document, or undefined. */
export function valueAtPointer(document: unknown, pointer: string): unknown {
  let node = document;
  for (const token of pointer.split('/').slice(1)) {
    const key = token.replace(/~1/g, '/').replace(/~0/g, '~');
    if (node === null || typeof node !== 'object') return undefined;
    node = (node as Record<string, unknown>)[key];
  }
  return node;
}

function editDistance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let previous = row[0];
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const current = row[j];
      row[j] = Math.min(row[j] + 1, row[j - 1] + 1, previous + (a[i - 1] === b[j - 1] ? 0 : 1));
      previous = current;
    }
  }
  return row[b.length];
}

function closest(word: string, candidates: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const c of candidates) {
    const d = editDistance(word, c);
    if (d < bestDistance) {
      bestDistance = d;
      best = c;
    }
  }
  return bestDistance <= Math.max(2, word.length / 3) ? best : undefined;
}

/** "Did you mean "x"? Known <what>: a, b, c." */
export function suggestion(word: string, candidates: readonly string[], what: string): string {
  const near = closest(word, candidates);
  const list = candidates.length > 0 ? `Known ${what}: ${candidates.join(', ')}.` : `There are no ${what}.`;
  return near !== undefined ? `Did you mean "${near}"? ${list}` : list;
}
