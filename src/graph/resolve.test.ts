import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { boardFromMachineType, firstCpuName, machineTypeDocument, parseBoard, resolveBoard, type BoardProblem, type BoardResult, type ResolvedBoard } from './index.ts';

const hello = JSON.parse(readFileSync(new URL('../../examples/hello.board.json', import.meta.url), 'utf8'));

function problems(result: BoardResult): BoardProblem[] {
  if (result.ok) throw new Error('expected problems, got a resolved board');
  return result.problems;
}

function resolved(result: BoardResult): ResolvedBoard {
  if (!result.ok) throw new Error(`expected a board, got problems:\n${result.problems.map((p) => `${p.pointer}: ${p.message}`).join('\n')}`);
  return result.board;
}

function withChange(change: (doc: any) => void, base: unknown = hello): unknown {
  const doc = structuredClone(base);
  change(doc);
  return doc;
}

/** A board extending riscv-virt with some changes. */
function virt(change: (doc: any) => void = () => {}): unknown {
  return withChange(change, { boardlab: 1, name: 'my-virt', extends: 'riscv-virt', objects: {}, images: [{ cpu: 'cpu0', file: 'fw.elf' }] });
}

const object = (board: ResolvedBoard, path: string) => board.objects.find((o) => o.path === `/machine/${path}`);

