// How the QMP console shows what it exchanges: each line the monitor writes classified (greeting,
// reply, error, event), JSON laid out on lines from its own text, and the brace count that tells
// a complete request from one still being typed. Pure functions, tested in qmp-format.test.ts.

export type ConsoleEntryKind = 'input' | 'greeting' | 'reply' | 'error' | 'event' | 'note' | 'closed';

export interface ConsoleEntry {
  seq: number;
  kind: ConsoleEntryKind;
  /** The line as typed or as the monitor wrote it (without its CR LF). */
  text: string;
  /** Events: the event's name, its wall-clock time and its data as JSON text (absent for events without data). */
  event?: { name: string; time: string; data?: string };
  /** An input the console sent by itself (the capabilities negotiation), not one the user typed. */
  byConsole?: boolean;
}

function twoDigits(n: number): string {
  return String(n).padStart(2, '0');
}

/** A QMP line as a transcript entry: which kind of message it is (greeting, error, event or reply). */
export function classifyQmpLine(line: string): Omit<ConsoleEntry, 'seq'> {
  const text = line.replace(/\r?\n$/, '');
  let message: unknown;
  try {
    message = JSON.parse(text);
  } catch {
    return { kind: 'reply', text };
  }
  if (typeof message !== 'object' || message === null) return { kind: 'reply', text };
  const record = message as Record<string, unknown>;
  if ('QMP' in record) return { kind: 'greeting', text };
  if ('error' in record) return { kind: 'error', text };
  if (typeof record.event === 'string') {
    const stamp = record.timestamp as { seconds?: number; microseconds?: number } | undefined;
    const date = new Date((stamp?.seconds ?? 0) * 1000 + Math.floor((stamp?.microseconds ?? 0) / 1000));
    const time = `${twoDigits(date.getHours())}:${twoDigits(date.getMinutes())}:${twoDigits(date.getSeconds())}.${String(date.getMilliseconds()).padStart(3, '0')}`;
    const data = record.data === undefined ? undefined : dataText(text);
    return { kind: 'event', text, event: { name: record.event, time, ...(data !== undefined && { data }) } };
  }
  return { kind: 'reply', text };
}

/** The text of an event line's "data" member, cut from the line itself (never re-encoded). */
function dataText(line: string): string | undefined {
  const start = line.indexOf('"data": ');
  if (start < 0) return undefined;
  const open = start + '"data": '.length;
  return line.slice(open, matchingClose(line, open) + 1);
}

/** Braces and brackets opened and not closed (outside strings), as the monitor's JSON streamer counts them. */
export function openBraces(text: string): number {
  let depth = 0;
  let quote: string | null = null;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quote !== null) {
      if (c === '\\') i++;
      else if (c === quote) quote = null;
    } else if (c === '"' || c === "'") quote = c;
    else if (c === '{' || c === '[') depth++;
    else if (c === '}' || c === ']') depth--;
  }
  return depth;
}

/**
 * JSON text with line breaks and indentation, made from the text itself (never re-encoded, so
 * integers beyond 2^53 stay exact). Short containers stay on one line.
 */
export function indentJson(text: string, width = 72): string {
  if (text.length <= width) return text;
  let out = '';
  let depth = 0;
  let quote = false;
  const newline = () => `\n${'  '.repeat(depth)}`;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quote) {
      out += c;
      if (c === '\\') out += text[++i] ?? '';
      else if (c === '"') quote = false;
      continue;
    }
    if (c === '"') {
      quote = true;
      out += c;
    } else if (c === '{' || c === '[') {
      const close = matchingClose(text, i);
      const inner = text.slice(i, close + 1);
      if (inner.length <= width - depth * 2) {
        out += inner;
        i = close;
      } else {
        depth++;
        out += c + newline();
      }
    } else if (c === '}' || c === ']') {
      depth--;
      out += newline() + c;
    } else if (c === ',') {
      out += ',' + newline();
      if (text[i + 1] === ' ') i++;
    } else {
      out += c;
    }
  }
  return out;
}

/** Index of the bracket closing the one at `open` (strings skipped). */
function matchingClose(text: string, open: number): number {
  let depth = 0;
  let quote = false;
  for (let i = open; i < text.length; i++) {
    const c = text[i];
    if (quote) {
      if (c === '\\') i++;
      else if (c === '"') quote = false;
    } else if (c === '"') quote = true;
    else if (c === '{' || c === '[') depth++;
    else if (c === '}' || c === ']') {
      depth--;
      if (depth === 0) return i;
    }
  }
  return text.length - 1;
}
