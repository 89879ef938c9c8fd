import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { effectiveType, irqLineCount, listTypes, resolveBoard, type BoardResult } from './index.ts';

function warnings(document: unknown, libraries?: ReadonlyMap<string, unknown>): NonNullable<Extract<BoardResult, { ok: true }>['warnings']> {
  const result = resolveBoard(document, { libraries });
  if (!result.ok) throw new Error(result.problems.map((p) => `${p.pointer}: ${p.message}`).join('\n'));
  return result.warnings ?? [];
}

const base = { cpu0: { type: 'rv32', props: { 'time-base': 'clint' } }, ram: { type: 'ram', props: { size: '1M' } }, uart0: { type: 'ns16550a' }, plic: { type: 'plic' }, clint: { type: 'clint' } };
const memory = [{ map: 'ram.mem', at: '0x80000000' }];

describe('catalog data for wiring', () => {
  it('the PLIC documents source 0 as reserved, and only inputs have reserved lines', () => {
    const input = effectiveType('plic')!.irqs.find((p) => p.name === 'in')!;
    expect(input.reserved?.lines).toEqual([0]);
    expect(input.reserved?.doc).toMatch(/source 0 is reserved/);
    for (const type of listTypes()) for (const port of type.irqs) if (port.reserved) expect(port.direction).toBe('in');
  });

  it("a hart's interrupt inputs name the kind of device meant to drive them, and that kind exists in the catalog", () => {
    const hart = effectiveType('rv32')!;
    expect(Object.fromEntries(hart.irqs.map((p) => [p.name, p.drivenBy]))).toEqual({ msip: 'timer', mtip: 'timer', meip: 'interrupt-controller', seip: 'interrupt-controller' });
    for (const port of hart.irqs) expect(listTypes({ interface: port.drivenBy, abstract: false }).length).toBeGreaterThan(0);
  });
});

describe('the time base of a CPU', () => {
  const wiredToClint = (cpu: Record<string, unknown>) => ({
    boardlab: 1,
    name: 'w',
    objects: { ...base, cpu0: cpu },
    memory,
    irqs: [{ from: 'clint.mtip[0]', to: 'cpu0.mtip' }],
    images: [{ cpu: 'cpu0', file: 'fw.elf' }],
  });

  it('a CPU whose timer interrupt comes from a CLINT but whose time-base links to nothing is a warning at its props', () => {
    const found = warnings(wiredToClint({ type: 'rv32' }));
    expect(found).toEqual([
      {
        pointer: '/objects/cpu0/props',
        message: "cpu0 takes its mtip interrupt from clint, but its time-base links to nothing: its time counter reads virtual time at 10 MHz, not clint's counter",
        hint: 'Set "time-base": "clint" in cpu0\'s props.',
        severity: 'warning',
      },
    ]);
    expect(warnings(wiredToClint({ type: 'rv32', props: { 'time-base': 'clint' } }))).toEqual([]);
  });

  it('a time-base link to something that is no time base is a problem naming the candidates', () => {
    const result = resolveBoard(wiredToClint({ type: 'rv32', props: { 'time-base': 'uart0' } }));
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.problems).toContainEqual(expect.objectContaining({ pointer: '/objects/cpu0/props/time-base', message: 'cpu0.time-base must link to a time-base, but uart0 is a ns16550a', hint: 'Candidates: clint.' }));
  });
});

