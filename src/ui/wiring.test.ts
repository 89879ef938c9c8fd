import { describe, expect, it } from 'vitest';
import { parseBoard, type ResolvedBoard } from '../graph/index.ts';
import { addMapping } from './document-edit';
import { checkAddress, connectionPlan, lineReference, proposeAddress, suggestAddress, type ConnectionPlan } from './wiring';

function resolve(document: unknown): ResolvedBoard {
  const result = parseBoard(JSON.stringify(document));
  if (!result.ok) throw new Error(result.problems.map((p) => p.message).join('\n'));
  return result.board;
}

const board = resolve({
  boardlab: 1,
  name: 'wiring',
  objects: { cpu0: { type: 'rv32' }, ram: { type: 'ram', props: { size: '1M' } }, uart0: { type: 'ns16550a' }, uart1: { type: 'ns16550a' }, plic: { type: 'plic' }, led0: { type: 'led' }, test: { type: 'sifive-test' } },
  memory: [
    { map: 'ram.mem', at: '0x80000000' },
    { map: 'uart0.regs', at: '0x10000000' },
    { map: 'plic.regs', at: '0x0c000000' },
  ],
  irqs: [{ from: 'uart0.irq', to: 'plic.in[10]' }],
});

/** A board built from scratch, nothing mapped or wired yet. */
const scratch = resolve({
  boardlab: 1,
  name: 'scratch',
  objects: { cpu0: { type: 'rv32' }, ram: { type: 'ram' }, uart0: { type: 'ns16550a' }, plic: { type: 'plic' }, test: { type: 'sifive-test' }, gpio: { type: 'gpio', props: { 'num-lines': 4 } } },
  images: [{ cpu: 'cpu0', file: 'fw.elf' }],
});

const object = (b: ResolvedBoard, name: string) => b.objects.find((o) => o.name === name)!;
const map = (b: ResolvedBoard, region: string) => connectionPlan('memory', b, { source: 'space:system', sourceHandle: 'out:map', target: `/machine/${region}`, targetHandle: 'in:map' });
const wire = (b: ResolvedBoard, from: string, to: string) => {
  const [source, sourcePort] = from.split('.');
  const [target, targetPort] = to.split('.');
  return connectionPlan('irq', b, { source: `/machine/${source}`, sourceHandle: `out:${sourcePort}`, target: `/machine/${target}`, targetHandle: `in:${targetPort}` });
};
function irq(plan: ConnectionPlan): Extract<ConnectionPlan, { kind: 'irq' }> {
  if (!plan.ok || plan.kind !== 'irq') throw new Error(`not an IRQ plan: ${JSON.stringify(plan)}`);
  return plan;
}

