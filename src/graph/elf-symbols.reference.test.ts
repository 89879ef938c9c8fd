// Symbol addresses against Debian's arm-none-eabi-nm on every committed ARM ELF: the debugger's
// symbols and breakpoints (SymbolTable) must name the addresses binutils name — a Thumb function
// at its value without the Thumb bit, no `$t`/`$d` mapping symbol in place of a real name.
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SymbolTable } from './elf-symbols.ts';

const dir = new URL('../../public/firmware/arm/', import.meta.url).pathname;
const elfs = readdirSync(dir).filter((name) => name.endsWith('.elf'));

describe.each(elfs)('arm/%s', (file) => {
  it('every code symbol nm prints (once) has the address nm prints', () => {
    const path = join(dir, file);
    const nm = execFileSync('arm-none-eabi-nm', ['--defined-only', path], { encoding: 'utf8' });
    const code = nm
      .split('\n')
      .map((line) => /^([0-9a-f]{8}) ([TtWw]) (\S+)$/.exec(line))
      .filter((match) => match !== null)
      .map((match) => ({ name: match[3], address: parseInt(match[1], 16) }));
    const once = code.filter((s) => code.filter((t) => t.name === s.name).length === 1);
    expect(once.length).toBeGreaterThan(0);
    const table = SymbolTable.fromElf(new Uint8Array(readFileSync(path)));
    expect(once.map((s) => ({ name: s.name, address: table.valueOf(s.name) }))).toEqual(once);
    // and the symbol an address is named by is one nm prints there, never a mapping symbol
    for (const s of once) expect(code.filter((t) => t.address === s.address).map((t) => t.name)).toContain(table.find(s.address)?.name);
  });
});
