// QMP's JSON, as QEMU speaks it (qobject/json-lexer.c, json-streamer.c, json-parser.c, qjson.c).
//
// Input is a byte stream split into messages by a lexer and a brace-counting streamer: a message
// ends when its brackets balance. QEMU's extensions are accepted (single-quoted strings, \' escapes),
// and errors are QEMU's, word for word ("JSON parse error, stray '@'", "...expecting value"). After a
// lexical error the lexer skips input up to a structural character or a control character (QEMU's
// error recovery), so a client can resynchronise by sending a newline.
//
// Output follows QEMU's encoder: ", " and ": " separators, non-ASCII as \uXXXX (upper-case hex),
// and the members of every object in the order QEMU's QDict would list them (its hash buckets), so
// a BoardLab reply is byte for byte what QEMU would send for the same values.

/** A JSON number written with a fraction or an exponent ("1.5", "1e3"): QEMU tells these from integers. */
export class JsonFloat {
  constructor(readonly value: number) {}
}

/**
 * A parsed JSON value. Integers are numbers (bigints beyond 2^53, up to QEMU's int64/uint64 range);
 * numbers with a fraction or exponent, and larger integers, are JsonFloats; objects have no prototype.
 */
export type JsonValue = null | boolean | number | bigint | string | JsonFloat | JsonValue[] | JsonObject;
export interface JsonObject {
  [key: string]: JsonValue;
}

/** One message from the stream: a value, or the error QEMU would report for it. */
export type JsonMessage = { ok: true; value: JsonValue } | { ok: false; error: string };

export function isJsonObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof JsonFloat);
}

/** A fresh object without a prototype, so members such as "__proto__" are plain members. */
export function jsonObject(): JsonObject {
  return Object.create(null) as JsonObject;
}

// ---------------------------------------------------------------------------------------------
// Lexer

const enum Tok {
  LCurly,
  RCurly,
  LSquare,
  RSquare,
  Colon,
  Comma,
  Integer,
  Float,
  Keyword,
  String,
  Error,
}

const enum St {
  Start = 100,
  Recovery,
  DqString,
  DqEscape,
  SqString,
  SqEscape,
  Zero,
  ExpDigits,
  ExpSign,
  ExpE,
  Mantissa,
  MantissaDigits,
  Digits,
  Sign,
  Keyword,
}

/** Next state (or token) and whether the byte was looked at without being consumed. */
type Step = [next: St | Tok, lookahead: boolean];

const isDigit = (c: number) => c >= 0x30 && c <= 0x39;
const isLower = (c: number) => c >= 0x61 && c <= 0x7a;
const inString = (c: number) => c >= 0x20 && c <= 0xfd;
const ERROR: Step = [Tok.Error, false];

/** A terminal: any ASCII byte ends the token (and is looked at again); other bytes are errors. */
const terminal = (c: number, token: Tok): Step => (c <= 0x7f ? [token, true] : ERROR);

