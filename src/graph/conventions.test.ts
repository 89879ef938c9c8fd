import { describe, expect, it } from 'vitest';
import { conventionalAddress, conventionalLine, referenceMachineType, resolveBoard, resolvedMachineType, type ResolvedBoard } from './index.ts';

function resolved(document: unknown): ResolvedBoard {
  const result = resolveBoard(document);
  if (!result.ok) throw new Error(result.problems.map((p) => `${p.pointer}: ${p.message}`).join('\n'));
  return result.board;
}

const object = (board: ResolvedBoard, name: string) => board.objects.find((o) => o.name === name)!;

/** A board built from scratch: no machine type, nothing mapped but RAM. */
const scratch = resolved({
  boardlab: 1,
  name: 'scratch',
  objects: { cpu0: { type: 'rv32' }, ram: { type: 'ram', props: { size: '64M' } }, uart0: { type: 'ns16550a' }, plic: { type: 'plic' }, clint: { type: 'clint' }, test: { type: 'sifive-test' }, gpio: { type: 'gpio' } },
  memory: [{ map: 'ram.mem', at: '0x80000000' }],
});

describe('the machine type a board follows', () => {
  it('is the one it extends, else the reference machine of its CPUs, else none', () => {
    expect(referenceMachineType(resolved({ boardlab: 1, name: 'm', extends: 'boardlab-mcu', objects: {} }))).toBe('boardlab-mcu@1.0');
    expect(referenceMachineType(resolved({ boardlab: 1, name: 'v', extends: 'riscv-virt@1.0', objects: {} }))).toBe('riscv-virt@1.0');
    expect(referenceMachineType(scratch)).toBe('riscv-virt@1.2');
    expect(referenceMachineType(resolved({ boardlab: 1, name: 'no-cpu', objects: { uart0: { type: 'ns16550a' } } }))).toBeUndefined();
  });

  it('is resolved from its own document, once', () => {
    const virt = resolvedMachineType('riscv-virt@1.1')!;
    expect(virt.objects.map((o) => o.name)).toContain('plic');
    expect(resolvedMachineType('riscv-virt@1.1')).toBe(virt);
    expect(resolvedMachineType('no-such-machine')).toBeUndefined();
  });
});

describe('conventional addresses', () => {
  it("are QEMU virt's for a board built from scratch with an rv32 hart, by the type of the object", () => {
    const at = (name: string, region: string) => conventionalAddress(scratch, object(scratch, name), region)?.base;
    expect(at('ram', 'mem')).toBe(0x80000000);
    expect(at('uart0', 'regs')).toBe(0x10000000);
    expect(at('plic', 'regs')).toBe(0x0c000000);
    expect(at('clint', 'regs')).toBe(0x02000000);
    expect(at('test', 'regs')).toBe(0x00100000);
    expect(conventionalAddress(scratch, object(scratch, 'uart0'), 'regs')).toEqual({ machineType: 'riscv-virt@1.2', title: 'QEMU virt', object: 'uart0', base: 0x10000000 });
  });

  it('follow the machine type a board extends, and are absent for a type it does not have', () => {
    const mcu = resolved({ boardlab: 1, name: 'm', extends: 'boardlab-mcu', objects: { extra: { type: 'gpio' }, fb: { type: 'framebuffer' } } });
    expect(conventionalAddress(mcu, object(mcu, 'extra'), 'regs')).toMatchObject({ base: 0x10012000, object: 'gpio', title: 'the BoardLab MCU' });
    expect(conventionalAddress(mcu, object(mcu, 'fb'), 'vram')).toBeUndefined();
    expect(conventionalAddress(scratch, object(scratch, 'gpio'), 'regs')).toBeUndefined();
    expect(conventionalAddress(scratch, object(scratch, 'uart0'), 'regs', 'cpu0-local')).toBeUndefined();
  });
});

describe('conventional IRQ lines', () => {
  it("are QEMU virt's: a UART on PLIC source 10, the PLIC's meip to the hart's", () => {
    expect(conventionalLine(scratch, object(scratch, 'uart0'), 'irq', object(scratch, 'plic'), 'in')).toEqual({
      machineType: 'riscv-virt@1.2',
      title: 'QEMU virt',
      object: 'uart0',
      sourceLine: 0,
      targetLine: 10,
      wire: 'uart0.irq → plic.in[10]',
    });
    expect(conventionalLine(scratch, object(scratch, 'plic'), 'meip', object(scratch, 'cpu0'), 'meip')).toMatchObject({ sourceLine: 0, targetLine: 0, wire: 'plic.meip[0] → cpu0.meip' });
  });

  it('are absent where the machine type has no such wire', () => {
    expect(conventionalLine(scratch, object(scratch, 'uart0'), 'irq', object(scratch, 'cpu0'), 'meip')).toBeUndefined();
    expect(conventionalLine(scratch, object(scratch, 'gpio'), 'irq', object(scratch, 'plic'), 'in')).toBeUndefined();
  });

  it('follow the machine type a board extends (the MCU wires its UART to source 1)', () => {
    const mcu = resolved({ boardlab: 1, name: 'm', extends: 'boardlab-mcu', objects: { uart1: { type: 'ns16550a' } } });
    expect(conventionalLine(mcu, object(mcu, 'uart1'), 'irq', object(mcu, 'plic'), 'in')?.targetLine).toBe(1);
  });
});
