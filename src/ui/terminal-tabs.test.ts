import { describe, expect, it } from 'vitest';
import { terminalTabs } from './terminal-tabs.ts';

describe('terminalTabs', () => {
  it('names a tab by its UART, a console by its CPU, and says whose console shares a UART', () => {
    const tabs = terminalTabs([
      { ring: 0, path: '/machine/uart0', kind: 'uart', consoles: [] },
      { ring: 1, path: '/machine/m3uart', kind: 'uart', consoles: ['/machine/m3'] },
      { ring: 2, path: '/machine/m0', kind: 'console', consoles: ['/machine/m0'] },
    ]);
    expect(tabs.map((t) => [t.label, t.uart])).toEqual([
      ['uart0', '/machine/uart0'],
      ['m3uart', '/machine/m3uart'],
      ['m0 semihosting', null],
    ]);
    expect(tabs[1].title).toBe('/machine/m3uart (and the semihosting console of m3)');
  });

  it('makes one tab of the streams that share a ring', () => {
    const tabs = terminalTabs([
      { ring: 0, path: '/machine/a', kind: 'uart', consoles: [] },
      { ring: 1, path: '/machine/b', kind: 'uart', consoles: [] },
      { ring: 1, path: '/machine/c', kind: 'uart', consoles: [] },
    ]);
    expect(tabs.map((t) => t.label)).toEqual(['a', 'b + c']);
    expect(tabs[1].uart).toBe('/machine/b');
  });
});