function transition(state: St, c: number): Step {
  switch (state) {
    case St.Start:
      switch (c) {
        case 0x22: return [St.DqString, false];
        case 0x27: return [St.SqString, false];
        case 0x30: return [St.Zero, false];
        case 0x2d: return [St.Sign, false];
        case 0x7b: return [Tok.LCurly, false];
        case 0x7d: return [Tok.RCurly, false];
        case 0x5b: return [Tok.LSquare, false];
        case 0x5d: return [Tok.RSquare, false];
        case 0x2c: return [Tok.Comma, false];
        case 0x3a: return [Tok.Colon, false];
        case 0x20: case 0x09: case 0x0d: case 0x0a: return [St.Start, false];
      }
      if (c >= 0x31 && c <= 0x39) return [St.Digits, false];
      if (isLower(c)) return [St.Keyword, false];
      return ERROR;
    case St.Recovery:
      // Skip to a structural character, a control character other than tab, or 0xFE/0xFF.
      if (c === 0x09) return [St.Recovery, false];
      if (c <= 0x1f || c >= 0xfe || c === 0x5b || c === 0x5d || c === 0x7b || c === 0x7d) return [St.Start, true];
      return [St.Recovery, false];
    case St.DqString:
      if (c === 0x5c) return [St.DqEscape, false];
      if (c === 0x22) return [Tok.String, false];
      return inString(c) ? [St.DqString, false] : ERROR;
    case St.DqEscape:
      return inString(c) ? [St.DqString, false] : ERROR;
    case St.SqString:
      if (c === 0x5c) return [St.SqEscape, false];
      if (c === 0x27) return [Tok.String, false];
      return inString(c) ? [St.SqString, false] : ERROR;
    case St.SqEscape:
      return inString(c) ? [St.SqString, false] : ERROR;
    case St.Zero:
      if (isDigit(c)) return ERROR;
      if (c === 0x2e) return [St.Mantissa, false];
      return terminal(c, Tok.Integer);
    case St.ExpDigits:
      return isDigit(c) ? [St.ExpDigits, false] : terminal(c, Tok.Float);
    case St.ExpSign:
      return isDigit(c) ? [St.ExpDigits, false] : ERROR;
    case St.ExpE:
      if (c === 0x2d || c === 0x2b) return [St.ExpSign, false];
      return isDigit(c) ? [St.ExpDigits, false] : ERROR;
    case St.Mantissa:
      return isDigit(c) ? [St.MantissaDigits, false] : ERROR;
    case St.MantissaDigits:
      if (isDigit(c)) return [St.MantissaDigits, false];
      if (c === 0x65 || c === 0x45) return [St.ExpE, false];
      return terminal(c, Tok.Float);
    case St.Digits:
      if (isDigit(c)) return [St.Digits, false];
      if (c === 0x65 || c === 0x45) return [St.ExpE, false];
      if (c === 0x2e) return [St.Mantissa, false];
      return terminal(c, Tok.Integer);
    case St.Sign:
      if (c === 0x30) return [St.Zero, false];
      return c >= 0x31 && c <= 0x39 ? [St.Digits, false] : ERROR;
    case St.Keyword:
      return isLower(c) ? [St.Keyword, false] : terminal(c, Tok.Keyword);
  }
}

interface Token {
  type: Tok;
  bytes: Uint8Array;
}

/** QEMU's limits per message (json-streamer.c). */
const MAX_TOKEN_SIZE = 64 * 1024 * 1024;
const MAX_TOKEN_COUNT = 2 * 1024 * 1024;
const MAX_NESTING = 1024;

/**
 * Splits a byte stream into JSON messages the way QEMU's QMP server does. Feed bytes as they
 * arrive; each complete message (or error) is passed to `emit` in order.
 */
export class JsonStreamer {
  private state: St = St.Start;
  private token: number[] = [];
  private tokens: Token[] = [];
  private braces = 0;
  private brackets = 0;
  private tokenBytes = 0;

  constructor(private readonly emit: (message: JsonMessage) => void) {}

  feed(chunk: Uint8Array | string): void {
    const bytes = typeof chunk === 'string' ? new TextEncoder().encode(chunk) : chunk;
    for (const byte of bytes) this.feedByte(byte);
  }

  private feedByte(c: number): void {
    let consumed = false;
    while (!consumed) {
      const [next, lookahead] = transition(this.state, c);
      consumed = !lookahead;
      if (consumed) this.token.push(c);
      if (next < St.Start) {
        this.process(next as Tok, Uint8Array.from(this.token));
        this.token = [];
        this.state = next === Tok.Error ? St.Recovery : St.Start;
      } else {
        if (next === St.Start || next === St.Recovery) this.token = [];
        this.state = next as St;
      }
    }
    if (this.token.length > MAX_TOKEN_SIZE) {
      this.process(Tok.Error, Uint8Array.from(this.token));
      this.token = [];
      this.state = St.Start;
    }
  }

  private process(type: Tok, bytes: Uint8Array): void {
    if (type === Tok.LCurly) this.braces++;
    else if (type === Tok.RCurly) this.braces--;
    else if (type === Tok.LSquare) this.brackets++;
    else if (type === Tok.RSquare) this.brackets--;
    else if (type === Tok.Error) return this.finish({ ok: false, error: `JSON parse error, stray '${decodeModifiedUtf8(bytes)}'` });
    if (this.tokenBytes + bytes.length + 1 > MAX_TOKEN_SIZE) return this.finish({ ok: false, error: 'JSON token size limit exceeded' });
    if (this.tokens.length + 1 > MAX_TOKEN_COUNT) return this.finish({ ok: false, error: 'JSON token count limit exceeded' });
    if (this.brackets + this.braces > MAX_NESTING) return this.finish({ ok: false, error: 'JSON nesting depth limit exceeded' });
    this.tokens.push({ type, bytes });
    this.tokenBytes += bytes.length;
    if ((this.braces > 0 || this.brackets > 0) && this.braces >= 0 && this.brackets >= 0) return;
    this.finish(parseTokens(this.tokens));
  }

