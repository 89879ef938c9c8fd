// Lexer for GNU as syntax: splits a source into statements (lines and `;`), drops comments
// (`#` and `//` to the end of the line, `/* ... */` across lines) and turns each statement into tokens.

import { AsmError, type SourceSpan } from './diagnostics.ts';

export type TokenKind = 'ident' | 'number' | 'string' | 'localref' | 'punct';

export interface Token extends SourceSpan {
  kind: TokenKind;
  /** The source text of the token (for strings: as written, quotes included). */
  text: string;
  /** Numbers and character constants: the value. */
  value?: number;
  /** Strings: the bytes after escapes are decoded. */
  bytes?: number[];
}

export interface Statement {
  line: number;
  tokens: Token[];
  /** The statement's source text from its first token to its last (a macro body keeps it to substitute arguments into). */
  text: string;
  /** The line could not be read: this error, reported if the line is assembled (not in a false .if). */
  error?: AsmError;
}

/** Punctuation, longest first so `<<` wins over `<`. A backslash is meaningful only in a macro body (`\arg`, `\@`, `\()`). */
const PUNCTUATION = ['<<', '>>', '<=', '>=', '==', '!=', '<>', '&&', '||', '(', ')', ',', '+', '-', '*', '/', '%', '&', '|', '^', '~', '!', '<', '>', ':', '=', '@', '{', '}', '[', ']', '#', '\\@', '\\'];

const isIdentStart = (c: string) => /[A-Za-z_.$]/.test(c);
const isIdentPart = (c: string) => /[A-Za-z0-9_.$]/.test(c);
const isDigit = (c: string) => c >= '0' && c <= '9';

export interface LexOptions {
  /** Characters that start a comment running to the end of the line (`#` for RISC-V, `@` for ARM). */
  lineCommentChars: string;
}

/**
 * The source's statements; a line that could not be read is one statement carrying its error (the
 * other lines are still read), so a line skipped by a false .if or kept in a macro body is not reported.
 * `firstLine` numbers the lines of a piece of source (a macro's expansion) from where it stands.
 */
export function lex(source: string, options: LexOptions, firstLine = 1): { statements: Statement[] } {
  const statements: Statement[] = [];
  const lines = source.split(/\r?\n/);
  let inBlockComment = false;
  for (let lineIndex = 0; lineIndex < lines.length; lineIndex++) {
    const text = lines[lineIndex];
    const line = lineIndex + firstLine;
    let tokens: Token[] = [];
    const lineStart = statements.length;
    const push = () => statements.push({ line, tokens, text: text.slice(tokens[0].column - 1, tokens[tokens.length - 1].endColumn - 1) });
    let i = 0;
    const span = (start: number, end: number): SourceSpan => ({ line, column: start + 1, endColumn: end + 1 });
    try {
      while (i < text.length) {
        if (inBlockComment) {
          const close = text.indexOf('*/', i);
          if (close < 0) { i = text.length; break; }
          inBlockComment = false;
          i = close + 2;
          continue;
        }
        const c = text[i];
        if (c === ' ' || c === '\t' || c === '\f' || c === '\v') { i++; continue; }
        if (c === '/' && text[i + 1] === '*') { inBlockComment = true; i += 2; continue; }
        if ((c === '/' && text[i + 1] === '/') || options.lineCommentChars.includes(c)) break;
        if (c === ';') {
          if (tokens.length > 0) push();
          tokens = [];
          i++;
          continue;
        }
        const start = i;
        if (c === '"') {
          const { bytes, end } = readString(text, i, line);
          tokens.push({ kind: 'string', text: text.slice(start, end), bytes, ...span(start, end) });
          i = end;
          continue;
        }
        if (c === "'") {
          const { value, end } = readCharConstant(text, i, line);
          tokens.push({ kind: 'number', text: text.slice(start, end), value, ...span(start, end) });
          i = end;
          continue;
        }
        if (isDigit(c)) {
          let end = i;
          while (end < text.length && isIdentPart(text[end])) end++;
          const word = text.slice(i, end);
          const local = /^([0-9]+)([bf])$/.exec(word);
          if (local) {
            tokens.push({ kind: 'localref', text: word, ...span(start, end) });
          } else {
            const value = parseNumber(word);
            if (value === undefined) throw new AsmError(span(start, end), `bad number '${word}'`, 'numbers are decimal (42), hex (0x2a), binary (0b101010) or octal (052); a local label reference is a digit followed by b or f (1b, 1f)');
            tokens.push({ kind: 'number', text: word, value, ...span(start, end) });
          }
          i = end;
          continue;
        }
        if (isIdentStart(c)) {
          let end = i + 1;
          while (end < text.length && isIdentPart(text[end])) end++;
          tokens.push({ kind: 'ident', text: text.slice(i, end), ...span(start, end) });
          i = end;
          continue;
        }
        const punct = PUNCTUATION.find((p) => text.startsWith(p, i));
        if (punct) {
          tokens.push({ kind: 'punct', text: punct, ...span(start, start + punct.length) });
          i += punct.length;
          continue;
        }
        throw new AsmError(span(start, start + 1), `unexpected character '${c}'`, 'comments start with # or // or are written /* ... */');
      }
    } catch (e) {
      if (!(e instanceof AsmError)) throw e;
      // the whole line is dropped: its statements before the error are not assembled half
      statements.splice(lineStart, statements.length - lineStart, { line, tokens: [], text, error: e });
      continue;
    }
    if (tokens.length > 0) push();
  }
  return { statements };
}

