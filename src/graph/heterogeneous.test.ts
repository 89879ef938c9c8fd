// The board language for heterogeneous boards (issue #14 point 1): a RISC-V hart and a Cortex-M
// core on one board, each with its own view of memory, clock and images; and what validation
// rejects on such boards, each at a JSON Pointer with a message and a hint.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { addressSpaceView, checkImages, resolveBoard, type BoardDocument, type ResolvedBoard } from './index.ts';

const riscvElf = new Uint8Array(readFileSync(new URL('../../public/firmware/hello.elf', import.meta.url)));
const armElf = new Uint8Array(readFileSync(new URL('../../public/firmware/arm/hello.elf', import.meta.url)));

/** A hart and an M3, each in its own address space, with 64 KiB of RAM both see (0x90000000 / 0x38000000), a mailbox, a PLIC and a CLINT. */
function mixed(): BoardDocument {
  return {
    boardlab: 1,
    name: 'mixed',
    objects: {
      hart: { type: 'rv32', props: { 'address-space': 'hart' } },
      m3: { type: 'cortex-m3', props: { 'address-space': 'm3' } },
      ram: { type: 'ram', props: { size: '64K' } },
      code: { type: 'ram', props: { size: '64K' } },
      shared: { type: 'ram', props: { size: '64K' } },
      plic: { type: 'plic' },
      clint: { type: 'clint' },
      mbox: { type: 'mailbox' },
      uart: { type: 'cmsdk-apb-uart' },
    },
    memory: [
      { map: 'ram.mem', at: '0x80000000', space: 'hart' },
      { map: 'shared.mem', at: '0x90000000', space: 'hart' },
      { map: 'mbox.a.regs', at: '0x11000000', space: 'hart' },
      { map: 'plic.regs', at: '0x0c000000', space: 'hart' },
      { map: 'clint.regs', at: '0x02000000', space: 'hart' },
      { map: 'code.mem', at: '0x0', space: 'm3' },
      { alias: 'shared.mem', at: '0x38000000', space: 'm3' },
      { map: 'mbox.b.regs', at: '0x40010000', space: 'm3' },
      { map: 'uart.regs', at: '0x40004000', space: 'm3' },
    ],
    irqs: [
      { from: 'mbox.a.irq', to: 'plic.in[11]' },
      { from: 'plic.meip[0]', to: 'hart.meip' },
      { from: 'clint.mtip[0]', to: 'hart.mtip' },
      { from: 'mbox.b.irq', to: 'm3.irq[0]' },
    ],
  };
}

function resolved(document: BoardDocument): ResolvedBoard {
  const result = resolveBoard(document);
  if (!result.ok) throw new Error(result.problems.map((p) => `${p.pointer}: ${p.message}`).join('\n'));
  return result.board;
}

function problems(document: BoardDocument) {
  const result = resolveBoard(document);
  expect(result.ok, 'the board should be rejected').toBe(false);
  return result.ok ? [] : result.problems;
}

