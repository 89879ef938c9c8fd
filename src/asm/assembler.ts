// The assembler driver: statements → sections of fragments → relaxation → linked layout → ELF.
// It does what `as -mno-relax` followed by `ld -Ttext=ADDR` does for one source file: input sections
// are placed as ld's default script places them (.text, .rodata, then the data segment on the next
// page at the same page offset: .data, .sdata, .sbss, .bss) and every symbol gets its final address.

import { AsmError, type AsmDiagnostic, type SourceSpan } from './diagnostics.ts';
import type { AsmBackend, AsmInstruction, EncodeContext, LayoutContext } from './backend.ts';
import { evaluate, mentionsPosition, parseExpression, spanOf, type Expr } from './expr.ts';
import { lex, type Statement, type Token } from './lexer.ts';
import { BLOCK_OPENERS, bindArguments, blockEnd, directiveOf, parseMacroHeader, substitute, type MacroDefinition } from './macros.ts';
import { backendFor } from './backends.ts';
import { writeElf, type ElfSection, type ElfSymbol } from './elf-writer.ts';
import { encodeDebugLine } from './dwarf-line.ts';
import type { AsmLine, AsmOptions, AsmResult, AsmSymbol } from './index.ts';

type Fragment =
  | { kind: 'bytes'; bytes: Uint8Array; size: number }
  | { kind: 'data'; width: 1 | 2 | 4; exprs: Expr[]; size: number; /** ARM literal-pool word: the line of its `ldr =`, which GNU as gives it in the line table. */ line?: number }
  | { kind: 'inst'; inst: AsmInstruction; size: number; line: number; span: SourceSpan }
  | { kind: 'align'; alignment: number; fill: number | undefined; maxSkip: number | undefined; code: boolean; size: number; literalPool?: boolean }
  | { kind: 'space'; fill: number; size: number };

interface Section {
  name: string;
  output: string;
  /** Code sections pad alignment with no-ops. */
  code: boolean;
  nobits: boolean;
  alignment: number;
  fragments: Fragment[];
  /** Offsets of fragments in the current layout (one more entry than fragments: the end). */
  offsets: number[];
  address: number;
  /** Bytes of no-ops that end a code section, padding it to its alignment. */
  tailPadding: number;
}

/** The instruction being sized during relaxation, and the section's addresses at the start of the pass. */
interface RelaxingPosition {
  section: Section;
  index: number;
  passStart: number[];
  /** How far the instruction moved since the previous pass. */
  stretch: number;
}

/** A place in a section: before fragment `index`. */
interface Position {
  section: Section;
  index: number;
}

type SymbolDefinition =
  | { kind: 'label'; at: Position; span: SourceSpan }
  | { kind: 'equ'; expr: Expr; constant: number | undefined; at: Position; span: SourceSpan };

interface SymbolInfo {
  definition?: SymbolDefinition;
  global: boolean;
  type?: 'function' | 'object';
  size?: Expr;
  /** Where it was first used, for "undefined symbol" errors. */
  firstUse?: SourceSpan;
}

/** Output sections in ld's default order, with the input section names that go into each. */
const OUTPUT_SECTIONS: ReadonlyArray<{ name: string; inputs: RegExp; dataSegment: boolean; nobits: boolean; code: boolean }> = [
  { name: '.text', inputs: /^\.text(\..*)?$/, dataSegment: false, nobits: false, code: true },
  { name: '.rodata', inputs: /^\.rodata(\..*)?$/, dataSegment: false, nobits: false, code: false },
  { name: '.data', inputs: /^\.data(\..*)?$/, dataSegment: true, nobits: false, code: false },
  { name: '.sdata', inputs: /^\.s(ro)?data(\..*)?$/, dataSegment: true, nobits: false, code: false },
  { name: '.sbss', inputs: /^\.sbss(\..*)?$/, dataSegment: true, nobits: true, code: false },
  { name: '.bss', inputs: /^\.bss(\..*)?$/, dataSegment: true, nobits: true, code: false },
];

const MAX_RELAXATION_PASSES = 200;
/** ld aligns the end of .bss to the word size (`. = ALIGN(32 / 8)`). */
const LINKER_WORD = 4;
/** gp points 0x800 into the small data, so a 12-bit offset reaches 4 KiB of it. */
const GP_OFFSET = 0x800;
const DEFAULT_FILE_NAME = 'prog.s';

export function assembleProgram(source: string, options: AsmOptions): AsmResult {
  const march = options.march ?? 'rv32imac';
  const backend = backendFor(march);
  if (!backend) return { ok: false, errors: [{ line: 1, column: 1, message: `the ${march} instruction set is not supported by this assembler yet`, hint: 'use --march rv32imac or rv32i' }] };
  const result = new Assembler(backend).run(source, options.textAddress ?? backend.defaultTextAddress, options.fileName ?? DEFAULT_FILE_NAME);
  // Diagnostics in source order (the lexer's and the statements' are found in separate passes).
  return result.ok ? result : { ok: false, errors: sortByPosition(result.errors) };
}

class Assembler {
  private readonly errors: AsmDiagnostic[] = [];
  private readonly warnings: AsmDiagnostic[] = [];
  private readonly sections = new Map<string, Section>();
  private readonly sectionStack: Section[] = [];
  private previousSection: Section | undefined;
  private current: Section;
  private readonly symbols = new Map<string, SymbolInfo>();
  /** Local numeric labels: how many times each number has been defined so far. */
  private readonly localLabelCounts = new Map<string, number>();
  private ended = false;
  /** While an instruction is sized in an ARM-style relaxation pass: where, for estimatedAddress. */
  private relaxing: RelaxingPosition | undefined;
  /** Numbers the labels made for `.` in .word and .size expressions. */
  private dotCounter = 0;
  /** Open .if blocks, outermost first: whether each assembles its lines now, and whether a branch already did. */
  private readonly conditions: Array<{ directive: string; active: boolean; taken: boolean; span: SourceSpan }> = [];
  /** Macros by lower-case name (GNU as finds them regardless of case). */
  private readonly macros = new Map<string, MacroDefinition>();
  /** Macro uses expanded so far (`\@`). */
  private macrosRun = 0;

  constructor(private readonly backend: AsmBackend) {
    // GNU as always has .text, .data and .bss; it starts in .text, aligned for the first instruction
    // set (other code sections get an alignment only from .align).
    this.current = this.section('.text', undefined);
    this.current.alignment = backend.instructionAlignment();
    this.section('.data', undefined);
    this.section('.bss', undefined);
  }

  run(source: string, textAddress: number, fileName: string): AsmResult {
    const { statements } = lex(source, { lineCommentChars: this.backend.lineCommentChars });
    this.statements(statements, undefined);
    for (const open of this.conditions) this.errors.push(new AsmError(open.span, `${open.directive} without .endif`, 'close each .if with .endif').toDiagnostic());
    // ARM: literal pools not placed by .ltorg go at the end of their sections, as GNU as puts them.
    for (const section of [...this.sections.values()]) {
      this.placeLiteralPool(section);
    }
    if (this.errors.length > 0) return { ok: false, errors: this.errors };
    try {
      return this.link(textAddress, fileName);
    } catch (e) {
      if (!(e instanceof AsmError)) throw e;
      this.errors.push(e.toDiagnostic());
      return { ok: false, errors: this.errors };
    }
  }