  private finish(message: JsonMessage): void {
    this.braces = 0;
    this.brackets = 0;
    this.tokens = [];
    this.tokenBytes = 0;
    this.emit(message);
  }
}

/** Parse one complete JSON text with QEMU's parser (a convenience for tests and tools). */
export function parseQmpJson(text: string): JsonMessage[] {
  const messages: JsonMessage[] = [];
  new JsonStreamer((m) => messages.push(m)).feed(`${text}\n`);
  return messages;
}

// ---------------------------------------------------------------------------------------------
// Parser (json-parser.c): tokens of one message → a value, or QEMU's error

class ParseError {
  constructor(readonly message: string) {}
}

function parseTokens(tokens: readonly Token[]): JsonMessage {
  let position = 0;
  const peek = () => tokens[position];
  const pop = () => tokens[position++];
  const fail = (message: string): never => {
    throw new ParseError(`JSON parse error, ${message}`);
  };

  const parseValue = (): JsonValue => {
    const token = peek();
    if (token === undefined) return fail('premature EOI');
    switch (token.type) {
      case Tok.LCurly:
        return parseObject();
      case Tok.LSquare:
        return parseArray();
      case Tok.Integer:
        pop();
        return parseInteger(token.bytes);
      case Tok.Float:
        pop();
        return new JsonFloat(Number(ascii(token.bytes)));
      case Tok.String:
        pop();
        return parseString(token.bytes, fail);
      case Tok.Keyword: {
        pop();
        const word = ascii(token.bytes);
        if (word === 'true') return true;
        if (word === 'false') return false;
        if (word === 'null') return null;
        return fail(`invalid keyword '${word}'`);
      }
      default:
        return fail('expecting value');
    }
  };

  const parseObject = (): JsonObject => {
    pop();
    const object = jsonObject();
    if (peek() === undefined) fail('premature EOI');
    if (peek().type === Tok.RCurly) {
      pop();
      return object;
    }
    for (;;) {
      if (peek() === undefined) fail('premature EOI');
      const key = parseValue();
      if (typeof key !== 'string') fail('key is not a string in object');
      const colon = pop();
      if (colon === undefined) fail('premature EOI');
      if (colon.type !== Tok.Colon) fail('missing : in object pair');
      const value = parseValue();
      if (Object.prototype.hasOwnProperty.call(object, key as string)) fail('duplicate key');
      object[key as string] = value;
      const next = pop();
      if (next === undefined) fail('premature EOI');
      if (next.type === Tok.RCurly) return object;
      if (next.type !== Tok.Comma) fail('expected separator in dict');
    }
  };

  const parseArray = (): JsonValue[] => {
    pop();
    const list: JsonValue[] = [];
    if (peek() === undefined) fail('premature EOI');
    if (peek().type === Tok.RSquare) {
      pop();
      return list;
    }
    for (;;) {
      list.push(parseValue());
      const next = pop();
      if (next === undefined) fail('premature EOI');
      if (next.type === Tok.RSquare) return list;
      if (next.type !== Tok.Comma) fail('expected separator in list');
    }
  };

  try {
    return { ok: true, value: parseValue() };
  } catch (error) {
    if (error instanceof ParseError) return { ok: false, error: error.message };
    throw error;
  }
}

function ascii(bytes: Uint8Array): string {
  return String.fromCharCode(...bytes);
}

function parseInteger(bytes: Uint8Array): number | bigint | JsonFloat {
  const text = ascii(bytes);
  const big = BigInt(text);
  if (big >= BigInt(Number.MIN_SAFE_INTEGER) && big <= BigInt(Number.MAX_SAFE_INTEGER)) return Number(big);
  // int64, else uint64, else a double (as QEMU's qnum)
  if (big >= -(1n << 63n) && big < 1n << 64n) return big;
  return new JsonFloat(Number(text));
}