describe('connection plans', () => {
  it('wires an IRQ output to an input, either way round', () => {
    expect(wire(board, 'uart1.irq', 'plic.in')).toMatchObject({ ok: true, kind: 'irq', from: 'uart1.irq' });
    expect(connectionPlan('irq', board, { source: '/machine/plic', sourceHandle: 'in:in', target: '/machine/uart1', targetHandle: 'out:irq' })).toMatchObject({ ok: true, from: 'uart1.irq' });
  });

  it('refuses incompatible ends with a reason', () => {
    expect(connectionPlan('irq', board, { source: '/machine/uart1', sourceHandle: 'out:irq', target: '/machine/uart0', targetHandle: 'out:irq' })).toEqual({ ok: false, reason: 'both ends are outputs; a wire joins an output to an input' });
    const led = resolve({ boardlab: 1, name: 'l', objects: { a: { type: 'button' }, b: { type: 'button' }, led0: { type: 'led' } }, irqs: [{ from: 'a.out', to: 'led0.in' }] });
    expect(wire(led, 'b.out', 'led0.in')).toEqual({ ok: false, reason: 'led0.in is already driven by a.out (an input takes one output)' });
  });

  it('wires a reset output to the board', () => {
    expect(connectionPlan('reset', board, { source: '/machine/test', sourceHandle: 'out:system-reset', target: 'board', targetHandle: 'in:reset' })).toEqual({ ok: true, kind: 'reset', from: 'test.system-reset', to: 'board' });
  });

  it('maps an unmapped region at the proposed address; a mapped one is refused', () => {
    expect(map(board, 'uart1.regs')).toMatchObject({ ok: true, kind: 'map', region: 'uart1.regs', at: 0x10001000, size: 0x100, space: 'system' });
    expect(map(board, 'ram.mem')).toEqual({ ok: false, reason: 'ram.mem is already mapped at 0x80000000' });
    const mailbox = resolve({ boardlab: 1, name: 'm', objects: { cpu0: { type: 'rv32' }, ram: { type: 'ram', props: { size: '64K' } }, mbox: { type: 'mailbox' } }, memory: [{ map: 'ram.mem', at: '0x80000000' }, { map: 'mbox.a.regs', at: '0x11000000' }] });
    expect(map(mailbox, 'mbox.b.regs')).toMatchObject({ ok: true, kind: 'map', region: 'mbox.b.regs', size: 0x1000, regionName: 'b.regs' });
    expect(map(mailbox, 'mbox.a.regs')).toEqual({ ok: false, reason: 'mbox.a.regs is already mapped at 0x11000000' });
    expect(suggestAddress(board, 'ram', 0x1000)).toBe(0x80100000);
  });

  it("shows a region mapped in another CPU's address space in this one as an alias (RAM two CPUs share); twice in one space is refused", () => {
    const amp = resolve({
      boardlab: 1,
      name: 'amp',
      objects: { hart: { type: 'rv32', props: { 'address-space': 'hart' } }, m3: { type: 'cortex-m3', props: { 'address-space': 'm3' } }, ram: { type: 'ram', props: { size: '64K' } }, code: { type: 'ram', props: { size: '64K' } }, shared: { type: 'ram', props: { size: '64K' } } },
      memory: [
        { map: 'ram.mem', at: '0x80000000', space: 'hart' },
        { map: 'shared.mem', at: '0x90000000', space: 'hart' },
        { map: 'code.mem', at: '0x0', space: 'm3' },
      ],
    });
    const plan = connectionPlan('memory', amp, { source: 'space:m3', sourceHandle: 'out:map', target: '/machine/shared.mem', targetHandle: 'in:map' });
    expect(plan).toMatchObject({ ok: true, kind: 'map', region: 'shared.mem', space: 'm3', size: 0x10000, alias: { space: 'hart', at: 0x90000000 } });
    expect(connectionPlan('memory', amp, { source: 'space:hart', sourceHandle: 'out:map', target: '/machine/shared.mem', targetHandle: 'in:map' })).toEqual({ ok: false, reason: 'shared.mem is already mapped at 0x90000000 in address space hart' });
    // a region whose name holds a dot (a mailbox side)
    const mailbox = resolve({ boardlab: 1, name: 'mb', objects: { cpu0: { type: 'rv32' }, ram: { type: 'ram' }, mbox: { type: 'mailbox' } }, memory: [{ map: 'ram.mem', at: '0x80000000' }] });
    expect(connectionPlan('memory', mailbox, { source: 'space:system', sourceHandle: 'out:map', target: '/machine/mbox.b.regs', targetHandle: 'in:map' })).toMatchObject({ ok: true, region: 'mbox.b.regs', size: 0x1000 });
    const document = addMapping({ boardlab: 1, name: 'amp', objects: {} }, 'shared.mem', 0x38000000, 'm3', true);
    expect(document.memory).toEqual([{ alias: 'shared.mem', at: '0x38000000', space: 'm3' }]);
  });
});

describe('proposed addresses', () => {
  it("are QEMU virt's on a board built from scratch with an rv32 hart, and say so", () => {
    expect(proposeAddress(scratch, object(scratch, 'ram'), 'mem')).toEqual({ at: 0x80000000, reason: "QEMU virt's ram address" });
    expect(proposeAddress(scratch, object(scratch, 'uart0'), 'regs')).toEqual({ at: 0x10000000, reason: "QEMU virt's uart0 address" });
    expect(proposeAddress(scratch, object(scratch, 'plic'), 'regs').at).toBe(0x0c000000);
    expect(proposeAddress(scratch, object(scratch, 'test'), 'regs').at).toBe(0x00100000);
  });

  it('are the next free one in the family when the conventional address is taken', () => {
    expect(proposeAddress(board, object(board, 'uart1'), 'regs')).toEqual({ at: 0x10001000, reason: "the next free address after QEMU virt's uart0 address (0x10000000 is taken by uart0.regs)" });
  });

  it('fall back to the next free device address for a type the machine does not have, or without a CPU', () => {
    expect(proposeAddress(scratch, object(scratch, 'gpio'), 'regs')).toEqual({ at: 0x10000000, reason: 'the next free device address (QEMU virt has no gpio)' });
    const noCpu = resolve({ boardlab: 1, name: 'n', objects: { uart0: { type: 'ns16550a' } } });
    expect(proposeAddress(noCpu, object(noCpu, 'uart0'), 'regs').reason).toBe('the next free device address (no machine type to follow: the board has no CPU yet)');
  });

  it('follow the machine type a board extends', () => {
    const mcu = resolve({ boardlab: 1, name: 'm', extends: 'boardlab-mcu', objects: { gpio2: { type: 'gpio' } }, images: [{ cpu: 'cpu0', file: 'fw.elf' }] });
    expect(proposeAddress(mcu, object(mcu, 'gpio2'), 'regs')).toEqual({ at: 0x10013000, reason: "the next free address after the BoardLab MCU's gpio address (0x10012000 is taken by gpio.regs)" });
  });
});