  // ------------------------------------------------------------------ statements

  /**
   * Assembles statements in order: conditionals (.if … .endif) first, as they nest even where they
   * skip; blocks (.macro, .rept, .irp, .irpc) are kept as text to their end and run expanded;
   * everything else one statement at a time, an error recorded and the next statement taken.
   * `expansion` is the macro use these statements expand (for `.exitm` and error messages).
   */
  private statements(statements: readonly Statement[], expansion: Expansion | undefined): void {
    for (let i = 0; i < statements.length && !this.ended; i++) {
      const statement = statements[i];
      try {
        const directive = directiveOf(statement);
        if (CONDITIONALS.has(directive)) {
          this.conditional(directive, statement);
          continue;
        }
        if (!this.conditions.every((c) => c.active)) continue;
        if (statement.error !== undefined) throw statement.error;
        if (BLOCK_OPENERS.has(directive)) {
          const end = blockEnd(statements, i);
          if (end < 0) throw new AsmError(statement.tokens[0], `${directive} without ${BLOCK_OPENERS.get(directive)}`, `end the block with ${BLOCK_OPENERS.get(directive)}`);
          this.block(directive, statement, statements.slice(i + 1, end));
          i = end;
          continue;
        }
        if (directive === '.endm' || directive === '.endr') throw new AsmError(statement.tokens[0], `${directive} without ${directive === '.endm' ? '.macro' : '.rept, .irp or .irpc'}`, undefined);
        if (directive === '.exitm') {
          if (expansion === undefined) throw new AsmError(statement.tokens[0], '.exitm outside a macro', undefined);
          return;
        }
        const use = this.statement(statement);
        if (use !== undefined) this.expandMacro(use.macro, statement, use.operands, expansion);
      } catch (e) {
        if (!(e instanceof AsmError)) throw e;
        const diagnostic = e.toDiagnostic();
        // an error in a macro's body points at the use in the source (the outermost one), naming the macro
        if (expansion !== undefined) this.errors.push({ ...diagnostic, line: expansion.use.line, column: expansion.use.column, endColumn: expansion.use.endColumn, message: `${diagnostic.message} (in macro ${expansion.macro})` });
        else this.errors.push(diagnostic);
      }
    }
  }

  /** .if and its kin: whether the lines up to .else/.endif are assembled. */
  private conditional(directive: string, statement: Statement): void {
    const [head, ...rest] = statement.tokens;
    const enclosing = this.conditions.every((c) => c.active);
    if (directive === '.endif') {
      if (this.conditions.pop() === undefined) throw new AsmError(head, '.endif without .if', undefined);
      return;
    }
    if (directive === '.else' || directive === '.elseif') {
      const open = this.conditions[this.conditions.length - 1];
      if (open === undefined) throw new AsmError(head, `${directive} without .if`, undefined);
      const outer = this.conditions.slice(0, -1).every((c) => c.active);
      const now = !open.taken && outer && (directive === '.else' || this.condition('.if', rest, statement));
      open.active = now;
      open.taken ||= now;
      return;
    }
    // Where an enclosing .if skips, the condition is not evaluated (its symbols may not exist).
    const active = enclosing && this.condition(directive, rest, statement);
    this.conditions.push({ directive, active, taken: active || !enclosing, span: head });
  }

  private condition(directive: string, operands: Token[], statement: Statement): boolean {
    const where = spanOf(statement.tokens[0], statement.tokens[statement.tokens.length - 1]);
    const text = operands.length === 0 ? '' : statement.text.slice(operands[0].column - statement.tokens[0].column).trim();
    switch (directive) {
      case '.ifdef':
      case '.ifndef':
      case '.ifnotdef': {
        const defined = this.symbols.get(symbolName(operands, directive))?.definition !== undefined;
        return directive === '.ifdef' ? defined : !defined;
      }
      case '.ifb':
        return text === '';
      case '.ifnb':
        return text !== '';
      case '.ifc':
      case '.ifnc': {
        const [a, b] = splitOperands(operands, statement.tokens[0]).map((part) => statement.text.slice(part[0].column - statement.tokens[0].column, part[part.length - 1].endColumn - statement.tokens[0].column).replace(/^'(.*)'$/, '$1'));
        if (b === undefined) throw new AsmError(where, `${directive} compares two strings`, `${directive} A, B`);
        return (a === b) === (directive === '.ifc');
      }
      default: {
        if (operands.length === 0) throw new AsmError(where, `${directive} needs a constant expression`, `${directive} EXPRESSION`);
        const value = this.requireConstant(operands, where, `the condition of ${directive}`) | 0;
        const test = CONDITION_TESTS[directive];
        return test(value);
      }
    }
  }

  /** A block kept as text: a macro defined, or a repetition run. */
  private block(directive: string, open: Statement, body: Statement[]): void {
    const [head, ...operands] = open.tokens;
    if (directive === '.macro') {
      const macro = parseMacroHeader(open, body);
      if (this.macros.has(macro.name)) throw new AsmError(macro.span, `macro ${macro.name} is already defined`, 'use .purgem NAME before defining it again');
      this.macros.set(macro.name, macro);
      return;
    }
    const where = spanOf(head, open.tokens[open.tokens.length - 1]);
    if (directive === '.rept') {
      const count = this.requireConstant(operands, where, 'the count of .rept');
      if (count < 0 || count > REPEAT_LIMIT) throw new AsmError(where, `.rept ${count} is out of range`, `0 to ${REPEAT_LIMIT} repetitions`);
      // nothing to substitute: the body's statements as read, once per repetition
      for (let k = 0; k < count && !this.ended; k++) this.statements(body, undefined);
      return;
    }
    // .irp SYM, V1, V2 … and .irpc SYM, CHARS: the body once per value (or character).
    const [symbol, ...values] = splitOperands(operands, head);
    if (symbol === undefined || symbol.length !== 1 || symbol[0].kind !== 'ident') throw new AsmError(where, `${directive} needs a symbol to substitute`, `${directive} SYM, VALUES`);
    const origin = open.tokens[0].column;
    const texts = values.map((v) => open.text.slice(v[0].column - origin, v[v.length - 1].endColumn - origin));
    const items = directive === '.irpc' ? [...texts.join('')] : texts.length === 0 ? [''] : texts;
    for (const item of items) {
      if (this.ended) return;
      this.statements(this.reread(body, new Map([[symbol[0].text, item]]), undefined), undefined);
    }
  }

