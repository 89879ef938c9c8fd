// GNU as macros and repetitions, by text substitution as GNU as does them: `.macro NAME ARGS` …
// `.endm` defines a macro whose body keeps its statements' source text; a use substitutes `\ARG`,
// `\@` (how many macros have run before) and `\()` (nothing: it separates an argument from the
// text after it) and reads the result again. `.rept N`, `.irp SYM, VALUES` and `.irpc SYM, CHARS`
// repeat their body the same way. The assembler (./assembler.ts) finds the blocks and runs the
// expansions; this module parses the parameters and arguments and substitutes them.

import { AsmError, type SourceSpan } from './diagnostics.ts';
import type { Statement, Token } from './lexer.ts';

export interface MacroParameter {
  name: string;
  /** `name=default`: the text used when a use leaves it out. */
  defaultText?: string;
  /** `name:req`: a use must give it. */
  required: boolean;
  /** `name:vararg` (last only): every argument left, commas included. */
  vararg: boolean;
}

export interface MacroDefinition {
  name: string;
  parameters: MacroParameter[];
  body: Statement[];
  /** Where it was defined (for "already defined" errors). */
  span: SourceSpan;
}

/** Directives that open a block kept as text up to its end (nested blocks of either kind count). */
export const BLOCK_OPENERS: ReadonlyMap<string, string> = new Map([
  ['.macro', '.endm'],
  ['.rept', '.endr'],
  ['.irp', '.endr'],
  ['.irpc', '.endr'],
]);

/** The directive a statement starts with, lower case ('' when it starts with something else). */
export function directiveOf(statement: Statement): string {
  const head = statement.tokens[0];
  return head !== undefined && head.kind === 'ident' && head.text.startsWith('.') ? head.text.toLowerCase() : '';
}

/** Index of the statement that closes the block opened at `start`, or -1 when the source ends first. */
export function blockEnd(statements: readonly Statement[], start: number): number {
  const closers: string[] = [BLOCK_OPENERS.get(directiveOf(statements[start]))!];
  for (let i = start + 1; i < statements.length; i++) {
    const directive = directiveOf(statements[i]);
    const closer = BLOCK_OPENERS.get(directive);
    if (closer !== undefined) closers.push(closer);
    else if (directive === closers[closers.length - 1]) {
      closers.pop();
      if (closers.length === 0) return i;
    }
  }
  return -1;
}

/** `.macro NAME P1, P2=default, P3:req, REST:vararg` (commas or spaces between them) → the definition. */
export function parseMacroHeader(statement: Statement, body: Statement[]): MacroDefinition {
  const [head, nameToken, ...rest] = statement.tokens;
  if (nameToken === undefined || nameToken.kind !== 'ident') throw new AsmError(head, '.macro needs a name', '.macro NAME ARG1, ARG2 … .endm');
  const textOf = (from: number, to: number) => statement.text.slice(from - head.column, to - head.column);
  const parameters: MacroParameter[] = [];
  for (let i = 0; i < rest.length; ) {
    const name = rest[i++];
    if (name.text === ',') continue;
    if (name.kind !== 'ident') throw new AsmError(name, `bad parameter '${name.text}' of macro ${nameToken.text}`, 'parameters are names: .macro push reg, offset=0');
    const parameter: MacroParameter = { name: name.text, required: false, vararg: false };
    if (rest[i]?.text === ':' && (rest[i + 1]?.text === 'req' || rest[i + 1]?.text === 'vararg')) {
      if (rest[i + 1].text === 'req') parameter.required = true;
      else parameter.vararg = true;
      i += 2;
    }
    if (rest[i]?.text === '=') {
      const equals = rest[i++];
      let end = i;
      while (end < rest.length && rest[end].text !== ',') end++;
      parameter.defaultText = end > i ? textOf(rest[i].column, rest[end - 1].endColumn) : '';
      if (end === i) throw new AsmError(equals, `parameter ${name.text} of macro ${nameToken.text} has '=' and no default`, 'a default is written name=value');
      i = end;
    }
    if (parameters.some((p) => p.name === parameter.name)) throw new AsmError(name, `macro ${nameToken.text} has two parameters named ${name.text}`, undefined);
    parameters.push(parameter);
  }
  const varargs = parameters.findIndex((p) => p.vararg);
  if (varargs !== -1 && varargs !== parameters.length - 1) throw new AsmError(nameToken, `the vararg parameter of macro ${nameToken.text} must be the last`, undefined);
  return { name: nameToken.text.toLowerCase(), parameters, body, span: nameToken };
}