function hex4(bytes: Uint8Array, at: number): number {
  let value = 0;
  for (let i = 0; i < 4; i++) {
    const c = bytes[at + i];
    const digit = c >= 0x30 && c <= 0x39 ? c - 0x30 : c >= 0x61 && c <= 0x66 ? c - 0x57 : c >= 0x41 && c <= 0x46 ? c - 0x37 : -1;
    if (c === undefined || digit < 0) return -1;
    value = (value << 4) | digit;
  }
  return value;
}

function validCodepoint(cp: number): boolean {
  if (cp < 0 || cp > 0x10ffff) return false;
  if ((cp >= 0xfdd0 && cp <= 0xfdef) || (cp & 0xfffe) === 0xfffe) return false; // noncharacters
  return cp < 0xd800 || cp > 0xdfff;
}

/** QEMU's mod_utf8_codepoint: the code point at `at` (-1 when invalid) and where the next one starts. */
function utf8CodepointAt(bytes: Uint8Array, at: number): [cp: number, next: number] {
  const first = bytes[at];
  if (first < 0x80) return [first, at + 1];
  if (first >= 0xfe || (first & 0x40) === 0) return [-1, at + 1];
  let length = 0;
  let mask = 0x80;
  for (; first & mask; mask >>= 1) length++;
  let cp = first & (mask - 1);
  let p = at + 1;
  for (let i = 1; i < length; i++) {
    const byte = p < bytes.length ? bytes[p] : 0;
    if ((byte & 0xc0) !== 0x80) return [-1, p];
    p++;
    cp = (cp << 6) | (byte & 0x3f);
  }
  const minimum = [0x80, 0x800, 0x10000, 0x200000, 0x4000000][length - 2];
  if (!validCodepoint(cp) || (cp < minimum && !(cp === 0 && length === 2))) return [-1, p];
  return [cp, p];
}

/** Bytes as QEMU would print them: modified UTF-8, anything invalid as U+FFFD. */
export function decodeModifiedUtf8(bytes: Uint8Array): string {
  let text = '';
  for (let at = 0; at < bytes.length; ) {
    const [cp, next] = utf8CodepointAt(bytes, at);
    text += String.fromCodePoint(cp < 0 ? 0xfffd : cp);
    at = next;
  }
  return text;
}

function parseString(bytes: Uint8Array, fail: (message: string) => never): string {
  const quote = bytes[0];
  let text = '';
  let at = 1;
  while (bytes[at] !== quote) {
    if (bytes[at] === 0x5c) {
      const begin = at;
      const escape = bytes[at + 1];
      at += 2;
      switch (escape) {
        case 0x22: text += '"'; break;
        case 0x27: text += "'"; break;
        case 0x5c: text += '\\'; break;
        case 0x2f: text += '/'; break;
        case 0x62: text += '\b'; break;
        case 0x66: text += '\f'; break;
        case 0x6e: text += '\n'; break;
        case 0x72: text += '\r'; break;
        case 0x74: text += '\t'; break;
        case 0x75: {
          let cp = hex4(bytes, at);
          at += 4;
          if (cp >= 0xd800 && cp <= 0xdbff && bytes[at] === 0x5c && bytes[at + 1] === 0x75) {
            const trailing = hex4(bytes, at + 2);
            if (trailing >= 0xdc00 && trailing <= 0xdfff) {
              cp = 0x10000 + ((cp & 0x3ff) << 10) + (trailing & 0x3ff);
              at += 6;
            } else cp = -1;
          }
          if (cp !== 0 && !validCodepoint(cp)) fail(`${decodeModifiedUtf8(bytes.subarray(begin, Math.min(at, bytes.length - 1)))} is not a valid Unicode character`);
          text += String.fromCodePoint(cp);
          break;
        }
        default:
          fail('invalid escape sequence in string');
      }
    } else {
      const [cp, next] = utf8CodepointAt(bytes, at);
      if (cp < 0) fail('invalid UTF-8 sequence in string');
      text += String.fromCodePoint(cp);
      at = next;
    }
  }
  return text;
}

// ---------------------------------------------------------------------------------------------
// Encoder (qjson.c): QEMU's text for a value