  /** A macro use: its body with the arguments substituted, assembled where the use stands. */
  private expandMacro(macro: MacroDefinition, use: Statement, operands: Token[], outer: Expansion | undefined): void {
    const depth = (outer?.depth ?? 0) + 1;
    if (depth > MACRO_DEPTH_LIMIT) throw new AsmError(use.tokens[0], `macros nested more than ${MACRO_DEPTH_LIMIT} deep (does ${macro.name} use itself without end?)`, 'a macro that calls itself needs an .if that stops it');
    const at = spanOf(use.tokens[0], use.tokens[use.tokens.length - 1]);
    const values = bindArguments(macro, use, operands, at);
    const expansion: Expansion = { macro: macro.name, depth, use: outer?.use ?? at };
    const conditions = this.conditions.length;
    this.statements(this.reread(macro.body, values, at), expansion);
    this.macrosRun++;
    // .exitm leaves the conditionals the macro opened
    this.conditions.length = Math.min(this.conditions.length, conditions);
  }

  /**
   * Body statements read again after substitution. A macro's lines all stand at the line of its use
   * (GNU as's line table does the same; errors point at the use); a repetition's keep their own.
   */
  private reread(body: readonly Statement[], values: ReadonlyMap<string, string>, use: SourceSpan | undefined): Statement[] {
    const out: Statement[] = [];
    for (const statement of body) {
      const text = substitute(statement.text, values, this.macrosRun);
      const column = statement.error !== undefined ? 1 : statement.tokens[0].column;
      for (const reread of lex(' '.repeat(column - 1) + text, { lineCommentChars: this.backend.lineCommentChars }, statement.line).statements) {
        if (use !== undefined) {
          // columns stay those of the body's text (arguments are cut from it); errors are moved to the use
          reread.line = use.line;
          for (const token of reread.tokens) token.line = use.line;
        }
        out.push(reread);
      }
    }
    return out;
  }

  /** One statement; a macro use is returned to be expanded (after its labels are defined). */
  private statement(statement: Statement): { macro: MacroDefinition; operands: Token[] } | undefined {
    let tokens = statement.tokens;
    // Labels: `name:` or `1:` (several may precede a statement).
    while (tokens.length >= 2 && tokens[1].kind === 'punct' && tokens[1].text === ':' && (tokens[0].kind === 'ident' || (tokens[0].kind === 'number' && /^[0-9]+$/.test(tokens[0].text)))) {
      this.defineLabel(tokens[0]);
      tokens = tokens.slice(2);
    }
    if (tokens.length === 0) return undefined;
    const head = tokens[0];
    const macro = head.kind === 'ident' ? this.macros.get(head.text.toLowerCase()) : undefined;
    if (macro !== undefined) return { macro, operands: tokens.slice(1) };
    const backslash = tokens.find((t) => t.text === '\\' || t.text === '\\@');
    if (backslash !== undefined) throw new AsmError(backslash, 'a backslash outside a macro body', '\\NAME stands for an argument only inside .macro … .endm (or .irp … .endr)');
    // `name = expr` is `.set name, expr`.
    if (tokens.length >= 2 && head.kind === 'ident' && tokens[1].kind === 'punct' && tokens[1].text === '=') {
      this.defineEqu(head, tokens.slice(2), spanOf(head, tokens[tokens.length - 1]), true);
      return;
    }
    if (head.kind !== 'ident') throw new AsmError(head, `unexpected '${head.text}' at the start of a statement`, 'a statement is a label (name:), a directive (.word 1) or an instruction (addi a0, a0, 1)');
    const operands = splitOperands(tokens.slice(1), head);
    const span = spanOf(head, tokens[tokens.length - 1]);
    if (head.text.startsWith('.')) {
      this.directive(head, operands, span);
      return;
    }
    const inst = this.backend.instruction({ mnemonic: head, operands, span }, {
      expression: (t, where) => this.expression(t, where),
      constant: (expr) => this.constant(expr),
      section: this.current.name,
    });
    if (this.current.nobits) throw new AsmError(head, `instructions cannot go in ${this.current.name}`, `${this.current.name} holds only zeros; switch to .text first`);
    this.current.fragments.push({ kind: 'inst', inst, size: inst.initialSize?.() ?? 0, line: statement.line, span });
  }

  private expression(tokens: Token[], where: SourceSpan): Expr {
    const expr = parseExpression(tokens, (t) => this.localLabelName(t), where);
    this.noteUses(expr);
    return this.substituteConstants(expr);
  }

  /** Symbols set to constants take the value they have here (`.set X, 1` … `.set X, 2` gives each use its own). */
  private substituteConstants(expr: Expr): Expr {
    switch (expr.kind) {
      case 'symbol': {
        const value = this.constantSymbol(expr.name);
        return value === undefined ? expr : { kind: 'number', value, line: expr.line, column: expr.column, endColumn: expr.endColumn };
      }
      case 'unary':
      case 'reloc':
        return { ...expr, arg: this.substituteConstants(expr.arg) };
      case 'binary':
        return { ...expr, left: this.substituteConstants(expr.left), right: this.substituteConstants(expr.right) };
      default:
        return expr;
    }
  }

  private noteUses(expr: Expr): void {
    if (expr.kind === 'symbol') {
      const info = this.symbolInfo(expr.name);
      info.firstUse ??= expr;
    } else if (expr.kind === 'unary' || expr.kind === 'reloc') this.noteUses(expr.arg);
    else if (expr.kind === 'binary') {
      this.noteUses(expr.left);
      this.noteUses(expr.right);
    }
  }

  /** The label `1b`/`1f` refers to: the last definition of 1 so far, or the next one. */
  private localLabelName(token: Token): string {
    const number = token.text.slice(0, -1);
    const count = this.localLabelCounts.get(number) ?? 0;
    if (token.text.endsWith('b')) {
      if (count === 0) throw new AsmError(token, `no local label ${number}: before this line`, `${token.text} refers back to the last '${number}:'; use ${number}f for the next one`);
      return localName(number, count);
    }
    return localName(number, count + 1);
  }

  private symbolInfo(name: string): SymbolInfo {
    let info = this.symbols.get(name);
    if (!info) {
      info = { global: false };
      this.symbols.set(name, info);
    }
    return info;
  }

  private here(): Position {
    return { section: this.current, index: this.current.fragments.length };
  }

  private defineLabel(token: Token): void {
    let name = token.text;
    if (token.kind === 'number') {
      const count = (this.localLabelCounts.get(name) ?? 0) + 1;
      this.localLabelCounts.set(name, count);
      name = localName(name, count);
    }
    const info = this.symbolInfo(name);
    if (info.definition) throw new AsmError(token, `symbol '${name}' is already defined (line ${info.definition.span.line})`, 'each label names one place; pick another name, or use numeric local labels (1: with 1b/1f)');
    info.definition = { kind: 'label', at: this.here(), span: token };
    if (this.backend.labelIsFunction?.() === true) info.type = 'function';
  }