/** The values of a macro's parameters for one use (`push a0` or `pair b=3, a=t0`). */
export function bindArguments(macro: MacroDefinition, use: Statement, argumentTokens: Token[], at: SourceSpan): Map<string, string> {
  const values = new Map<string, string>();
  const parts = splitAtCommas(argumentTokens, use);
  let position = 0;
  for (let k = 0; k < parts.length; k++) {
    const part = parts[k];
    const [first, second] = part.tokens;
    const keyword = first?.kind === 'ident' && second?.text === '=' ? macro.parameters.find((p) => p.name === first.text) : undefined;
    if (keyword !== undefined) {
      values.set(keyword.name, unquote(part.text.slice(second.endColumn - part.start).trim()));
      continue;
    }
    const parameter = macro.parameters[position++];
    if (parameter === undefined) throw new AsmError(part.tokens[0] ?? at, `too many arguments for macro ${macro.name} (it takes ${macro.parameters.length})`, usage(macro));
    if (parameter.vararg) {
      // the rest of the line, commas and all
      values.set(parameter.name, use.text.slice(part.start - use.tokens[0].column).trim());
      break;
    }
    values.set(parameter.name, unquote(part.text.trim()));
  }
  for (const parameter of macro.parameters) {
    if (values.has(parameter.name) && values.get(parameter.name) !== '') continue;
    if (parameter.required) throw new AsmError(at, `macro ${macro.name} needs its argument ${parameter.name}`, usage(macro));
    values.set(parameter.name, parameter.defaultText ?? '');
  }
  return values;
}

/** An argument in double quotes stands for what is between them (so it may hold spaces and commas). */
function unquote(text: string): string {
  return /^"[^"]*"$/.test(text) ? text.slice(1, -1) : text;
}

function usage(macro: MacroDefinition): string {
  return `usage: ${macro.name} ${macro.parameters.map((p) => (p.required ? `${p.name}` : `[${p.name}]`)).join(', ')}`;
}

/**
 * A body statement's text with `\NAME` replaced by its value, `\@` by the count of macros run and
 * `\()` by nothing, as GNU as does (a backslash before anything else stays, for the reader to reject).
 */
export function substitute(text: string, values: ReadonlyMap<string, string>, macrosRun: number): string {
  let out = '';
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c !== '\\') {
      out += c;
      continue;
    }
    if (text[i + 1] === '@') {
      out += String(macrosRun);
      i++;
      continue;
    }
    if (text[i + 1] === '(' && text[i + 2] === ')') {
      i += 2;
      continue;
    }
    const name = /^[A-Za-z_.$][A-Za-z0-9_.$]*/.exec(text.slice(i + 1))?.[0];
    if (name !== undefined && values.has(name)) {
      out += values.get(name);
      i += name.length;
      continue;
    }
    out += c;
  }
  return out;
}

/** Tokens split at commas outside parentheses, each part with its source text (from the statement's text). */
function splitAtCommas(tokens: readonly Token[], statement: Statement): Array<{ tokens: Token[]; text: string; start: number }> {
  if (tokens.length === 0) return [];
  const origin = statement.tokens[0].column;
  const parts: Array<{ tokens: Token[]; text: string; start: number }> = [];
  let current: Token[] = [];
  let depth = 0;
  const close = (end: number) => {
    const start = current[0]?.column ?? end;
    parts.push({ tokens: current, text: statement.text.slice(start - origin, end - origin), start });
    current = [];
  };
  for (const t of tokens) {
    if (t.text === '(') depth++;
    if (t.text === ')') depth--;
    if (t.text === ',' && depth === 0) close(t.column);
    else current.push(t);
  }
  close(tokens[tokens.length - 1].endColumn);
  return parts;
}