describe('resolveBoard: the basics', () => {
  it('resolves the hello example into canonical paths, final properties and mappings', () => {
    const board = resolved(resolveBoard(hello));
    expect(board.objects.map((o) => o.path)).toEqual(['/machine/cpu0', '/machine/ram', '/machine/uart0', '/machine/test']);
    expect(board.objects[1].props.size).toBe(128 * 1024 * 1024);
    expect(board.objects[0].props['reset-vector']).toBe(0x80000000);
    expect(board.objects[0].props['hart-id']).toBe(0);
    expect(board.memory.find((m) => m.object === '/machine/uart0')).toMatchObject({ region: 'regs', base: 0x10000000, size: 0x100, kind: 'mmio', space: 'system' });
    expect(board.memory.find((m) => m.object === '/machine/ram')?.kind).toBe('ram');
    expect(board.images).toEqual([{ cpu: '/machine/cpu0', file: 'firmware/hello.elf', format: 'elf', at: undefined, space: 'system', pointer: '/images/0' }]);
    expect(board.platform).toBe('node@1');
  });

  it('names child objects by their place in the tree', () => {
    const board = resolved(
      resolveBoard(
        withChange((doc) => {
          doc.objects.soc = { type: 'ram', props: { size: 4096 }, children: { uart1: { type: 'ns16550a' } } };
          doc.memory.push({ map: 'soc/uart1.regs', at: '0x10001000' });
        }),
      ),
    );
    expect(object(board, 'soc/uart1')).toMatchObject({ path: '/machine/soc/uart1', parent: '/machine/soc' });
    expect(board.memory.some((m) => m.object === '/machine/soc/uart1')).toBe(true);
  });

  it('rejects an unknown type with a pointer and a suggestion', () => {
    const [p] = problems(resolveBoard(withChange((doc) => (doc.objects.uart0.type = 'ns16550'))));
    expect(p.pointer).toBe('/objects/uart0/type');
    expect(p.message).toContain('unknown object type "ns16550"');
    expect(p.hint).toContain('Did you mean "ns16550a"?');
  });

  it('rejects abstract types', () => {
    const [p] = problems(resolveBoard(withChange((doc) => (doc.objects.cpu1 = { type: 'riscv-cpu' }))));
    expect(p).toMatchObject({ pointer: '/objects/cpu1/type', message: expect.stringContaining('abstract') });
    expect(p.hint).toContain('rv32');
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
    expect(list.find((p) => p.pointer.endsWith('hart-id'))?.message).toMatch(/must be 0 to 1023, not 5000/);
  });

  it('rejects a property value of the wrong kind', () => {
    const [p] = problems(resolveBoard(withChange((doc) => (doc.objects.ram.props.size = 'lots'))));
    expect(p.pointer).toBe('/objects/ram/props/size');
    expect(p.message).toContain('must be a size');
  });

  it('rejects overlapping regions at equal priority, naming both', () => {
    const [p] = problems(resolveBoard(withChange((doc) => (doc.memory[1].at = '0x80000010'))));
    expect(p.pointer).toBe('/memory/2/at');
    expect(p.message).toMatch(/ram\.mem .* overlaps uart0\.regs .* at equal priority 0/);
  });

  it('accepts overlap when priorities differ', () => {
    const board = resolved(resolveBoard(withChange((doc) => Object.assign(doc.memory[1], { at: '0x80000000', priority: 1 }))));
    expect(board.memory.find((m) => m.object === '/machine/uart0')?.priorities).toEqual([1]);
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

  it('rejects a region mapped twice', () => {
    const [p] = problems(resolveBoard(withChange((doc) => doc.memory.push({ map: 'uart0.regs', at: '0x20000000' }))));
    expect(p).toMatchObject({ pointer: '/memory/3/map', message: expect.stringContaining('mapped twice') });
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
    expect(list).toEqual([expect.objectContaining({ pointer: '/objects/cpu0/props/reset-vector', message: expect.stringContaining('0x80000000, where no memory is mapped') })]);
  });

  it('rejects an image for something that is not a CPU, and binary images without an address', () => {
    const [p] = problems(resolveBoard(withChange((doc) => (doc.images[0].cpu = 'uart0'))));
    expect(p.pointer).toBe('/images/0/cpu');
    expect(p.message).toContain('not a CPU');
    const [q] = problems(resolveBoard(withChange((doc) => doc.images.push({ file: 'data.bin', format: 'binary' }))));
    expect(q).toMatchObject({ pointer: '/images/1', message: expect.stringContaining('needs "at"') });
    const board = resolved(resolveBoard(withChange((doc) => doc.images.push({ file: 'data.bin', format: 'binary', at: '0x80100000' }))));
    expect(board.images[1]).toMatchObject({ format: 'binary', at: 0x80100000, cpu: undefined });
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
    expect(list.find((p) => p.pointer === '/objects/Bad Name')?.message).toBe('invalid name "Bad Name"');
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

describe('the IRQ graph', () => {
  const base = () =>
    withChange((doc) => {
      doc.objects.plic = { type: 'plic' };
      doc.objects.gpio = { type: 'gpio', props: { 'num-lines': 8 } };
      doc.objects.led = { type: 'led' };
      doc.memory.push({ map: 'plic.regs', at: '0xc000000' }, { map: 'gpio.regs', at: '0x10012000' });
      doc.irqs = [{ from: 'uart0.irq', to: 'plic.in[10]' }];
    });

  it('resolves single lines, and range wires line by line', () => {
    const board = resolved(resolveBoard(withChange((doc) => doc.irqs.push({ from: 'gpio.out[0..3]', to: 'plic.in[19..22]' }), base())));
    expect(board.irqs.map((w) => `${w.from} -> ${w.to}`)).toEqual([
      'uart0.irq[0] -> plic.in[10]',
      'gpio.out[0] -> plic.in[19]',
      'gpio.out[1] -> plic.in[20]',
      'gpio.out[2] -> plic.in[21]',
      'gpio.out[3] -> plic.in[22]',
    ]);
    expect(board.irqs[3].source).toEqual({ object: '/machine/gpio', port: 'out', index: 2 });
  });

  it('fans one output out to several inputs', () => {
    const board = resolved(resolveBoard(withChange((doc) => doc.irqs.push({ from: 'gpio.out[5]', to: 'led.in' }, { from: 'gpio.out[5]', to: 'plic.in[30]' }), base())));
    expect(board.irqs.filter((w) => w.from === 'gpio.out[5]').map((w) => w.to)).toEqual(['led.in[0]', 'plic.in[30]']);
  });

  it('rejects an input driven by two outputs', () => {
    const [p] = problems(resolveBoard(withChange((doc) => doc.irqs.push({ from: 'gpio.irq', to: 'plic.in[10]' }), base())));
    expect(p).toMatchObject({ pointer: '/irqs/1/to', message: 'IRQ input plic.in[10] is driven by both uart0.irq[0] and gpio.irq[0]' });
  });

  it('rejects mismatched ranges, out-of-range lines, wrong directions and missing indices', () => {
    const list = problems(
      resolveBoard(
        withChange((doc) => {
          doc.irqs.push({ from: 'gpio.out[0..3]', to: 'plic.in[1..2]' });
          doc.irqs.push({ from: 'gpio.out[9]', to: 'plic.in[40]' });
          doc.irqs.push({ from: 'plic.in[3]', to: 'led.in' });
          doc.irqs.push({ from: 'gpio.out', to: 'plic.in[50]' });
        }, base()),
      ),
    );
    expect(list.map((p) => p.pointer)).toEqual(['/irqs/1', '/irqs/2/from', '/irqs/3/from', '/irqs/4/from']);
    expect(list[0].message).toBe('gpio.out[0..3] has 4 lines but plic.in[1..2] has 2');
    expect(list[1].message).toContain('line 9 is out of range');
    expect(list[2].message).toContain('is an IRQ input, not an output');
    expect(list[3].message).toContain('has 8 lines; say which');
  });
});

describe('machine types, extends and versions', () => {
  it('riscv-virt has the QEMU virt memory map and IRQ wiring', () => {
    const board = resolved(resolveBoard(virt()));
    expect(board.machineType).toBe('riscv-virt@1.2');
    const at = Object.fromEntries(board.memory.map((m) => [m.object, m.base]));
    expect(at).toEqual({ '/machine/mrom': 0x1000, '/machine/test': 0x100000, '/machine/clint': 0x2000000, '/machine/plic': 0xc000000, '/machine/uart0': 0x10000000, '/machine/ram': 0x80000000 });
    expect(board.irqs.map((w) => `${w.from} -> ${w.to}`)).toContain('uart0.irq[0] -> plic.in[10]');
    expect(board.resets).toEqual([expect.objectContaining({ from: '/machine/test.system-reset', to: 'board' })]);
  });

  it('makes one hart per "harts" parameter, with wiring derived from the index', () => {
    const board = resolved(resolveBoard(virt((doc) => (doc.params = { harts: 4 }))));
    expect(board.objects.filter((o) => o.type === 'rv32').map((o) => [o.name, o.props['hart-id']])).toEqual([['cpu0', 0], ['cpu1', 1], ['cpu2', 2], ['cpu3', 3]]);
    expect(board.irqs.filter((w) => w.to.startsWith('cpu3.')).map((w) => w.from)).toEqual(['clint.msip[3]', 'clint.mtip[3]', 'plic.meip[3]', 'plic.seip[3]']);
    expect(object(board, 'clint')?.props['num-harts']).toBe(4);
    const [p] = problems(resolveBoard(virt((doc) => (doc.params = { harts: 9 }))));
    expect(p).toMatchObject({ pointer: '/params/harts', message: 'parameter "harts" = 9 is above 8' });
  });

  it('applies the compat layer of the version a board extends', () => {
    const v10 = resolved(resolveBoard(virt((doc) => (doc.extends = 'riscv-virt@1.0'))));
    const v11 = resolved(resolveBoard(virt((doc) => (doc.extends = 'riscv-virt@1.1'))));
    expect(object(v10, 'uart0')?.props['fifo-depth']).toBe(1);
    expect(object(v10, 'uart0')?.origins['fifo-depth']).toEqual({ layer: 'compat', source: 'riscv-virt@1.0' });
    expect(object(v11, 'uart0')?.props['fifo-depth']).toBe(16);
    expect(object(v11, 'uart0')?.origins['fifo-depth']).toEqual({ layer: 'default', source: 'ns16550a' });
  });

  it('riscv-virt@1.2 harts have Zba, Zbb, Zbc, Zbs; 1.0 and 1.1 keep them off; no other board gains them', () => {
    const BITMANIP = ['zba', 'zbb', 'zbc', 'zbs'];
    const extensions = (board: ResolvedBoard, name = 'cpu0') => BITMANIP.map((e) => object(board, name)?.props[e]);
    const version = (v: string) => resolved(resolveBoard(virt((doc) => ((doc.extends = `riscv-virt@${v}`), (doc.params = { harts: 2 })))));
    expect(extensions(version('1.0'))).toEqual([false, false, false, false]);
    expect(extensions(version('1.1'))).toEqual([false, false, false, false]);
    expect(extensions(version('1.1'), 'cpu1')).toEqual([false, false, false, false]);
    expect(object(version('1.1'), 'cpu0')?.origins.zbb).toEqual({ layer: 'compat', source: 'riscv-virt@1.1' });
    expect(extensions(version('1.2'))).toEqual([true, true, true, true]);
    expect(extensions(version('1.2'), 'cpu1')).toEqual([true, true, true, true]);
    expect(object(version('1.2'), 'cpu0')?.origins.zbb).toEqual({ layer: 'compat', source: 'riscv-virt@1.2' });
    expect(extensions(resolved(resolveBoard(virt())))).toEqual([true, true, true, true]); // no version: the newest
    // a global (QEMU's -cpu rv32,zbb=off) beats the compat layer, either way
    const zbbOff = resolved(resolveBoard(virt((doc) => (doc.globals = { rv32: { zbb: false } }))));
    expect(extensions(zbbOff)).toEqual([true, false, true, true]);
    const zbbOn11 = resolved(resolveBoard(virt((doc) => ((doc.extends = 'riscv-virt@1.1'), (doc.globals = { rv32: { zbb: true } })))));
    expect(extensions(zbbOn11)).toEqual([false, true, false, false]);
    const mcu = resolved(resolveBoard({ boardlab: 1, name: 'm', extends: 'boardlab-mcu', objects: {} }));
    expect(extensions(mcu)).toEqual([false, false, false, false]);
    const scratch = resolved(resolveBoard({ boardlab: 1, name: 's', objects: { cpu0: { type: 'rv32', props: { 'reset-vector': 0 } }, ram: { type: 'ram', props: { size: '4K' } } }, memory: [{ map: 'ram.mem', at: '0x0' }] }));
    expect(extensions(scratch)).toEqual([false, false, false, false]);
    expect(object(scratch, 'cpu0')?.origins.zbb).toEqual({ layer: 'default', source: 'rv32' });
  });

  it('riscv-virt@1.2 harts have F and D; 1.0 and 1.1 keep them off; the MCU and scratch boards do not gain them', () => {
    const fd = (board: ResolvedBoard, name = 'cpu0') => [object(board, name)?.props.f, object(board, name)?.props.d];
    const version = (v: string) => resolved(resolveBoard(virt((doc) => ((doc.extends = `riscv-virt@${v}`), (doc.params = { harts: 2 })))));
    expect(fd(version('1.0'))).toEqual([false, false]);
    expect(fd(version('1.1'), 'cpu1')).toEqual([false, false]);
    expect(object(version('1.1'), 'cpu0')?.origins.f).toEqual({ layer: 'compat', source: 'riscv-virt@1.1' });
    expect(fd(version('1.2'))).toEqual([true, true]);
    expect(fd(version('1.2'), 'cpu1')).toEqual([true, true]);
    expect(object(version('1.2'), 'cpu0')?.origins.d).toEqual({ layer: 'compat', source: 'riscv-virt@1.2' });
    expect(fd(resolved(resolveBoard(virt())))).toEqual([true, true]);
    // QEMU's -cpu rv32,f=off,d=off beats the compat layer
    expect(fd(resolved(resolveBoard(virt((doc) => (doc.globals = { rv32: { f: false, d: false } })))))).toEqual([false, false]);
    expect(fd(resolved(resolveBoard({ boardlab: 1, name: 'm', extends: 'boardlab-mcu', objects: {} })))).toEqual([false, false]);
  });

  it('adds, removes, re-wires and re-configures objects of the base', () => {
    const board = resolved(
      resolveBoard(
        virt((doc) => {
          doc.objects.uart1 = { type: 'ns16550a' };
          doc.objects.ram = { props: { size: '256M' } };
          doc.objects.test = null;
          doc.memory = [{ map: 'uart1.regs', at: '0x10001000' }];
          doc.irqs = [{ from: 'uart1.irq', to: 'plic.in[10]' }];
        }),
      ),
    );
    expect(object(board, 'test')).toBeUndefined();
    expect(board.memory.some((m) => m.object === '/machine/test')).toBe(false);
    expect(board.resets).toEqual([]); // the finisher's reset wire went with it
    expect(object(board, 'ram')?.props.size).toBe(256 * 1024 * 1024);
    expect(object(board, 'ram')?.origins.size).toEqual({ layer: 'explicit', source: 'board', pointer: '/objects/ram/props/size' });
    expect(board.irqs.find((w) => w.to === 'plic.in[10]')?.from).toBe('uart1.irq[0]'); // replaced, not doubly driven
  });

  it('re-configures and removes objects the machine type makes by repetition', () => {
    const board = resolved(
      resolveBoard(
        virt((doc) => {
          doc.params = { harts: 3 };
          doc.objects.cpu0 = { props: { 'reset-vector': '0x2000' } };
          doc.objects.cpu2 = null;
        }),
      ),
    );
    expect(object(board, 'cpu0')?.props['reset-vector']).toBe(0x2000);
    expect(object(board, 'cpu0')?.origins['reset-vector']).toMatchObject({ layer: 'explicit', pointer: '/objects/cpu0/props/reset-vector' });
    expect(object(board, 'cpu2')).toBeUndefined();
    expect(board.irqs.some((w) => w.to.startsWith('cpu2.'))).toBe(false);
    expect(problems(resolveBoard(virt((doc) => (doc.objects.cpu7 = { props: { 'hart-id': 3 } }))))[0]).toMatchObject({ pointer: '/objects/cpu7', message: expect.stringContaining('nothing to re-configure') });
  });

  it('reports an unknown machine type or version, and removing what is not there', () => {
    expect(problems(resolveBoard(virt((doc) => (doc.extends = 'riscv-virt@9.9'))))[0]).toMatchObject({ pointer: '/extends', hint: 'Known versions: riscv-virt@1.0, riscv-virt@1.1, riscv-virt@1.2.' });
    expect(problems(resolveBoard(virt((doc) => (doc.extends = 'pc'))))[0].message).toBe('unknown machine type "pc"');
    expect(problems(resolveBoard(virt((doc) => (doc.objects.nothing = null))))[0]).toMatchObject({ pointer: '/objects/nothing' });
  });

  it('the microcontroller board boots from flash at 0', () => {
    const board = resolved(resolveBoard({ boardlab: 1, name: 'mcu', extends: 'boardlab-mcu', objects: {}, images: [{ cpu: 'cpu0', file: 'fw.elf' }] }));
    expect(board.memory.find((m) => m.base === 0)).toMatchObject({ object: '/machine/flash', kind: 'rom' });
    expect(object(board, 'cpu0')?.props).toMatchObject({ 'reset-vector': 0, a: false, c: true });
    expect(board.irqs.map((w) => `${w.from} -> ${w.to}`)).toContain('gpio.out[0] -> led0.in[0]');
  });

  it('gives self-contained documents for "new board from machine type"', () => {
    const doc = machineTypeDocument('riscv-virt@1.0')!;
    expect(doc.params).toEqual({ harts: 1 });
    expect(doc.globals).toEqual({ ns16550a: { 'fifo-depth': 1 }, 'riscv-cpu': { f: false, d: false, zba: false, zbb: false, zbc: false, zbs: false, debug: false } });
    doc.images = [{ cpu: 'cpu0', file: 'x.elf' }];
    expect(resolveBoard(doc).ok).toBe(true);
    expect(firstCpuName(doc)).toBe('cpu0');
    expect(firstCpuName(boardFromMachineType('riscv-virt'))).toBe('cpu0');
  });
});

describe('layered property values', () => {
  it('platform < compat < globals < explicit, each explained', () => {
    const board = resolved(
      resolveBoard(
        virt((doc) => {
          doc.extends = 'riscv-virt@1.0';
          doc.objects.uart1 = { type: 'ns16550a', props: { 'fifo-depth': 8 } };
          doc.globals = { ns16550a: { 'clock-frequency': '1.8432 MHz' } };
        }),
        { platform: 'browser@1' },
      ),
    );
    expect(object(board, 'ram')?.props.shared).toBe(true);
    expect(object(board, 'ram')?.origins.shared).toEqual({ layer: 'platform', source: 'platform browser@1' });
    expect(object(board, 'uart0')?.origins['fifo-depth'].layer).toBe('compat');
    expect(object(board, 'uart0')?.props['clock-frequency']).toBe(1843200);
    expect(object(board, 'uart0')?.origins['clock-frequency']).toEqual({ layer: 'global', source: 'globals.ns16550a', pointer: '/globals/ns16550a/clock-frequency' });
    expect(object(board, 'uart1')?.props['fifo-depth']).toBe(8);
    expect(object(board, 'uart1')?.origins['fifo-depth'].layer).toBe('explicit');
    expect(board.platform).toBe('browser@1');
  });

  it('globals apply to subtypes, and the most specific type wins', () => {
    const board = resolved(
      resolveBoard(
        withChange((doc) => {
          doc.globals = { ram: { size: '1M' }, rom: { size: '64K' } };
          doc.objects.boot = { type: 'rom' };
          doc.objects.nvm = { type: 'flash' };
          doc.memory.push({ map: 'boot.mem', at: '0x1000' }, { map: 'nvm.mem', at: '0x20000000' });
          delete doc.objects.ram.props.size;
        }),
      ),
    );
    expect(object(board, 'ram')?.props.size).toBe(1024 * 1024);
    expect(object(board, 'boot')?.props.size).toBe(64 * 1024);
    expect(object(board, 'nvm')?.props.size).toBe(64 * 1024);
  });

  it('rejects globals for unknown types or properties', () => {
    const list = problems(resolveBoard(withChange((doc) => (doc.globals = { uart: { x: 1 }, ram: { sise: 1 } }))));
    expect(list.map((p) => p.pointer)).toEqual(['/globals/uart', '/globals/ram/sise']);
  });

  it('rejects a feature the platform cannot provide, naming both', () => {
    const [p] = problems(resolveBoard(withChange((doc) => (doc.objects.ram.props.shared = true)), { platform: 'browser-basic@1' }));
    expect(p).toEqual({
      pointer: '/objects/ram/props/shared',
      message: 'ram.shared = true needs the feature "shared-memory", which platform browser-basic@1 does not provide',
      hint: expect.stringContaining('Set shared to false'),
    });
    const [q] = problems(resolveBoard(withChange((doc) => (doc.requires = ['gdb-stub'])), { platform: 'browser@1' }));
    expect(q.message).toBe('the board needs the feature "gdb-stub", which platform browser@1 does not provide');
    expect(q.hint).toContain('node@1');
    expect(resolveBoard(withChange((doc) => (doc.requires = ['gdb-stub'])), { platform: 'node@1' }).ok).toBe(true);
    expect(problems(resolveBoard(hello, { platform: 'amiga@1' }))[0].message).toBe('unknown platform "amiga@1"');
  });
});

describe('composition: composite types, parameters, exposed properties, repetition', () => {
  const bankBoard = (instanceProps: Record<string, unknown> = {}) =>
    withChange((doc) => {
      doc.types = {
        'uart-bank': {
          doc: 'N UARTs behind one window, 4 KiB apart.',
          params: { count: { default: 2, min: 1, max: 8 } },
          props: {
            clock: { to: ['uart0.clock-frequency', 'uart1.clock-frequency'], doc: 'Clock of both UARTs.' },
            'clock-khz': { to: 'uart0.clock-frequency', scale: 1000 },
          },
          containers: { bus: '0x10000' },
          objects: { 'uart${i}': { type: 'ns16550a', repeat: 'count' } },
          memory: [{ map: 'uart${i}.regs', into: 'bus', at: '${i} * 0x1000', repeat: 'count' }],
          ports: { irqs: { irq0: 'uart0.irq' } },
        },
      };
      doc.objects.bank = { type: 'uart-bank', props: instanceProps };
      doc.objects.plic = { type: 'plic' };
      doc.memory.push({ map: 'bank.bus', at: '0x20000000' }, { map: 'plic.regs', at: '0xc000000' });
      doc.irqs = [{ from: 'bank.irq0', to: 'plic.in[1]' }];
    });

  it('expands a composite with parameters into named components, mapped through its container', () => {
    const board = resolved(resolveBoard(bankBoard({ count: 3 })));
    expect(board.objects.filter((o) => o.parent === '/machine/bank').map((o) => o.path)).toEqual(['/machine/bank/uart0', '/machine/bank/uart1', '/machine/bank/uart2']);
    expect(object(board, 'bank')).toMatchObject({ composite: true, type: 'uart-bank' });
    expect(board.memory.filter((m) => m.object.startsWith('/machine/bank/')).map((m) => [m.object, m.base])).toEqual([
      ['/machine/bank/uart0', 0x20000000],
      ['/machine/bank/uart1', 0x20001000],
      ['/machine/bank/uart2', 0x20002000],
    ]);
    expect(board.containers).toEqual([expect.objectContaining({ object: '/machine/bank', region: 'bus', base: 0x20000000, size: 0x10000 })]);
    expect(board.irqs.find((w) => w.to === 'plic.in[1]')?.source).toEqual({ object: '/machine/bank/uart0', port: 'irq', index: 0 });
  });

  it('passes exposed properties on: fan-out and scale', () => {
    const board = resolved(resolveBoard(bankBoard({ clock: 1000000 })));
    expect(object(board, 'bank/uart0')?.props['clock-frequency']).toBe(1000000);
    expect(object(board, 'bank/uart1')?.props['clock-frequency']).toBe(1000000);
    const scaled = resolved(resolveBoard(bankBoard({ 'clock-khz': 7 })));
    expect(object(scaled, 'bank/uart0')?.props['clock-frequency']).toBe(7000);
  });

  it('checks parameters and properties of composite instances', () => {
    const list = problems(resolveBoard(bankBoard({ count: 12, colour: 1 })));
    expect(list.map((p) => p.message)).toEqual(['parameter "count" of uart-bank = 12 is out of range', 'composite type "uart-bank" has no property or parameter "colour"']);
    expect(list[0].pointer).toBe('/objects/bank/props/count');
  });

  it('rejects composition cycles', () => {
    const [p] = problems(
      resolveBoard(
        withChange((doc) => {
          doc.types = { a: { objects: { inner: { type: 'b' } } }, b: { objects: { inner: { type: 'a' } } } };
          doc.objects.loop = { type: 'a' };
        }),
      ),
    );
    expect(p.message).toBe('composite type "a" contains itself (a → b → a)');
  });

  it('repeats top-level objects, memory entries and wires from board parameters', () => {
    const board = resolved(
      resolveBoard(
        withChange((doc) => {
          doc.params = { n: 3 };
          doc.objects['uart${i + 1}'] = { type: 'ns16550a', repeat: 'n' };
          doc.memory.push({ map: 'uart${i + 1}.regs', at: '0x10001000 + ${i} * 0x1000', repeat: 'n' });
        }),
      ),
    );
    expect(board.memory.filter((m) => /uart[123]$/.test(m.object)).map((m) => m.base)).toEqual([0x10001000, 0x10002000, 0x10003000]);
  });

  it('rejects a repeat whose copies would share a name, and bad expressions', () => {
    expect(problems(resolveBoard(withChange((doc) => (doc.objects.x = { type: 'ram', repeat: 2 }))))[0].message).toContain('has no ${...}');
    const [p] = problems(resolveBoard(withChange((doc) => (doc.memory[0].at = '0x100000 + ${oops}'))));
    expect(p.pointer).toBe('/memory/0');
    expect(p.message).toContain("unknown name 'oops'");
  });
});

describe('memory graph: aliases, per-CPU address spaces', () => {
  it('maps an alias window onto part of another region', () => {
    const board = resolved(resolveBoard(withChange((doc) => doc.memory.push({ alias: 'ram.mem', offset: '0x1000', size: '4K', at: '0x0' }))));
    expect(board.memory.find((m) => m.kind === 'alias')).toMatchObject({ base: 0, size: 4096, alias: { object: '/machine/ram', region: 'mem', offset: 0x1000 } });
    const [p] = problems(resolveBoard(withChange((doc) => doc.memory.push({ alias: 'uart0.regs', offset: '0x80', size: '0x100', at: '0x0' }))));
    expect(p.message).toContain('does not fit in uart0.regs');
  });

  it('gives a CPU its own address space', () => {
    const board = resolved(
      resolveBoard(
        withChange((doc) => {
          doc.objects.tcm = { type: 'ram', props: { size: '64K' } };
          doc.objects.cpu0.props['address-space'] = 'cpu0-local';
          doc.memory.push({ map: 'tcm.mem', at: '0x80000000', space: 'cpu0-local' });
        }),
      ),
    );
    expect(board.memory.find((m) => m.object === '/machine/tcm')?.space).toBe('cpu0-local');
    expect(board.images[0].space).toBe('cpu0-local');
    const [p] = problems(resolveBoard(withChange((doc) => (doc.objects.cpu0.props['address-space'] = 'nowhere'))));
    expect(p.message).toBe('CPU cpu0 uses address space "nowhere", where nothing is mapped');
  });
});

describe('reset graph and links', () => {
  it('resolves reset wires to objects and domains', () => {
    const board = resolved(
      resolveBoard(
        withChange((doc) => {
          doc.resetDomains = { io: ['uart0', 'ram'] };
          doc.resets = [
            { from: 'test.system-reset', to: 'board' },
            { from: 'board', to: 'domain:io' },
          ];
        }),
      ),
    );
    expect(board.resets.map((r) => [r.from, r.to])).toEqual([
      ['/machine/test.system-reset', 'board'],
      ['board', ['/machine/uart0', '/machine/ram']],
    ]);
    const list = problems(resolveBoard(withChange((doc) => (doc.resets = [{ from: 'uart0.reset', to: 'domain:nope' }]))));
    expect(list[0].message).toBe('uart0 has no reset output "reset"');
  });

  it('a hart with S-mode but without U-mode is a problem at the property that said so, never silently changed', () => {
    const [p, ...rest] = problems(resolveBoard(withChange((doc) => (doc.objects.cpu0.props.u = false))));
    expect(rest).toEqual([]);
    expect(p).toEqual({
      pointer: '/objects/cpu0/props/u',
      message: 'CPU cpu0 has supervisor mode ("s": true) without user mode ("u": false)',
      hint: 'A RISC-V hart with S-mode must have U-mode: set "u": true, or "s": false for a machine-mode-only hart.',
    });
    expect(problems(resolveBoard(withChange((doc) => (doc.globals = { rv32: { u: 'off' } }))))[0]).toMatchObject({ pointer: '/globals/rv32/u', message: expect.stringContaining('without user mode') });
    // Machine mode alone, and both, are fine.
    expect(resolveBoard(withChange((doc) => Object.assign(doc.objects.cpu0.props, { s: false, u: false }))).ok).toBe(true);
    expect(resolveBoard(withChange((doc) => Object.assign(doc.objects.cpu0.props, { s: true, u: true }))).ok).toBe(true);
  });

  it('checks link properties: the target exists and has the right type', () => {
    const ok = resolved(resolveBoard(withChange((doc) => ((doc.objects.clint = { type: 'clint' }), doc.memory.push({ map: 'clint.regs', at: '0x2000000' }), (doc.objects.cpu0.props['time-base'] = 'clint')))));
    expect(object(ok, 'cpu0')?.props['time-base']).toBe('/machine/clint');
    const [p] = problems(resolveBoard(withChange((doc) => (doc.objects.cpu0.props['time-base'] = 'uart0'))));
    expect(p).toMatchObject({ pointer: '/objects/cpu0/props/time-base', message: 'cpu0.time-base must link to a time-base, but uart0 is a ns16550a' });
    expect(problems(resolveBoard(withChange((doc) => (doc.objects.cpu0.props['time-base'] = 'nope'))))[0].message).toBe('no object "nope" on this board');
  });

  it('a removed property (the CPU\'s interrupt-parent) is a problem at its pointer that says why and what to do, never dropped silently', () => {
    const [p, ...rest] = problems(resolveBoard(withChange((doc) => (doc.objects.cpu0.props['interrupt-parent'] = 'plic'))));
    expect(rest).toEqual([]);
    expect(p).toEqual({
      pointer: '/objects/cpu0/props/interrupt-parent',
      message: 'property "interrupt-parent" of type "rv32" was removed: it never changed what the CPU does: the IRQ wires into its interrupt inputs say which controller delivers its external interrupts',
      hint: 'Delete the property; wire the controller to the CPU instead (e.g. plic.meip[0] → cpu0.meip, plic.seip[0] → cpu0.seip).',
    });
    const [global] = problems(resolveBoard(withChange((doc) => (doc.globals = { cpu: { 'interrupt-parent': null } }))));
    expect(global).toMatchObject({ pointer: '/globals/cpu/interrupt-parent', message: expect.stringContaining('property "interrupt-parent" of type "cpu" was removed') });
  });
});

describe('library files', () => {
  const library = JSON.parse(readFileSync(new URL('../../examples/lib/peripherals.library.json', import.meta.url), 'utf8'));
  const board = JSON.parse(readFileSync(new URL('../../examples/uart-bank.board.json', import.meta.url), 'utf8'));

  it('takes composite types from the library files a board names', () => {
    const result = resolved(resolveBoard(board, { libraries: new Map([['lib/peripherals.library.json', library]]) }));
    expect(result.objects.filter((o) => o.parent === '/machine/bank').map((o) => o.name)).toEqual(['uart0', 'uart1', 'uart2']);
    expect(result.memory.find((m) => m.object === '/machine/bank/uart2')?.base).toBe(0x10012000);
    expect(object(result, 'bank/uart0')?.props['fifo-depth']).toBe(4);
    expect(result.irqs.find((w) => w.to === 'plic.in[12]')?.source.object).toBe('/machine/bank/uart1');
  });

  it('reports a library that is missing or invalid at its entry in "libraries"', () => {
    expect(problems(resolveBoard(board))[0]).toMatchObject({ pointer: '/libraries/0', message: 'library "lib/peripherals.library.json" could not be read' });
    const broken = { ...library, types: { 'uart-bank': { ...library.types['uart-bank'], colour: 'red' } } };
    const [p] = problems(resolveBoard(board, { libraries: new Map([['lib/peripherals.library.json', broken]]) }));
    expect(p).toMatchObject({ pointer: '/libraries/0', message: 'library "lib/peripherals.library.json" at /types/uart-bank/colour: unknown member "colour"' });
  });
});

describe('map with a size', () => {
  it('maps the first bytes of a region, and refuses more than the region has', () => {
    const board = resolved(resolveBoard(withChange((doc) => (doc.memory[2].size = '64M'))));
    expect(board.memory.find((m) => m.object === '/machine/ram')?.size).toBe(64 * 1024 * 1024);
    expect(problems(resolveBoard(withChange((doc) => (doc.memory[2].size = '1G'))))[0].message).toBe('size 1 GiB does not fit ram.mem (128 MiB)');
    expect(problems(resolveBoard(withChange((doc) => (doc.memory[2].offset = 16))))[0].pointer).toBe('/memory/2/offset');
  });
});
