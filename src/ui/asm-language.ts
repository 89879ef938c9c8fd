// Assembly in Monaco: a Monarch tokenizer for GNU as sources of the board (RISC-V and Thumb) —
// labels, mnemonics, directives, registers, numbers, strings, comments and relocation operators
// (%hi, %lo, %pcrel_hi, %pcrel_lo) — coloured with the token names the dark theme already styles.
import { monaco } from './monaco.ts';

/** The Monaco language of a source assembled for `march`: the line comment is "#" for RISC-V and "@" for ARM (where "#" starts an immediate). */
export function asmLanguageFor(march: string | undefined): string {
  registerAsmLanguages();
  return march?.startsWith('armv') ? 'boardlab-asm-arm' : 'boardlab-asm-riscv';
}

const REGISTER = /\b(?:x(?:[12]?\d|3[01])|zero|ra|sp|gp|tp|fp|t[0-6]|s(?:1[01]|\d)|a[0-7]|f(?:[12]?\d|3[01])|ft(?:1[01]|\d)|fs(?:1[01]|\d)|fa[0-7]|r(?:1[0-5]|\d)|lr|pc|ip)\b/;
const CSR = /\b(?:[msu](?:status|ie|ip|tvec|epc|cause|tval|scratch|counteren)|mhartid|misa|medeleg|mideleg|satp|cycleh?|timeh?|instreth?|fcsr|fflags|frm|primask|basepri|faultmask|control|msp|psp|apsr|xpsr)\b/;

let registered = false;

/** Registers both languages once (the first editor that needs one). */
function registerAsmLanguages(): void {
  if (registered) return;
  registered = true;
  registerAsmLanguage('boardlab-asm-riscv', '#', /(?:#|\/\/).*/);
  registerAsmLanguage('boardlab-asm-arm', '@', /(?:@|\/\/).*/);
}

function registerAsmLanguage(id: string, lineComment: string, comment: RegExp): void {
  monaco.languages.register({ id, aliases: [`Assembly (${lineComment} comments)`] });
  monaco.languages.setLanguageConfiguration(id, {
    comments: { lineComment, blockComment: ['/*', '*/'] },
    brackets: [['(', ')']],
    autoClosingPairs: [
      { open: '(', close: ')' },
      { open: '"', close: '"', notIn: ['string', 'comment'] },
    ],
  });
  monaco.languages.setMonarchTokensProvider(id, {
    defaultToken: '',
    // Lines end in "\n" for the rules: the end of a line ends a statement's operands.
    includeLF: true,
    tokenizer: {
      // The start of a statement: labels, then a directive or a mnemonic (its operands follow).
      root: [
        [/\s+/, ''],
        [comment, 'comment'],
        [/\/\*/, 'comment', '@blockComment'],
        [/[A-Za-z_.$][\w.$]*(?=\s*:)/, 'type'],
        [/\d+(?=\s*:)/, 'type'],
        [/:/, 'delimiter'],
        [/;/, 'delimiter'],
        [/\.[A-Za-z_][\w.]*/, { token: 'keyword.flow', next: '@operands' }],
        [/[A-Za-z_][\w.]*/, { token: 'keyword', next: '@operands' }],
        [/./, 'invalid'],
      ],
      // Operands up to the end of the line (or a ";" that starts the next statement).
      operands: [
        [/\n/, '', '@popall'],
        [/;/, 'delimiter', '@pop'],
        [/[ \t]+/, ''],
        [comment, 'comment'],
        [/\/\*/, 'comment', '@blockComment'],
        [/%(?:pcrel_hi|pcrel_lo|tprel_hi|tprel_lo|hi|lo)\b/, 'annotation'],
        [REGISTER, 'variable.parameter'],
        [CSR, 'variable.predefined'],
        [/\d+[bf]\b/, 'type'],
        [/0[xX][0-9a-fA-F_]+/, 'number.hex'],
        [/0[bB][01_]+/, 'number'],
        [/-?\d+/, 'number'],
        [/"/, 'string', '@string'],
        [/'(?:\\.|[^\\'])'?/, 'string'],
        [/[A-Za-z_.$][\w.$]*/, 'identifier'],
        [/[,()[\]{}+\-*/<>&|^~!=%]/, 'delimiter'],
        [/./, ''],
      ],
      string: [
        [/\n/, 'string', '@popall'],
        [/[^\\"\n]+/, 'string'],
        [/\\./, 'string.escape'],
        [/"/, 'string', '@pop'],
      ],
      blockComment: [
        [/[^*]+/, 'comment'],
        [/\*\//, 'comment', '@pop'],
        [/\*/, 'comment'],
      ],
    },
  });
}