/**
 * A number as GNU as reads it; undefined when it is malformed. It is kept as written (0xffffffff is
 * 4294967295, not -1: GNU as tells them apart, e.g. for c.li) and reduced to 32 bits where it is used.
 */
function parseNumber(word: string): number | undefined {
  let digits: string;
  let radix: number;
  if (/^0[xX][0-9a-fA-F]+$/.test(word)) { digits = word.slice(2); radix = 16; }
  else if (/^0[bB][01]+$/.test(word)) { digits = word.slice(2); radix = 2; }
  else if (/^0[0-7]+$/.test(word)) { digits = word.slice(1); radix = 8; }
  else if (/^[0-9]+$/.test(word)) { digits = word; radix = 10; }
  else return undefined;
  const big = BigInt.asUintN(32, BigInt(radix === 10 ? digits : `0${radix === 16 ? 'x' : radix === 2 ? 'b' : 'o'}${digits}`));
  return Number(big);
}

const SIMPLE_ESCAPES: Record<string, number> = { n: 10, t: 9, r: 13, b: 8, f: 12, v: 11, a: 7, e: 27, '\\': 92, '"': 34, "'": 39 };

/** One character of a string or char constant at `i` (escape sequences decoded). */
function readEscaped(text: string, i: number, line: number): { byte: number; end: number } {
  if (text[i] !== '\\') return { byte: text.charCodeAt(i) & 0xff, end: i + 1 };
  const e = text[i + 1];
  if (e === undefined) throw new AsmError({ line, column: i + 1, endColumn: i + 2 }, 'a backslash at the end of the line', 'write \\\\ for a backslash');
  if (e in SIMPLE_ESCAPES) return { byte: SIMPLE_ESCAPES[e], end: i + 2 };
  if (/[0-7]/.test(e)) {
    let end = i + 1;
    while (end < i + 4 && /[0-7]/.test(text[end] ?? '')) end++;
    return { byte: parseInt(text.slice(i + 1, end), 8) & 0xff, end };
  }
  if (e === 'x' || e === 'X') {
    let end = i + 2;
    while (/[0-9a-fA-F]/.test(text[end] ?? '')) end++;
    if (end === i + 2) throw new AsmError({ line, column: i + 1, endColumn: i + 3 }, '\\x with no hex digits', 'write \\x41 for the byte 0x41');
    return { byte: parseInt(text.slice(end - 2 < i + 2 ? i + 2 : end - 2, end), 16) & 0xff, end };
  }
  // GNU as keeps an unknown escaped character as itself.
  return { byte: text.charCodeAt(i + 1) & 0xff, end: i + 2 };
}

function readString(text: string, start: number, line: number): { bytes: number[]; end: number } {
  const bytes: number[] = [];
  let i = start + 1;
  while (i < text.length && text[i] !== '"') {
    const { byte, end } = readEscaped(text, i, line);
    bytes.push(byte);
    i = end;
  }
  if (i >= text.length) throw new AsmError({ line, column: start + 1, endColumn: text.length + 1 }, 'missing closing quote of the string', 'strings are written "like this" on one line');
  return { bytes, end: i + 1 };
}

/** `'c` (GNU as style) or `'c'`: the character's code. */
function readCharConstant(text: string, start: number, line: number): { value: number; end: number } {
  if (start + 1 >= text.length) throw new AsmError({ line, column: start + 1, endColumn: start + 2 }, 'a quote with no character after it', "a character constant is written 'A' (its code, 65)");
  const { byte, end } = readEscaped(text, start + 1, line);
  return { value: byte, end: text[end] === "'" ? end + 1 : end };
}