  private defineEqu(nameToken: Token, valueTokens: Token[], span: SourceSpan, redefinable: boolean): void {
    if (nameToken.kind !== 'ident') throw new AsmError(nameToken, 'expected a symbol name', '.equ NAME, VALUE');
    const expr = this.expression(valueTokens, span);
    const info = this.symbolInfo(nameToken.text);
    if (info.definition && (!redefinable || info.definition.kind === 'label')) throw new AsmError(nameToken, `symbol '${nameToken.text}' is already defined (line ${info.definition.span.line})`, redefinable ? 'a label cannot be redefined' : '.equ defines a symbol once; .set may redefine it');
    info.definition = { kind: 'equ', expr, constant: this.constant(expr), at: this.here(), span: nameToken };
  }

  /** The value of an expression if it is a constant at this point of the source. */
  private constant(expr: Expr): number | undefined {
    if (mentionsPosition(expr, (name) => this.constantSymbol(name) !== undefined)) return undefined;
    return evaluate(expr, { symbol: (name) => this.constantSymbol(name), dot: () => undefined });
  }

  private constantSymbol(name: string): number | undefined {
    const def = this.symbols.get(name)?.definition;
    return def?.kind === 'equ' ? def.constant : undefined;
  }

  private requireConstant(tokens: Token[], where: SourceSpan, what: string): number {
    const expr = this.expression(tokens, where);
    const value = this.constant(expr);
    if (value === undefined) throw new AsmError(expr, `${what} must be a constant`, 'labels and . have no value until the program is laid out; use numbers or .equ constants defined earlier');
    return value;
  }

  // ------------------------------------------------------------------ directives

  private directive(head: Token, operands: Token[][], span: SourceSpan): void {
    const name = head.text.toLowerCase();
    const count = (min: number, max: number, usage: string) => {
      if (operands.length < min || operands.length > max) throw new AsmError(span, `${name} takes ${min === max ? min : `${min} to ${max}`} operand${max === 1 ? '' : 's'}`, `usage: ${usage}`);
    };
    switch (name) {
      case '.text':
      case '.data':
      case '.bss':
        count(0, 0, name);
        this.switchTo(this.section(name, head));
        return;
      case '.rodata':
        count(0, 0, name);
        this.switchTo(this.section('.rodata', head));
        return;
      case '.section': {
        if (operands.length === 0) throw new AsmError(span, '.section needs a name', '.section .rodata');
        const nameTokens = operands[0];
        const sectionName = nameTokens.map((t) => (t.kind === 'string' ? String.fromCharCode(...(t.bytes ?? [])) : t.text)).join('');
        this.switchTo(this.section(sectionName, nameTokens[0]));
        return;
      }
      case '.pushsection': {
        if (operands.length === 0) throw new AsmError(span, '.pushsection needs a name', '.pushsection .data');
        this.sectionStack.push(this.current);
        this.switchTo(this.section(operands[0].map((t) => t.text).join(''), operands[0][0]));
        return;
      }
      case '.popsection': {
        const back = this.sectionStack.pop();
        if (!back) throw new AsmError(span, '.popsection without .pushsection', undefined);
        this.switchTo(back);
        return;
      }
      case '.previous':
        if (this.previousSection) this.switchTo(this.previousSection);
        return;
      case '.word':
      case '.4byte':
      case '.long':
      case '.int':
        this.data(4, operands, span);
        return;
      case '.half':
      case '.2byte':
      case '.short':
        this.data(2, operands, span);
        return;
      case '.byte':
        this.data(1, operands, span);
        return;
      case '.ascii':
      case '.asciz':
      case '.string':
        this.strings(operands, name !== '.ascii', span);
        return;
      case '.align':
      case '.p2align':
      case '.balign':
        this.align(name, operands, span);
        return;
      case '.space':
      case '.skip':
      case '.zero': {
        count(1, name === '.zero' ? 1 : 2, `${name} SIZE${name === '.zero' ? '' : ', FILL'}`);
        const size = this.requireConstant(operands[0], span, `the size of ${name}`);
        if (size < 0) throw new AsmError(operands[0][0], `${name} size is negative (${size})`, undefined);
        const fill = operands.length > 1 ? this.requireConstant(operands[1], span, 'the fill byte') & 0xff : 0;
        if (fill !== 0) this.requireProgbits(span);
        this.current.fragments.push({ kind: 'space', fill, size });
        return;
      }
      case '.globl':
      case '.global':
      case '.local':
        if (operands.length === 0) throw new AsmError(span, `${name} needs a symbol`, `${name} _start`);
        for (const operand of operands) this.symbolInfo(symbolName(operand, name)).global = name !== '.local';
        return;
      case '.weak':
        throw new AsmError(head, '.weak is not supported: there is only one source file, so nothing can override a symbol', 'use .globl');
      case '.equ':
      case '.set':
      case '.equiv': {
        if (operands.length !== 2) throw new AsmError(span, `${name} takes a name and a value`, `${name} NAME, VALUE`);
        if (operands[0].length !== 1) throw new AsmError(operands[0][0], 'expected a symbol name', `${name} NAME, VALUE`);
        this.defineEqu(operands[0][0], operands[1], span, name === '.set');
        return;
      }
      case '.type': {
        count(2, 2, '.type NAME, @function');
        const info = this.symbolInfo(symbolName(operands[0], name));
        const kind = operands[1].map((t) => t.text).join('').replace(/^[@%]/, '');
        if (kind === 'function') info.type = 'function';
        else if (kind === 'object') info.type = 'object';
        else if (kind !== 'notype') throw new AsmError(operands[1][0], `unknown symbol type '${kind}'`, 'use @function, @object or @notype');
        return;
      }
      case '.size': {
        count(2, 2, '.size NAME, .-NAME');
        const info = this.symbolInfo(symbolName(operands[0], name));
        info.size = this.expression(operands[1], span);
        // The size of `.-name` is taken here, where `.` is.
        info.size = this.bindDot(info.size);
        return;
      }
      case '.option':
        if (this.backend.directive(head, operands, span)) return;
        throw new AsmError(head, '.option is not known for this instruction set', undefined);
      case '.file':
      case '.ident':
      case '.attribute':
        return;
      case '.end':
        this.ended = true;
        return;
      case '.purgem':
        count(1, 1, '.purgem NAME');
        if (!this.macros.delete(symbolName(operands[0], name).toLowerCase())) throw new AsmError(operands[0][0], `no macro named ${operands[0][0].text}`, undefined);
        return;
      case '.ltorg':
      case '.pool':
        if (!this.backend.takeLiteralPool) throw new AsmError(head, `${name} is an ARM directive`, undefined);
        this.placeLiteralPool(this.current);
        return;
      default:
        // Call frame information is for unwinders; BoardLab writes no .eh_frame, so it is skipped.
        if (name.startsWith('.cfi_')) return;
        if (this.backend.directive(head, operands, span)) return;
        throw new AsmError(head, `unknown directive '${head.text}'`, `supported: ${SUPPORTED_DIRECTIVES}`);
    }
  }

