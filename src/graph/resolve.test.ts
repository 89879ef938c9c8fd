import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { machineTypeDocument, parseBoard, resolveBoard, type BoardProblem, type BoardResult } from './index.ts';

const hello = JSON.parse(readFileSync(new URL('../../examples/hello.board.json', import.meta.url), 'utf8'));

function problems(result: BoardResult): BoardProblem[] {
  if (result.ok) throw new Error('expected problems, got a resolved board');
  return result.problems;
}

function withChange(change: (doc: any) => void): unknown {
  const doc = structuredClone(hello);
  change(doc);
  return doc;
}

describe('resolveBoard', () => {
  it('resolves the hello example into canonical paths, final properties and mappings', () => {
    const result = resolveBoard(hello);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    const { board } = result;
    expect(board.objects.map((o) => o.path)).toEqual(['/machine/cpu0', '/machine/ram', '/machine/uart0', '/machine/test']);
    expect(board.objects[1].props.size).toBe(128 * 1024 * 1024);
    expect(board.objects[0].props['reset-vector']).toBe(0x80000000);
    expect(board.objects[0].props['hart-id']).toBe(0); // default
    expect(board.memory.find((m) => m.object === '/machine/uart0')).toMatchObject({ region: 'regs', base: 0x10000000, size: 0x100 });
    expect(board.images).toEqual([{ cpu: '/machine/cpu0', file: 'firmware/hello.elf', format: 'elf', pointer: '/images/0' }]);
  });

  it('names child objects by their place in the tree', () => {
    const result = resolveBoard(
      withChange((doc) => {
        doc.objects.soc = { type: 'ram', props: { size: 4096 }, children: { uart1: { type: 'ns16550a' } } };
        doc.memory.push({ map: 'soc/uart1.regs', at: '0x10001000' });
      }),
    );
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    const uart1 = result.board.objects.find((o) => o.name === 'uart1');
    expect(uart1).toMatchObject({ path: '/machine/soc/uart1', parent: '/machine/soc' });
    expect(result.board.memory.some((m) => m.object === '/machine/soc/uart1')).toBe(true);
  });

  it('rejects an unknown type with a pointer and a suggestion', () => {
    const [p] = problems(resolveBoard(withChange((doc) => (doc.objects.uart0.type = 'ns16550')))); 
    expect(p.pointer).toBe('/objects/uart0/type');
    expect(p.message).toContain('unknown object type "ns16550"');
    expect(p.hint).toContain('Did you mean "ns16550a"?');
  });

  it('rejects unknown properties and out-of-range values', () => {
    const list = problems(
      resolveBoard(
        withChange((doc) => {
          doc.objects.ram.props.sise = '1M';
          doc.objects.cpu0.props['hart-id'] = 5000;
        }),
      ),
    );
    expect(list.map((p) => p.pointer).sort()).toEqual(['/objects/cpu0/props/hart-id', '/objects/ram/props/sise']);
    expect(list.find((p) => p.pointer.endsWith('sise'))?.hint).toContain('Did you mean "size"?');
    expect(list.find((p) => p.pointer.endsWith('hart-id'))?.message).toContain('out of range');
  });

  it('rejects a property value of the wrong kind', () => {
    const [p] = problems(resolveBoard(withChange((doc) => (doc.objects.ram.props.size = 'lots'))));
    expect(p.pointer).toBe('/objects/ram/props/size');
    expect(p.message).toContain('must be a size');
  });

  it('rejects overlapping regions, naming both', () => {
    const [p] = problems(resolveBoard(withChange((doc) => (doc.memory[1].at = '0x80000010'))));
    expect(p.pointer).toBe('/memory/2/at');
    expect(p.message).toMatch(/ram\.mem .* overlaps uart0\.regs/);
  });

  it('rejects dangling object and region references', () => {
    const list = problems(
      resolveBoard(
        withChange((doc) => {
          doc.memory[0].map = 'tset.regs';
          doc.memory[1].map = 'uart0.registers';
        }),
      ),
    );
    expect(list[0]).toMatchObject({ pointer: '/memory/0/map' });
    expect(list[0].hint).toContain('Did you mean "test"?');
    expect(list[1].message).toContain('has no region "registers"');
  });

  it('rejects a CPU whose reset vector hits no memory', () => {
    const list = problems(
      resolveBoard(
        withChange((doc) => {
          doc.images = [];
          doc.memory = doc.memory.filter((m: { map: string }) => m.map !== 'ram.mem');
        }),
      ),
    );
    expect(list).toEqual([expect.objectContaining({ pointer: '/objects/cpu0/props/reset-vector', message: expect.stringContaining('0x80000000') })]);
  });

  it('rejects an image for something that is not a CPU', () => {
    const [p] = problems(resolveBoard(withChange((doc) => (doc.images[0].cpu = 'uart0'))));
    expect(p.pointer).toBe('/images/0/cpu');
    expect(p.message).toContain('not a CPU');
  });

  it('reports schema errors with pointers: unknown members, wrong types, bad names, missing members', () => {
    const list = problems(
      resolveBoard(
        withChange((doc) => {
          doc.colour = 'blue';
          doc.memory[0].at = true;
          doc.objects['Bad Name'] = { type: 'ram' };
          delete doc.name;
        }),
      ),
    );
    const pointers = list.map((p) => p.pointer);
    expect(pointers).toContain('/colour');
    expect(pointers).toContain('/memory/0/at');
    expect(pointers).toContain('/objects/Bad Name');
    expect(list.find((p) => p.pointer === '')?.message).toContain('"name"');
  });

  it('never throws on arbitrary input', () => {
    for (const input of [null, 0, 'x', [], {}, { boardlab: 1 }, { boardlab: 1, name: 'x', objects: [] }, { boardlab: 2, name: 'x', objects: {} }]) {
      const result = resolveBoard(input);
      expect(result.ok).toBe(false);
      if (!result.ok) for (const p of result.problems) expect(p.pointer === '' || p.pointer.startsWith('/')).toBe(true);
    }
  });
});

describe('parseBoard', () => {
  it('reports JSON syntax errors with line and column', () => {
    const [p] = problems(parseBoard('{\n  "boardlab": 1,\n  "name": "x",,\n}'));
    expect(p.pointer).toBe('');
    expect(p.message).toMatch(/not valid JSON at line 3, column \d+/);
  });

  it('reports an empty file', () => {
    expect(problems(parseBoard(''))[0].message).toContain('empty');
  });
});

describe('machine types', () => {
  it('riscv-virt resolves and has the QEMU virt addresses', () => {
    const doc = machineTypeDocument('riscv-virt')!;
    doc.images = [{ cpu: 'cpu0', file: 'x.elf' }];
    const result = resolveBoard(doc);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    const at = Object.fromEntries(result.board.memory.map((m) => [m.object, m.base]));
    expect(at).toEqual({ '/machine/test': 0x100000, '/machine/uart0': 0x10000000, '/machine/ram': 0x80000000 });
  });

  it('returns a fresh copy each time', () => {
    const a = machineTypeDocument('riscv-virt')!;
    a.objects.extra = { type: 'ram' };
    expect(machineTypeDocument('riscv-virt')!.objects.extra).toBeUndefined();
    expect(machineTypeDocument('nope')).toBeUndefined();
  });
});
