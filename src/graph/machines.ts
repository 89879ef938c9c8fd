// Canned machine types, as board documents. A board can be made from one with an image added.
import type { BoardDocument } from './schema.ts';

/** QEMU virt's memory map (hw/riscv/virt.c), the parts this version of BoardLab implements. */
const riscvVirt: BoardDocument = {
  boardlab: 1,
  name: 'riscv-virt',
  description: "QEMU's RISC-V virt board: RAM at 0x80000000, NS16550A UART at 0x10000000, test/finisher at 0x100000.",
  objects: {
    cpu0: { type: 'rv32', props: { 'hart-id': 0, 'reset-vector': '0x80000000' } },
    ram: { type: 'ram', props: { size: '128M' } },
    uart0: { type: 'ns16550a' },
    test: { type: 'sifive-test' },
  },
  memory: [
    { map: 'test.regs', at: '0x100000' },
    { map: 'uart0.regs', at: '0x10000000' },
    { map: 'ram.mem', at: '0x80000000' },
  ],
  irqs: [],
  images: [],
};

const machineTypes: Record<string, BoardDocument> = { 'riscv-virt': riscvVirt };

export function listMachineTypes(): string[] {
  return Object.keys(machineTypes);
}

/** A fresh copy of a machine type's board document, or undefined for an unknown name. */
export function machineTypeDocument(name: string): BoardDocument | undefined {
  const doc = machineTypes[name];
  return doc === undefined ? undefined : (structuredClone(doc) as BoardDocument);
}

/** The first CPU of a board document (in document order), for attaching a firmware image. */
export function firstCpuName(document: BoardDocument): string | undefined {
  return Object.entries(document.objects).find(([, o]) => o.type === 'rv32')?.[0];
}