  /** ARM literal pool: word-aligned (zero padding, as GNU as), each entry a local label and a word. */
  private placeLiteralPool(section: Section): void {
    const entries = this.backend.takeLiteralPool?.(section.name) ?? [];
    if (entries.length === 0) return;
    const saved = this.current;
    this.current = section;
    section.alignment = Math.max(section.alignment, 4);
    section.fragments.push({ kind: 'align', alignment: 4, fill: 0, maxSkip: undefined, code: false, size: 0, literalPool: true });
    for (const entry of entries) {
      this.symbolInfo(entry.label).definition = { kind: 'label', at: this.here(), span: entry.value };
      section.fragments.push({ kind: 'data', width: 4, exprs: [entry.value], size: 4, line: entry.value.line });
    }
    this.current = saved;
  }

  /** ARM: the Thumb bit for a function symbol (plus or minus a constant) in data, as ld's R_ARM_ABS32 sets it. */
  private functionBit(expr: Expr): number {
    const bit = this.backend.functionAddressBit ?? 0;
    if (bit === 0) return 0;
    const symbol = expr.kind === 'symbol' ? expr : expr.kind === 'binary' && (expr.op === '+' || expr.op === '-') && expr.left.kind === 'symbol' ? expr.left : undefined;
    return symbol !== undefined && this.symbols.get(symbol.name)?.type === 'function' ? bit : 0;
  }

  /** Replaces `.` in an expression by a label at the current position (gas evaluates `.` where it is written). */
  private bindDot(expr: Expr): Expr {
    switch (expr.kind) {
      case 'dot': {
        const name = `.L.dot.${this.dotCounter++}`;
        this.symbolInfo(name).definition = { kind: 'label', at: this.here(), span: expr };
        return { kind: 'symbol', name, line: expr.line, column: expr.column, endColumn: expr.endColumn };
      }
      case 'unary':
      case 'reloc':
        return { ...expr, arg: this.bindDot(expr.arg) };
      case 'binary':
        return { ...expr, left: this.bindDot(expr.left), right: this.bindDot(expr.right) };
      default:
        return expr;
    }
  }

  private section(name: string, token: Token | undefined): Section {
    let section = this.sections.get(name);
    if (section) return section;
    const output = OUTPUT_SECTIONS.find((o) => o.inputs.test(name));
    if (!output) {
      throw new AsmError(token ?? { line: 1, column: 1, endColumn: 1 }, `section '${name}' has no place in the program`, 'BoardLab places sections as ld does: .text*, .rodata*, .data*, .sdata*, .sbss*, .bss*');
    }
    section = { name, output: output.name, code: output.code, nobits: output.nobits, alignment: 1, fragments: [], offsets: [], address: 0, tailPadding: 0 };
    this.sections.set(name, section);
    return section;
  }

  private switchTo(section: Section): void {
    if (section !== this.current) this.previousSection = this.current;
    this.current = section;
  }

  private requireProgbits(span: SourceSpan): void {
    if (this.current.nobits) throw new AsmError(span, `${this.current.name} can hold only zeros`, `put initialised data in .data; reserve space in ${this.current.name} with .space/.zero`);
  }

  private data(width: 1 | 2 | 4, operands: Token[][], span: SourceSpan): void {
    // One fragment per value: `.` in each is the address of that value (GNU as).
    for (const operand of operands) {
      const expr = this.bindDot(this.expression(operand, span));
      if (this.current.nobits && this.constant(expr) !== 0) this.requireProgbits(span);
      this.current.fragments.push({ kind: 'data', width, exprs: [expr], size: width });
    }
  }

  private strings(operands: Token[][], zeroTerminated: boolean, span: SourceSpan): void {
    this.requireProgbits(span);
    const bytes: number[] = [];
    for (const operand of operands) {
      if (operand.length !== 1 || operand[0].kind !== 'string') throw new AsmError(operand[0], 'expected a string in double quotes', '.asciz "Hello\\n"');
      bytes.push(...(operand[0].bytes ?? []));
      if (zeroTerminated) bytes.push(0);
    }
    this.current.fragments.push({ kind: 'bytes', bytes: Uint8Array.from(bytes), size: bytes.length });
  }

  private align(name: string, operands: Token[][], span: SourceSpan): void {
    if (operands.length < 1 || operands.length > 3) throw new AsmError(span, `${name} takes 1 to 3 operands`, `${name} ${name === '.balign' ? 'BYTES' : 'POWER'}[, FILL[, MAX]]`);
    const amount = this.requireConstant(operands[0], span, 'the alignment');
    let alignment: number;
    if (name === '.balign') {
      if (amount <= 0 || (amount & (amount - 1)) !== 0) throw new AsmError(operands[0][0], `alignment ${amount} is not a power of 2`, '.balign takes a byte count: 2, 4, 8…');
      alignment = amount;
    } else {
      // On RISC-V and ARM, .align is a power of two like .p2align.
      if (amount < 0 || amount > 16) throw new AsmError(operands[0][0], `alignment 2^${amount} is out of range`, `${name} 2 aligns to 4 bytes`);
      alignment = 2 ** amount;
    }
    const fill = operands.length > 1 && operands[1].length > 0 ? this.requireConstant(operands[1], span, 'the fill byte') & 0xff : undefined;
    const maxSkip = operands.length > 2 ? this.requireConstant(operands[2], span, 'the maximum skip') : undefined;
    this.current.alignment = Math.max(this.current.alignment, alignment);
    this.current.fragments.push({ kind: 'align', alignment, fill, maxSkip, code: this.current.code && fill === undefined, size: 0 });
  }

  // ------------------------------------------------------------------ layout and linking

  private orderedSections(): Section[] {
    const ordered: Section[] = [];
    for (const output of OUTPUT_SECTIONS) for (const section of this.sections.values()) if (section.output === output.name) ordered.push(section);
    return ordered;
  }

  /** Places the input sections as ld's default script does, with the fragment sizes as they are now. */
  private place(textAddress: number): void {
    let address = textAddress >>> 0;
    let inDataSegment = false;
    for (const output of OUTPUT_SECTIONS) {
      const inputs = [...this.sections.values()].filter((s) => s.output === output.name);
      if (output.dataSegment && !inDataSegment) {
        inDataSegment = true;
        const page = this.backend.maxPageSize;
        address = (alignUp(address, page) + (address & (page - 1))) >>> 0;
      }
      // An output section is aligned to the largest alignment of its inputs.
      address = alignUp(address, Math.max(1, ...inputs.map((s) => s.alignment)));
      this.outputStart.set(output.name, address);
      for (const section of inputs) {
        address = alignUp(address, section.alignment);
        section.address = address;
        address = (address + this.computeOffsets(section)) >>> 0;
      }
      this.outputEnd.set(output.name, address);
    }
  }

  private readonly outputStart = new Map<string, number>();
  private readonly outputEnd = new Map<string, number>();