/** QEMU's QDict hash (tdb_hash modulo its 512 buckets): the order QDict lists members in. */
export function qdictBucket(key: string): number {
  const bytes = new TextEncoder().encode(key);
  let value = Math.imul(0x238f13af, bytes.length) >>> 0;
  for (let i = 0; i < bytes.length; i++) value = (value + (bytes[i] << ((i * 5) % 24))) >>> 0;
  return ((Math.imul(1103515243, value) + 12345) >>> 0) % 512;
}

/**
 * Members in QDict order: by hash bucket, and within a bucket the last inserted first (QEMU inserts
 * at the head of a bucket's list). Objects are built in QAPI's member order, so this is QEMU's order.
 */
export function qdictOrder(object: object): Array<[string, unknown]> {
  const entries = Object.entries(object).filter(([, v]) => v !== undefined);
  return entries
    .map((entry, index) => ({ entry, index, bucket: qdictBucket(entry[0]) }))
    .sort((a, b) => a.bucket - b.bucket || b.index - a.index)
    .map((e) => e.entry);
}

function encodeString(text: string): string {
  let out = '"';
  for (const char of text) {
    let cp = char.codePointAt(0)!;
    switch (cp) {
      case 0x22: out += '\\"'; continue;
      case 0x5c: out += '\\\\'; continue;
      case 0x08: out += '\\b'; continue;
      case 0x0c: out += '\\f'; continue;
      case 0x0a: out += '\\n'; continue;
      case 0x0d: out += '\\r'; continue;
      case 0x09: out += '\\t'; continue;
    }
    if (cp !== 0 && !validCodepoint(cp)) cp = 0xfffd; // lone surrogates, noncharacters
    const u = (n: number) => `\\u${n.toString(16).toUpperCase().padStart(4, '0')}`;
    if (cp > 0xffff) out += u(0xd800 + ((cp - 0x10000) >> 10)) + u(0xdc00 + ((cp - 0x10000) & 0x3ff));
    else if (cp < 0x20 || cp >= 0x7f) out += u(cp);
    else out += char;
  }
  return `${out}"`;
}

/** printf("%.17g"), as QEMU prints a double. */
export function formatDouble(value: number): string {
  if (Number.isNaN(value)) return 'nan';
  if (!Number.isFinite(value)) return value > 0 ? 'inf' : '-inf';
  if (value === 0) return Object.is(value, -0) ? '-0' : '0';
  const [mantissa, exp] = value.toExponential(16).split('e');
  const e = Number(exp);
  const trim = (s: string) => (s.includes('.') ? s.replace(/0+$/, '').replace(/\.$/, '') : s);
  if (e < -4 || e >= 17) return `${trim(mantissa)}e${e < 0 ? '-' : '+'}${String(Math.abs(e)).padStart(2, '0')}`;
  return trim(value.toFixed(16 - e));
}

/**
 * A value whose objects keep their members in insertion order on the wire, instead of QDict order:
 * for BoardLab's own replies where member order means something (a board document's objects).
 */
export class InsertionOrdered {
  constructor(readonly value: unknown) {}
}

/** A value as QEMU's QMP server writes it (without the line ending). */
export function encodeQmpJson(value: unknown, ordered = false): string {
  if (value instanceof InsertionOrdered) return encodeQmpJson(value.value, true);
  if (value === null || value === undefined) return 'null';
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (typeof value === 'number') return Number.isInteger(value) ? String(value) : formatDouble(value);
  if (typeof value === 'bigint') return value.toString();
  if (typeof value === 'string') return encodeString(value);
  if (value instanceof JsonFloat) return formatDouble(value.value);
  if (Array.isArray(value)) return `[${value.map((v) => encodeQmpJson(v, ordered)).join(', ')}]`;
  if (typeof value === 'object') {
    const entries = ordered ? Object.entries(value).filter(([, v]) => v !== undefined) : qdictOrder(value);
    return `{${entries.map(([k, v]) => `${encodeString(k)}: ${encodeQmpJson(v, ordered)}`).join(', ')}}`;
  }
  throw new TypeError(`cannot encode a ${typeof value} as JSON`);
}

/** A parsed value as a plain JavaScript value (JsonFloats become numbers). */
export function toPlain(value: JsonValue): unknown {
  if (value instanceof JsonFloat) return value.value;
  if (Array.isArray(value)) return value.map(toPlain);
  if (isJsonObject(value)) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) Object.defineProperty(out, k, { value: toPlain(v), enumerable: true, writable: true, configurable: true });
    return out;
  }
  return value;
}