describe('a board with a RISC-V hart and a Cortex-M3', () => {
  it('resolves: each CPU has its own view, the shared RAM in both at different addresses, its own clock', () => {
    const board = resolved(mixed());
    const at = (space: string, address: number) => {
      const segment = addressSpaceView(board, space).find((s) => address >= s.base && address < s.base + s.size);
      return segment && { region: segment.mapping.alias ? `${segment.mapping.alias.object}.${segment.mapping.alias.region}` : `${segment.mapping.object}.${segment.mapping.region}`, offset: segment.offset + address - segment.base };
    };
    expect(at('hart', 0x9000_0010)).toEqual({ region: '/machine/shared.mem', offset: 0x10 });
    expect(at('m3', 0x3800_0010)).toEqual({ region: '/machine/shared.mem', offset: 0x10 });
    expect(at('hart', 0x3800_0010)).toBeUndefined();
    expect(at('m3', 0x9000_0010)).toBeUndefined();
    expect(at('hart', 0x1100_0000)?.region).toBe('/machine/mbox.a.regs');
    expect(at('m3', 0x4001_0000)?.region).toBe('/machine/mbox.b.regs');
    const cpu = (name: string) => board.objects.find((o) => o.name === name)!;
    expect(cpu('hart').props['clock-frequency']).toBe(100_000_000);
    expect(cpu('m3').props['clock-frequency']).toBe(25_000_000);
    expect(board.irqs.map((w) => `${w.from} → ${w.to}`)).toContain('mbox.b.irq[0] → m3.irq[0]');
  });

  it('refuses an image for the other CPU\'s architecture, at the image, naming both', () => {
    const document = { ...mixed(), images: [{ cpu: 'hart', file: 'arm.elf' }, { cpu: 'm3', file: 'riscv.elf' }] };
    const found = checkImages(resolved(document), new Map([['arm.elf', armElf], ['riscv.elf', riscvElf]]));
    expect(found).toEqual([
      expect.objectContaining({ pointer: '/images/0', message: expect.stringMatching(/an ELF file for ARM \(EM_ARM\), but its CPU hart \(rv32\) is RISC-V/), hint: expect.stringContaining('riscv64-unknown-elf-gcc') }),
      expect.objectContaining({ pointer: '/images/1', message: expect.stringMatching(/an ELF file for RISC-V \(EM_RISCV\), but its CPU m3 \(cortex-m3\) is ARM/), hint: expect.stringContaining('arm-none-eabi-gcc -mcpu=cortex-m3') }),
    ]);
    const right = { ...mixed(), images: [{ cpu: 'hart', file: 'riscv.elf' }, { cpu: 'm3', file: 'arm.elf' }] };
    right.objects = { ...right.objects, ram: { type: 'ram', props: { size: '128M' } }, sram: { type: 'ram', props: { size: '64K' } } };
    right.memory = [...right.memory!, { map: 'sram.mem', at: '0x20000000', space: 'm3' }];
    expect(checkImages(resolved(right), new Map([['arm.elf', armElf], ['riscv.elf', riscvElf]]))).toEqual([]);
  });

  it('refuses a RISC-V interrupt controller output wired into an ARM core, at the wire', () => {
    for (const [from, to] of [['plic.meip[0]', 'm3.irq[3]'], ['plic.seip[0]', 'm3.nmi'], ['clint.mtip[0]', 'm3.irq[0]'], ['clint.msip[0]', 'm3.nmi']]) {
      const document = mixed();
      document.irqs = [...document.irqs!.filter((w) => w.to !== to && w.from !== from), { from, to }];
      const found = problems(document);
      expect(found).toEqual([
        expect.objectContaining({
          pointer: `/irqs/${document.irqs.length - 1}`,
          message: expect.stringMatching(new RegExp(`^${from.replace(/[[\]]/g, '\\$&')} is a RISC-V hart's interrupt line .*, and ${to.split('.')[0]}\\.[a-z]+\\[\\d\\] is an ARM Cortex-M core's NVIC input .*: m3 \\(cortex-m3\\) cannot take it$`)),
          hint: expect.stringContaining("wire the device's own output"),
        }),
      ]);
    }
  });

  it('lets plain device lines drive either architecture (a mailbox side into the NVIC or a PLIC source)', () => {
    const document = mixed();
    document.irqs = [...document.irqs!, { from: 'uart.rx', to: 'm3.irq[1]' }, { from: 'uart.tx', to: 'plic.in[12]' }];
    expect(resolveBoard(document).ok).toBe(true);
  });

  it('refuses images of the two CPUs that overlap in the RAM they share, at the later image', () => {
    const at = (m3At: string) => ({
      ...mixed(),
      images: [
        { cpu: 'hart', file: 'hart.bin', format: 'binary' as const, at: '0x90000000' },
        { cpu: 'm3', file: 'm3.bin', format: 'binary' as const, at: m3At },
      ],
    });
    const files = new Map([['hart.bin', new Uint8Array(0x100)], ['m3.bin', new Uint8Array(0x100)]]);
    expect(checkImages(resolved(at('0x38000080')), files)).toEqual([
      {
        pointer: '/images/1',
        message: 'image m3.bin (CPU m3) loads [0x38000080–0x3800017f] and image hart.bin (CPU hart) loads [0x90000000–0x900000ff]: both into shared.mem at offsets 0x80–0xff, memory both CPUs see',
        hint: expect.stringContaining('Link one of the images elsewhere'),
      },
    ]);
    expect(checkImages(resolved(at('0x38000100')), files)).toEqual([]);
    // the same addresses in private memories do not overlap
    const apart = { ...mixed(), images: [{ cpu: 'hart', file: 'hart.bin', format: 'binary' as const, at: '0x80000000' }, { cpu: 'm3', file: 'm3.bin', format: 'binary' as const, at: '0x0' }] };
    expect(checkImages(resolved(apart), files)).toEqual([]);
  });

  it("refuses a region mapped into a Cortex-M core's view inside its Private Peripheral Bus, at the mapping's address", () => {
    const document = mixed();
    document.objects!.extra = { type: 'ram', props: { size: '4K' } };
    document.memory = [...document.memory!, { map: 'extra.mem', at: '0xE0001000', space: 'm3' }];
    expect(problems(document)).toEqual([
      {
        pointer: `/memory/${document.memory.length - 1}/at`,
        message: 'extra.mem [0xe0001000–0xe0001fff] is mapped into the view of CPU m3 (cortex-m3) at 0xe0000000–0xe00fffff, the Private Peripheral Bus, where the core\'s own System Control Space (NVIC, SysTick, SCB) and debug blocks answer',
        hint: 'cortex-m3 keeps 0xe0000000–0xe00fffff for itself: map the region elsewhere.',
      },
    ]);
    // the hart may have memory there
    document.memory[document.memory.length - 1] = { map: 'extra.mem', at: '0xE0001000', space: 'hart' };
    expect(resolveBoard(document).ok).toBe(true);
    // a system mapping both CPUs see: the hint offers the hart's own space
    document.memory[document.memory.length - 1] = { map: 'extra.mem', at: '0xE00FF000' };
    expect(problems(document)[0]).toMatchObject({ pointer: `/memory/${document.memory.length - 1}/at`, hint: expect.stringContaining("or into another CPU's own address space") });
  });

  it('refuses a region beyond 4 GiB in any view', () => {
    const document = mixed();
    document.objects!.extra = { type: 'ram', props: { size: '64K' } };
    document.memory = [...document.memory!, { map: 'extra.mem', at: '0x100000000', space: 'm3' }];
    expect(problems(document)).toEqual([expect.objectContaining({ pointer: `/memory/${document.memory.length - 1}/at`, message: expect.stringContaining('is not a 32-bit address') })]);
    document.memory[document.memory.length - 1] = { map: 'extra.mem', at: '0xFFFF8000', space: 'hart' };
    expect(problems(document)).toEqual([expect.objectContaining({ pointer: expect.stringMatching(new RegExp(`^/memory/${document.memory.length - 1}`)) })]);
  });
});