  /** Symbols ld's default script defines, with the values it gives them (for startup code: gp, clearing .bss). */
  private linkerSymbol(name: string): number | undefined {
    const start = (output: string) => this.outputStart.get(output) as number;
    const end = (output: string) => this.outputEnd.get(output) as number;
    if (!this.outputStart.has('.bss')) return undefined;
    const bssEnd = alignUp(end('.bss'), LINKER_WORD);
    switch (name) {
      case '__DATA_BEGIN__': return start('.data');
      case '__SDATA_BEGIN__': return start('.sdata');
      case '_edata':
      case '__bss_start': return end('.sdata');
      case '__BSS_END__':
      case '_end': return bssEnd;
      case '__global_pointer$':
        return Math.min(start('.sdata') + GP_OFFSET, Math.max(start('.data') + GP_OFFSET, bssEnd - GP_OFFSET)) >>> 0;
      default: return undefined;
    }
  }

  /** Fragment offsets from their sizes (alignment padding recomputed from the section's address); returns the size. */
  private computeOffsets(section: Section): number {
    let offset = 0;
    section.offsets.length = 0;
    for (const fragment of section.fragments) {
      section.offsets.push(offset);
      if (fragment.kind === 'align') {
        const address = section.address + offset;
        let pad = (alignUp(address, fragment.alignment) - address) >>> 0;
        if (fragment.maxSkip !== undefined && pad > fragment.maxSkip) pad = 0;
        fragment.size = pad;
      }
      offset += fragment.size;
    }
    section.offsets.push(offset);
    // GNU as pads a code section to its alignment with no-ops (data sections are not padded).
    if (section.code) {
      const end = section.address + offset;
      // ARM: to at most codeSectionEndAlignment bytes.
      section.tailPadding = (alignUp(end, Math.min(section.alignment, this.backend.codeSectionEndAlignment ?? section.alignment)) - end) >>> 0;
    }
    return sectionSize(section);
  }

  private positionAddress(at: Position): number {
    return (at.section.address + at.section.offsets[at.index]) >>> 0;
  }

  /** A symbol's value in the current layout, or undefined. */
  private symbolValue(name: string, stack: Set<string> = new Set()): number | undefined {
    const def = this.symbols.get(name)?.definition;
    if (!def) return this.linkerSymbol(name);
    if (def.kind === 'label') return this.relaxing !== undefined ? this.estimatedAddress(def.at, this.relaxing) : this.positionAddress(def.at);
    if (stack.has(name)) throw new AsmError(def.span, `symbol '${name}' is defined in terms of itself`, undefined);
    stack.add(name);
    const value = evaluate(def.expr, { symbol: (n) => this.symbolValue(n, stack), dot: () => this.positionAddress(def.at) });
    stack.delete(name);
    return value;
  }

  /**
   * ARM relaxation (GNU as's relaxed_symbol_addr): a label ahead of the instruction being sized, in
   * its section, is where it was at the start of the pass moved by the growth so far, that growth
   * rounded down to the alignment of every alignment fragment in between.
   */
  private estimatedAddress(at: Position, relaxing: RelaxingPosition): number {
    if (at.section !== relaxing.section || at.index <= relaxing.index) return this.positionAddress(at);
    let stretch = relaxing.stretch;
    for (let i = relaxing.index + 1; i < at.index && stretch !== 0; i++) {
      const fragment = at.section.fragments[i];
      if (fragment.kind === 'align') stretch = Math.sign(stretch) * (Math.abs(stretch) & ~(fragment.alignment - 1));
    }
    return (relaxing.passStart[at.index] + stretch) >>> 0;
  }

  /** The section a symbol's value lies in: a label's section, an .equ of a label's; undefined for constants. */
  private symbolSection(name: string): Section | undefined {
    const def = this.symbols.get(name)?.definition;
    if (!def) return undefined;
    if (def.kind === 'label') return def.at.section;
    if (def.constant !== undefined) return undefined;
    return exprSection(def.expr, (n) => this.symbolSection(n));
  }

  private layoutContext(section: Section, index: number): LayoutContext {
    const address = (section.address + section.offsets[index]) >>> 0;
    return {
      address,
      value: (expr) => evaluate(expr, { symbol: (n) => this.symbolValue(n), dot: () => address }),
      inSameSection: (expr) => exprSection(expr, (n) => this.symbolSection(n), section) === section,
      isGlobal: (expr) => expr.kind === 'symbol' && this.symbols.get(expr.name)?.global === true,
      isFunction: (expr) => expr.kind === 'symbol' && this.symbols.get(expr.name)?.type === 'function',
    };
  }

  private encodeContext(section: Section, index: number, instructionsByAddress: Map<number, AsmInstruction>): EncodeContext {
    const layout = this.layoutContext(section, index);
    return {
      ...layout,
      require: (expr) => this.require(expr, layout.address),
      instructionAt: (address) => instructionsByAddress.get(address),
    };
  }

  private require(expr: Expr, dot: number): number {
    const value = evaluate(expr, {
      symbol: (name, where) => {
        const v = this.symbolValue(name);
        if (v === undefined) throw new AsmError(where, `undefined symbol '${name.startsWith('.L.local.') ? displayLocal(name) : name}'`, name.startsWith('.L.local.') ? 'a forward reference Nf needs a later N: label' : `define it as a label (${name}:) or with .equ ${name}, VALUE`);
        return v;
      },
      dot: () => dot,
    });
    return value as number;
  }

  private relax(textAddress: number): void {
    const armStyle = this.backend.relaxation === 'arm';
    for (let pass = 0; pass < MAX_RELAXATION_PASSES; pass++) {
      this.place(textAddress);
      let changed = false;
      for (const section of this.sections.values()) {
        const passStart = section.offsets.map((offset) => section.address + offset);
        section.fragments.forEach((fragment, index) => {
          if (fragment.kind !== 'inst') return;
          const layout = this.layoutContext(section, index);
          const stretch = layout.address - passStart[index];
          if (armStyle) this.relaxing = { section, index, passStart, stretch };
          const size = fragment.inst.size({ ...layout, stretch });
          this.relaxing = undefined;
          if (size > fragment.size || (size < fragment.size && fragment.inst.shrinks === true)) {
            fragment.size = size;
            changed = true;
            // GNU as (tc-arm.c): later instructions of this pass see the change at once.
            if (armStyle) this.place(textAddress);
          }
        });
      }
      if (!changed) {
        this.place(textAddress);
        return;
      }
    }
    throw new AsmError({ line: 1, column: 1, endColumn: 1 }, 'instruction sizes did not settle', 'this is a bug in the assembler; please report the source');
  }