describe('board warnings', () => {
  it('a UART straight into a hart external interrupt is a warning, not an error: the board still resolves', () => {
    const found = warnings({ boardlab: 1, name: 'w', objects: base, memory, irqs: [{ from: 'uart0.irq', to: 'cpu0.meip' }], images: [{ cpu: 'cpu0', file: 'fw.elf' }] });
    expect(found).toEqual([
      {
        pointer: '/irqs/0/to',
        severity: 'warning',
        message: 'cpu0.meip is meant to be driven by an interrupt controller, but uart0.irq (ns16550a) drives it',
        hint: expect.stringContaining("Wire uart0.irq to an interrupt controller's input"),
      },
    ]);
  });

  it('a timer input driven by the PLIC is a warning too; the conventional wiring is not', () => {
    const found = warnings({
      boardlab: 1,
      name: 'w',
      objects: base,
      memory,
      irqs: [
        { from: 'plic.meip[0]', to: 'cpu0.mtip' },
        { from: 'clint.msip[0]', to: 'cpu0.msip' },
        { from: 'plic.seip[0]', to: 'cpu0.seip' },
        { from: 'uart0.irq', to: 'plic.in[10]' },
      ],
      images: [{ cpu: 'cpu0', file: 'fw.elf' }],
    });
    expect(found.map((w) => [w.pointer, w.message])).toEqual([['/irqs/0/to', 'cpu0.mtip is meant to be driven by a timer, but plic.meip (plic) drives it']]);
  });

  it('a wire to PLIC source 0 is a warning that names the reserved line and a usable one', () => {
    const found = warnings({ boardlab: 1, name: 'w', objects: base, memory, irqs: [{ from: 'uart0.irq', to: 'plic.in[0]' }], images: [{ cpu: 'cpu0', file: 'fw.elf' }] });
    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject({ pointer: '/irqs/0/to', severity: 'warning' });
    expect(found[0].message).toBe('uart0.irq is wired to plic.in[0], a line plic never raises (PLIC source 0 is reserved: it means "no interrupt", so the PLIC never raises it), so it will never interrupt');
    expect(found[0].hint).toBe('Wire it to plic.in[1] or another line from 1 to 96.');
  });

  it('a range wire that covers source 0 warns once', () => {
    const found = warnings({ boardlab: 1, name: 'w', objects: { ...base, gpio: { type: 'gpio', props: { 'num-lines': 4 } } }, memory, irqs: [{ from: 'gpio.out[0..3]', to: 'plic.in[0..3]' }], images: [{ cpu: 'cpu0', file: 'fw.elf' }] });
    expect(found.map((w) => w.message)).toEqual(['gpio.out[0] is wired to plic.in[0], a line plic never raises (PLIC source 0 is reserved: it means "no interrupt", so the PLIC never raises it), so it will never interrupt']);
  });

  it('the machine types and every example board have no warnings', () => {
    expect(warnings({ boardlab: 1, name: 'v', extends: 'riscv-virt', params: { harts: 4 }, objects: {}, images: [{ cpu: 'cpu0', file: 'fw.elf' }] })).toEqual([]);
    expect(warnings({ boardlab: 1, name: 'm', extends: 'boardlab-mcu', objects: {}, images: [{ cpu: 'cpu0', file: 'fw.elf' }] })).toEqual([]);
    const dir = new URL('../../examples/', import.meta.url);
    const libraries = new Map<string, unknown>();
    for (const file of readdirSync(new URL('lib/', dir))) libraries.set(`lib/${file}`, JSON.parse(readFileSync(new URL(`lib/${file}`, dir), 'utf8')));
    const examples = readdirSync(dir).filter((f) => f.endsWith('.board.json'));
    expect(examples.length).toBeGreaterThan(3);
    for (const file of examples) expect([file, warnings(JSON.parse(readFileSync(new URL(file, dir), 'utf8')), libraries)]).toEqual([file, []]);
  });
});

describe('irqLineCount', () => {
  it('is a port’s constant count, or the property it names, 1 when that is not a positive number', () => {
    const plicIn = effectiveType('plic')!.irqs.find((p) => p.name === 'in')!;
    expect(irqLineCount(plicIn, { 'num-sources': 97 })).toBe(97);
    expect(irqLineCount(plicIn, { 'num-sources': 0 })).toBe(1);
    expect(irqLineCount(plicIn, { 'num-sources': 'many' })).toBe(1);
    expect(irqLineCount(plicIn, {})).toBe(1);
    expect(irqLineCount(effectiveType('ns16550a')!.irqs[0], {})).toBe(1);
  });
});
