import { describe, expect, it } from 'vitest';
import { parseInline, parseMarkdown } from './markdown.ts';

describe('lesson Markdown', () => {
  it('parses paragraphs, headings, lists and fenced code', () => {
    expect(parseMarkdown('# Title\n\nOne\nline.\n\n- a\n- b\n  more\n\n1. first\n2. second\n\n```\nli a0, 55\n```\n')).toEqual([
      { kind: 'heading', level: 1, children: [{ kind: 'text', text: 'Title' }] },
      { kind: 'paragraph', children: [{ kind: 'text', text: 'One line.' }] },
      { kind: 'list', ordered: false, items: [[{ kind: 'text', text: 'a' }], [{ kind: 'text', text: 'b more' }]] },
      { kind: 'list', ordered: true, items: [[{ kind: 'text', text: 'first' }], [{ kind: 'text', text: 'second' }]] },
      { kind: 'code', text: 'li a0, 55' },
    ]);
  });

  it('parses inline code, bold, italic and links; code is literal', () => {
    expect(parseInline('Map `uart0.regs` at **0x1000** in *Memory map*, see [docs](https://example.org/a) or `**not bold**`')).toEqual([
      { kind: 'text', text: 'Map ' },
      { kind: 'code', text: 'uart0.regs' },
      { kind: 'text', text: ' at ' },
      { kind: 'strong', children: [{ kind: 'text', text: '0x1000' }] },
      { kind: 'text', text: ' in ' },
      { kind: 'em', children: [{ kind: 'text', text: 'Memory map' }] },
      { kind: 'text', text: ', see ' },
      { kind: 'link', href: 'https://example.org/a', children: [{ kind: 'text', text: 'docs' }] },
      { kind: 'text', text: ' or ' },
      { kind: 'code', text: '**not bold**' },
    ]);
  });

  it('never makes a script link, and HTML stays text', () => {
    expect(parseInline('[click](javascript:alert(1))')).toEqual([{ kind: 'text', text: 'click' }, { kind: 'text', text: ')' }]);
    expect(parseInline('[x](data:text/html,hi)')).toEqual([{ kind: 'text', text: 'x' }]);
    expect(parseMarkdown('<img src=x onerror=alert(1)>')).toEqual([{ kind: 'paragraph', children: [{ kind: 'text', text: '<img src=x onerror=alert(1)>' }] }]);
  });

  it('leaves a lone asterisk or snake_case words alone', () => {
    expect(parseInline('2 * 3 and uart_put_udec')).toEqual([{ kind: 'text', text: '2 * 3 and uart_put_udec' }]);
  });
});