  private link(textAddress: number, fileName: string): AsmResult {
    // Start from the smallest sizes; relaxation grows them.
    this.relax(textAddress);
    const instructionsByAddress = new Map<number, AsmInstruction>();
    for (const section of this.sections.values()) {
      section.fragments.forEach((f, i) => {
        if (f.kind === 'inst') instructionsByAddress.set(this.positionAddress({ section, index: i }), f.inst);
      });
    }
    const lines: AsmLine[] = [];
    const contents = new Map<Section, Uint8Array>();
    for (const section of this.orderedSections()) {
      const size = sectionSize(section);
      const bytes = new Uint8Array(size);
      section.fragments.forEach((fragment, index) => {
        const offset = section.offsets[index];
        const address = (section.address + offset) >>> 0;
        try {
          this.emit(section, fragment, index, bytes, offset, address, instructionsByAddress, lines);
        } catch (e) {
          if (!(e instanceof AsmError)) throw e;
          this.errors.push(e.toDiagnostic());
        }
      });
      if (section.tailPadding > 0) bytes.set(this.backend.codeFill(section.tailPadding, section.address + size - section.tailPadding), size - section.tailPadding);
      contents.set(section, bytes);
    }
    if (this.errors.length > 0) return { ok: false, errors: this.errors };
    lines.sort((a, b) => a.address - b.address);

    const symbols = this.collectSymbols();
    const outputs: ElfSection[] = [];
    for (const output of OUTPUT_SECTIONS) {
      const inputs = this.orderedSections().filter((s) => s.output === output.name);
      if (inputs.length === 0) continue;
      const start = inputs[0].address;
      const last = inputs[inputs.length - 1];
      let end = last.address + sectionSize(last);
      if (end === start) continue;
      // ld's script ends .bss with `. = ALIGN(. != 0 ? 32 / 8 : 1)`: the padding is part of the section.
      if (output.name === '.bss') end = alignUp(end, LINKER_WORD);
      const data = new Uint8Array(end - start);
      for (const input of inputs) data.set(contents.get(input) ?? new Uint8Array(0), input.address - start);
      outputs.push({
        name: output.name,
        address: start,
        data,
        nobits: output.nobits,
        executable: output.code,
        writable: output.dataSegment,
        alignment: Math.max(...inputs.map((s) => s.alignment)),
      });
    }
    const start = this.symbolValue('_start');
    // ARM: ld's entry point is a Thumb function's address with bit 0 set.
    const entry = start !== undefined ? (start | (this.symbols.get('_start')?.type === 'function' ? this.backend.functionAddressBit ?? 0 : 0)) >>> 0 : (this.sections.get('.text')?.address ?? textAddress);
    // GNU as writes one line sequence per code section, in the order the source first puts code in them.
    const firstLine = (section: Section) => lines.find((row) => lineSection.get(row) === section)?.line ?? Infinity;
    const textSections = this.orderedSections().filter((s) => s.code && sectionSize(s) > 0).sort((a, b) => firstLine(a) - firstLine(b));
    // A sequence ends after the last byte the source put in the section (before the padding GNU as adds).
    const debugLine = encodeDebugLine(fileName, textSections.map((s) => ({ start: s.address, end: s.address + s.offsets[s.offsets.length - 1] })), lines);
    const elfSymbols: ElfSymbol[] = [...symbols.map((s) => ({ ...s, sectionName: s.section })), ...this.mappingSymbols()];
    const elf = writeElf({
      machine: this.backend.elfMachine,
      flags: this.backend.elfFlags,
      entry,
      sections: outputs,
      symbols: elfSymbols,
      fileName,
      debugLine,
      debugRanges: textSections.map((s) => ({ start: s.address, end: s.address + sectionSize(s) })),
    });
    return { ok: true, elf, symbols: symbols.map(({ binding: _b, type: _t, ...s }) => s), lines, warnings: this.warnings };
  }

  private emit(section: Section, fragment: Fragment, index: number, bytes: Uint8Array, offset: number, address: number, instructionsByAddress: Map<number, AsmInstruction>, lines: AsmLine[]): void {
    // GNU as adds a row only when the line changes (two statements on one line give one row).
    const addLineRow = (line: number) => {
      const previous = lines[lines.length - 1];
      if (!previous || previous.line !== line || lineSection.get(previous) !== section) {
        const row = { address, line };
        lineSection.set(row, section);
        lines.push(row);
      }
    };
    switch (fragment.kind) {
      case 'bytes':
        bytes.set(fragment.bytes, offset);
        return;
      case 'space':
        bytes.fill(fragment.fill, offset, offset + fragment.size);
        return;
      case 'align':
        if (fragment.code) bytes.set(this.backend.codeFill(fragment.size, address), offset);
        else bytes.fill(fragment.fill ?? 0, offset, offset + fragment.size);
        return;
      case 'data': {
        const view = new DataView(bytes.buffer);
        fragment.exprs.forEach((expr, i) => {
          const value = this.require(expr, address + i * fragment.width) | this.functionBit(expr);
          checkFits(value, fragment.width, expr, this.warnings);
          const at = offset + i * fragment.width;
          if (fragment.width === 1) view.setUint8(at, value & 0xff);
          else if (fragment.width === 2) view.setUint16(at, value & 0xffff, true);
          else view.setUint32(at, value >>> 0, true);
        });
        if (section.nobits && fragment.exprs.some((e) => this.require(e, address) !== 0)) throw new AsmError(fragment.exprs[0], `${section.name} can hold only zeros`, 'put initialised data in .data');
        if (fragment.line !== undefined) addLineRow(fragment.line);
        return;
      }
      case 'inst': {
        const encoded = fragment.inst.encode(this.encodeContext(section, index, instructionsByAddress), fragment.size);
        if (encoded.length !== fragment.size) throw new AsmError(fragment.span, `internal error: instruction encoded as ${encoded.length} bytes, laid out as ${fragment.size}`, 'this is a bug in the assembler');
        bytes.set(encoded, offset);
        addLineRow(fragment.line);
        return;
      }
    }
  }

  /**
   * ARM mapping symbols, as GNU as places them so objdump tells code from data: `$t` where
   * instructions start after data (or at a section's start), `$d` where data starts after code;
   * a literal pool gets `$d` at its padding and again at its first word; code padding after data
   * is `$t`, except a zero byte that reaches an even address, which is `$d`.
   */
  private mappingSymbols(): ElfSymbol[] {
    const names = this.backend.mappingSymbols;
    if (names === undefined) return [];
    const result: ElfSymbol[] = [];
    for (const section of this.orderedSections()) {
      let state: 'code' | 'data' | undefined;
      let poolStart = false;
      const mark = (kind: 'code' | 'data', address: number) => {
        const last = result[result.length - 1];
        if (last !== undefined && last.address === address && last.sectionName === section.output) result.pop();
        result.push({ name: kind === 'code' ? names.code : names.data, address, size: 0, sectionName: section.output, binding: 'local', type: 'notype' });
        state = kind;
      };
      // Code padding: a zero byte to an even address is data (always marked), the no-ops after it code.
      const codePadding = (address: number, size: number) => {
        if (size === 0) return;
        if ((address & 1) !== 0) mark('data', address);
        if (size > (address & 1) && state !== 'code') mark('code', address + (address & 1));
      };
      section.fragments.forEach((fragment, index) => {
        const address = (section.address + section.offsets[index]) >>> 0;
        if (fragment.kind === 'align' && fragment.literalPool === true) {
          if (fragment.size > 0 && state !== 'data') mark('data', address);
          poolStart = true;
          return;
        }
        if (fragment.kind === 'align' && fragment.code) {
          codePadding(address, fragment.size);
          return;
        }
        if (fragment.size === 0 || fragment.kind === 'align') return;
        const kind = fragment.kind === 'inst' ? 'code' : 'data';
        if (state !== kind || (poolStart && kind === 'data')) mark(kind, address);
        poolStart = false;
      });
      if (section.tailPadding > 0) codePadding(section.address + section.offsets[section.offsets.length - 1], section.tailPadding);
    }
    return result;
  }