describe('typed addresses', () => {
  it('accept hex and decimal over free space', () => {
    expect(checkAddress(board, ' 0x10001000 ', 0x100)).toEqual({ ok: true, at: 0x10001000 });
    expect(checkAddress(board, '4096', 0x100)).toEqual({ ok: true, at: 4096 });
  });

  it('refuse junk, overlaps and the end of the address space with a reason', () => {
    expect(checkAddress(board, '', 0x100)).toEqual({ ok: false, reason: 'type an address, e.g. 0x10000000' });
    expect(checkAddress(board, '0xZZ', 0x100)).toEqual({ ok: false, reason: '"0xZZ" is not an address: write it in hex (0x10000000) or in decimal' });
    expect(checkAddress(board, '-16', 0x100)).toEqual({ ok: false, reason: 'an address cannot be negative' });
    expect(checkAddress(board, '0xffffff80', 0x100)).toEqual({ ok: false, reason: '256 B at 0xffffff80 runs past the end of the 4 GiB address space' });
    expect(checkAddress(board, '0x10000080', 0x100)).toEqual({ ok: false, reason: '0x10000080–0x1000017f overlaps uart0.regs [0x10000000–0x100000ff]; the next free address from there is 0x10001000' });
  });

  it('let a mapped region move over its own old place', () => {
    expect(checkAddress(board, '0x10000080', 0x100, 'system', { object: '/machine/uart0', region: 'regs' })).toEqual({ ok: true, at: 0x10000080 });
  });
});

describe('IRQ lines', () => {
  it("propose QEMU virt's line for a UART into the PLIC, and never offer the reserved source 0", () => {
    const plan = irq(wire(scratch, 'uart0.irq', 'plic.in'));
    expect(plan.to).toBe('plic.in[10]');
    expect(plan.target.choice).toMatchObject({ proposed: 10, reason: 'QEMU virt wires uart0.irq → plic.in[10]', reserved: { lines: [0] } });
    expect(plan.target.choice!.lines[0]).toBe(1);
    expect(plan.target.choice!.lines).toHaveLength(96);
    expect(plan.source.choice).toBeUndefined();
    expect(lineReference(plan.target, 12)).toBe('plic.in[12]');
    expect(lineReference(plan.source, 3)).toBe('uart0.irq');
  });

  it('propose the lowest free usable line when the conventional one is taken, and leave driven lines out', () => {
    const plan = irq(wire(board, 'uart1.irq', 'plic.in'));
    expect(plan.to).toBe('plic.in[1]');
    expect(plan.target.choice!.reason).toBe('the lowest free line (QEMU virt wires uart0.irq → plic.in[10], but line 10 is taken)');
    expect(plan.target.choice!.lines).not.toContain(10);
    expect(plan.target.choice!.lines).not.toContain(0);
  });

  it('offer every line of a multi-line output, proposing one not wired yet', () => {
    const plan = irq(wire(scratch, 'gpio.out', 'plic.in'));
    expect(plan.source.choice).toMatchObject({ lines: [0, 1, 2, 3], proposed: 0, reason: 'the lowest line not wired yet' });
    expect(plan.target.choice).toMatchObject({ proposed: 1, reason: 'the lowest free line' });
    expect(plan.from).toBe('gpio.out[0]');
  });

  it('refuse an input whose usable lines are all driven', () => {
    const tiny = resolve({ boardlab: 1, name: 't', objects: { plic: { type: 'plic', props: { 'num-sources': 2 } }, a: { type: 'ns16550a' }, b: { type: 'ns16550a' } }, irqs: [{ from: 'a.irq', to: 'plic.in[1]' }] });
    expect(wire(tiny, 'b.irq', 'plic.in')).toEqual({ ok: false, reason: 'every usable line of plic.in is driven already' });
  });
});