  private collectSymbols(): Array<AsmSymbol & { binding: 'local' | 'global'; type: 'function' | 'object' | 'notype' }> {
    const result: Array<AsmSymbol & { binding: 'local' | 'global'; type: 'function' | 'object' | 'notype' }> = [];
    for (const [name, info] of this.symbols) {
      const def = info.definition;
      if (!def && info.firstUse && this.linkerSymbol(name) !== undefined) {
        const linkerAddress = this.linkerSymbol(name) as number;
        result.push({ name, address: linkerAddress, size: 0, section: '*ABS*', binding: 'global', type: 'notype' });
        continue;
      }
      // GNU as keeps .L… labels and numeric local labels out of the symbol table.
      if (!def || name.startsWith('.L')) continue;
      const address = this.symbolValue(name);
      if (address === undefined) continue;
      const section = this.symbolSection(name);
      let size = 0;
      if (info.size) size = this.require(info.size, address);
      result.push({
        name,
        address: (address | (info.type === 'function' ? this.backend.functionAddressBit ?? 0 : 0)) >>> 0,
        size,
        section: section ? section.output : '*ABS*',
        binding: info.global ? 'global' : 'local',
        type: info.type ?? 'notype',
      });
    }
    return result;
  }
}

/** The section an expression's value lies in: exactly one label section, added to or minus constants. */
function exprSection<S>(expr: Expr, symbolSection: (name: string) => S | undefined, dotSection?: S): S | undefined {
  switch (expr.kind) {
    case 'symbol': return symbolSection(expr.name);
    case 'dot': return dotSection;
    case 'binary': {
      const left = exprSection(expr.left, symbolSection, dotSection);
      const right = exprSection(expr.right, symbolSection, dotSection);
      if (expr.op === '+') return left !== undefined && right !== undefined ? undefined : (left ?? right);
      if (expr.op === '-') return right === undefined ? left : undefined;
      return undefined;
    }
    case 'unary': return expr.op === '+' ? exprSection(expr.arg, symbolSection, dotSection) : undefined;
    default: return undefined;
  }
}

function checkFits(value: number, width: 1 | 2 | 4, where: SourceSpan, warnings: AsmDiagnostic[]): void {
  if (width === 4) return;
  const bits = width * 8;
  if (value < -(2 ** (bits - 1)) || value >= 2 ** bits) {
    warnings.push({ line: where.line, column: where.column, endColumn: where.endColumn, message: `value ${value} truncated to ${bits} bits (0x${(value & (2 ** bits - 1)).toString(16)})`, hint: `a ${width === 1 ? '.byte' : '.half'} holds ${-(2 ** (bits - 1))}..${2 ** bits - 1}` });
  }
}

const sectionSize = (s: Section) => s.offsets[s.offsets.length - 1] + s.tailPadding;
function sortByPosition(diagnostics: AsmDiagnostic[]): AsmDiagnostic[] {
  return [...diagnostics].sort((a, b) => a.line - b.line || a.column - b.column);
}

/** Which section each line-table row was made in. */
const lineSection = new WeakMap<AsmLine, Section>();
const alignUp = (value: number, alignment: number) => (Math.ceil(value / alignment) * alignment) >>> 0;
const localName = (number: string, count: number) => `.L.local.${number}.${count}`;
const displayLocal = (name: string) => `${name.split('.')[3]}f`;

function symbolName(operand: Token[], directive: string): string {
  if (operand.length !== 1 || operand[0].kind !== 'ident') throw new AsmError(operand[0], 'expected a symbol name', `${directive} NAME`);
  return operand[0].text;
}

/** Splits operand tokens at commas outside parentheses. */
function splitOperands(tokens: Token[], head: Token): Token[][] {
  if (tokens.length === 0) return [];
  const operands: Token[][] = [[]];
  let depth = 0;
  for (const t of tokens) {
    if (t.kind === 'punct' && t.text === '(') depth++;
    if (t.kind === 'punct' && t.text === ')') depth--;
    if (t.kind === 'punct' && t.text === ',' && depth === 0) {
      if (operands[operands.length - 1].length === 0) throw new AsmError(t, 'missing operand before the comma', `check the operands of '${head.text}'`);
      operands.push([]);
    } else operands[operands.length - 1].push(t);
  }
  if (operands[operands.length - 1].length === 0) {
    const last = tokens[tokens.length - 1];
    throw new AsmError(last, 'missing operand after the comma', `check the operands of '${head.text}'`);
  }
  return operands;
}

/** A macro use being assembled. */
interface Expansion {
  macro: string;
  /** The outermost use in the source: where errors in the expansion are shown. */
  use: SourceSpan;
  /** Macro uses it is nested in, itself included. */
  depth: number;
}

const CONDITIONALS: ReadonlySet<string> = new Set(['.if', '.ifeq', '.ifne', '.ifgt', '.ifge', '.iflt', '.ifle', '.ifdef', '.ifndef', '.ifnotdef', '.ifb', '.ifnb', '.ifc', '.ifnc', '.else', '.elseif', '.endif']);
/** .if and its numeric kin: the test on the (signed 32-bit) value. */
const CONDITION_TESTS: Record<string, (value: number) => boolean> = {
  '.if': (v) => v !== 0,
  '.ifne': (v) => v !== 0,
  '.ifeq': (v) => v === 0,
  '.ifgt': (v) => v > 0,
  '.ifge': (v) => v >= 0,
  '.iflt': (v) => v < 0,
  '.ifle': (v) => v <= 0,
};
/** Bounds that turn a runaway .rept or a macro that uses itself into an error, not a hang. */
const REPEAT_LIMIT = 1 << 16;
const MACRO_DEPTH_LIMIT = 100;

const SUPPORTED_DIRECTIVES = '.text .data .rodata .bss .section .word .4byte .half .2byte .short .byte .ascii .asciz .string .align .p2align .balign .globl .global .local .equ .set .space .skip .zero .type .size .option .file .ident .end .macro/.endm/.exitm/.purgem .rept/.irp/.irpc/.endr .if/.ifdef/.ifndef/.ifeq/.ifne/.ifgt/.ifge/.iflt/.ifle/.ifb/.ifnb/.ifc/.ifnc/.else/.elseif/.endif';
