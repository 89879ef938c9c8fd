// The Cortex-M machine types: mps2-an385 laid out as QEMU 7.2's hw/arm/mps2.c lays it out (the
// addresses, sizes and IRQ numbers below are QEMU's; mps2.reference.test.ts compares the whole map
// with a live qemu-system-arm), and BoardLab's own Cortex-M0+ MCU.
import { describe, expect, it } from 'vitest';
import { addressSpaceView } from './memory-map.ts';
import { boardFromMachineType, firstCpuName, listMachineTypes, machineTypeDocument, machineTypeId, resolveBoard, type ResolvedBoard } from './index.ts';

function resolved(reference: string): ResolvedBoard {
  const result = resolveBoard(boardFromMachineType(reference));
  if (!result.ok) throw new Error(result.problems.map((p) => `${p.pointer}: ${p.message}`).join('\n'));
  expect(result.warnings ?? []).toEqual([]);
  return result.board;
}

/** What the CPU sees at `address`: "<object>.<region>" (through aliases) and the kind, or undefined. */
function at(board: ResolvedBoard, address: number): string | undefined {
  const segment = addressSpaceView(board, 'system').find((s) => address >= s.base && address < s.base + s.size);
  if (segment === undefined) return undefined;
  const m = segment.mapping;
  const target = m.alias ? `${m.alias.object}.${m.alias.region}+0x${(segment.offset + address - segment.base).toString(16)}` : `${m.object}.${m.region}+0x${(segment.offset + address - segment.base).toString(16)}`;
  return target.replace('/machine/', '');
}

describe('mps2-an385', () => {
  const board = resolved('mps2-an385');

  it('has QEMU 7.2\'s RAMs with their mirrors: SSRAM1 4 MiB at 0 (again at 0x400000), block RAM 16 KiB at 0x1000000 (four times), SSRAM2&3 at 0x20000000 (again at 0x20400000), PSRAM 16 MiB at 0x21000000', () => {
    expect(at(board, 0x0)).toBe('ssram1.mem+0x0');
    expect(at(board, 0x3f_fffc)).toBe('ssram1.mem+0x3ffffc');
    expect(at(board, 0x40_0010)).toBe('ssram1.mem+0x10');
    expect(at(board, 0x100_0000)).toBe('blockram.mem+0x0');
    expect(at(board, 0x100_c004)).toBe('blockram.mem+0x4');
    expect(at(board, 0x2000_0000)).toBe('ssram23.mem+0x0');
    expect(at(board, 0x2040_0020)).toBe('ssram23.mem+0x20');
    expect(at(board, 0x2100_0000)).toBe('psram.mem+0x0');
    expect(at(board, 0x21ff_fffc)).toBe('psram.mem+0xfffffc');
    const sizes = Object.fromEntries(board.objects.filter((o) => o.type === 'ram').map((o) => [o.name, o.props.size]));
    expect(sizes).toEqual({ ssram1: 4 << 20, blockram: 16 << 10, ssram23: 4 << 20, psram: 16 << 20 });
  });

  it('maps the CMSDK timers, dual timer, five UARTs, FPGAIO and SCC where QEMU does', () => {
    const devices: Array<[number, string]> = [
      [0x4000_0000, 'timer0'],
      [0x4000_1000, 'timer1'],
      [0x4000_2000, 'dualtimer'],
      [0x4000_4000, 'uart0'],
      [0x4000_5000, 'uart1'],
      [0x4000_6000, 'uart2'],
      [0x4000_7000, 'uart3'],
      [0x4000_9000, 'uart4'],
      [0x4002_8000, 'fpgaio'],
      [0x4002_f000, 'scc'],
    ];
    for (const [address, name] of devices) expect(at(board, address + 0x10)).toBe(`${name}.regs+0x10`);
    const types = Object.fromEntries(board.objects.map((o) => [o.name, o.type]));
    expect(types).toMatchObject({ timer0: 'cmsdk-apb-timer', dualtimer: 'cmsdk-apb-dualtimer', uart4: 'cmsdk-apb-uart', fpgaio: 'mps2-fpgaio', scc: 'mps2-scc' });
  });

  it('reads 0 where QEMU has unimplemented-device blocks (between the devices, the reserved ranges, VGA), and nothing at the LAN9118 or past VGA', () => {
    for (const address of [0x80_0000, 0x1001_0000, 0x2080_0000, 0x4000_3000, 0x4000_8000, 0x4001_0000, 0x4002_0000, 0x4003_0000, 0x4100_0000]) {
      expect(at(board, address)).toBe(`unimplemented.regs+0x${address.toString(16)}`);
    }
    expect(at(board, 0x4020_0000)).toBeUndefined();
    expect(at(board, 0x4120_0000)).toBeUndefined();
  });

  it('has a Cortex-M3 at 25 MHz with 32 external interrupts, a 1 MHz SysTick reference clock and bit-banding', () => {
    const cpu = board.objects.find((o) => o.name === 'cpu0')!;
    expect(cpu.type).toBe('cortex-m3');
    expect(cpu.props).toMatchObject({ 'num-irq': 32, 'clock-frequency': 25_000_000, 'refclk-frequency': 1_000_000, bitband: true, 'num-prio-bits': 8, semihosting: false, 'reset-vector': 0 });
    expect(board.objects.filter((o) => o.type.startsWith('cortex-'))).toHaveLength(1);
    expect(firstCpuName(boardFromMachineType('mps2-an385'))).toBe('cpu0');
  });

  it('wires the interrupts as QEMU: UART RX/TX on 0/1, 2/3, 4/5, 18/19, 20/21, UART 0–2 overruns ORed on 12, timers on 8 and 9, the dual timer on 10', () => {
    const into = (line: number) => board.irqs.filter((w) => w.to === `cpu0.irq[${line}]`).map((w) => w.from);
    const expected: Record<number, string> = { 0: 'uart0.rx[0]', 1: 'uart0.tx[0]', 2: 'uart1.rx[0]', 3: 'uart1.tx[0]', 4: 'uart2.rx[0]', 5: 'uart2.tx[0]', 18: 'uart3.rx[0]', 19: 'uart3.tx[0]', 20: 'uart4.rx[0]', 21: 'uart4.tx[0]', 8: 'timer0.irq[0]', 9: 'timer1.irq[0]', 10: 'dualtimer.timintc[0]', 12: 'uartovr.out[0]' };
    for (let line = 0; line < 32; line++) expect(into(line)).toEqual(expected[line] === undefined ? [] : [expected[line]]);
    const ored = board.irqs.filter((w) => w.to.startsWith('uartovr.in')).map((w) => `${w.from} -> ${w.to}`);
    expect(ored).toEqual(['uart0.txovr[0] -> uartovr.in[0]', 'uart0.rxovr[0] -> uartovr.in[1]', 'uart1.txovr[0] -> uartovr.in[2]', 'uart1.rxovr[0] -> uartovr.in[3]', 'uart2.txovr[0] -> uartovr.in[4]', 'uart2.rxovr[0] -> uartovr.in[5]']);
  });

  it('lights two LEDs from FPGAIO LED0, reads two buttons, and SYSRESETREQ resets the board', () => {
    const wires = board.irqs.map((w) => `${w.from} -> ${w.to}`);
    expect(wires).toEqual(expect.arrayContaining(['fpgaio.led[0] -> led0.in[0]', 'fpgaio.led[1] -> led1.in[0]', 'button0.out[0] -> fpgaio.button[0]', 'button1.out[0] -> fpgaio.button[1]']));
    expect(board.resets).toEqual([expect.objectContaining({ from: '/machine/cpu0.sysresetreq', to: 'board' })]);
  });

  it('identifies itself through the SCC as AN385 (ID 0x41043850)', () => {
    expect(board.objects.find((o) => o.name === 'scc')?.props).toMatchObject({ 'scc-id': 0x41043850, 'scc-aid': 0x00200008, 'scc-cfg4': 2 });
  });
});

describe('boardlab-m0', () => {
  const board = resolved('boardlab-m0');

  it('is a Cortex-M0+ with flash at 0 (the vector table) and SRAM at 0x20000000', () => {
    expect(board.objects.find((o) => o.name === 'cpu0')?.type).toBe('cortex-m0plus');
    expect(board.objects.find((o) => o.name === 'cpu0')?.props).toMatchObject({ 'reset-vector': 0, 'num-prio-bits': 2 });
    expect(at(board, 0)).toBe('flash.mem+0x0');
    expect(board.memory.find((m) => m.object === '/machine/flash')).toMatchObject({ kind: 'rom', base: 0, size: 256 << 10 });
    expect(board.memory.find((m) => m.object === '/machine/sram')).toMatchObject({ kind: 'ram', base: 0x2000_0000, size: 32 << 10 });
  });

  it('has a CMSDK UART and timer at mps2-an385\'s addresses and IRQs, and a GPIO with two LEDs and two buttons', () => {
    expect(at(board, 0x4000_4000)).toBe('uart0.regs+0x0');
    expect(at(board, 0x4000_0000)).toBe('timer0.regs+0x0');
    expect(at(board, 0x4001_0000)).toBe('gpio.regs+0x0');
    expect(board.irqs.map((w) => `${w.from} -> ${w.to}`)).toEqual([
      'uart0.rx[0] -> cpu0.irq[0]',
      'uart0.tx[0] -> cpu0.irq[1]',
      'gpio.irq[0] -> cpu0.irq[6]',
      'timer0.irq[0] -> cpu0.irq[8]',
      'gpio.out[0] -> led0.in[0]',
      'gpio.out[1] -> led1.in[0]',
      'button0.out[0] -> gpio.in[4]',
      'button1.out[0] -> gpio.in[5]',
    ]);
  });
});

describe('the Cortex-M machine types in the list', () => {
  it('are listed at version 1.0, and give self-contained documents for the designer\'s "New from machine type"', () => {
    expect(listMachineTypes().map(machineTypeId)).toEqual(expect.arrayContaining(['mps2-an385@1.0', 'boardlab-m0@1.0']));
    for (const reference of ['mps2-an385', 'boardlab-m0']) {
      const doc = machineTypeDocument(reference)!;
      expect(doc.extends).toBeUndefined();
      doc.images = [{ cpu: 'cpu0', file: 'fw.elf' }];
      expect(resolveBoard(doc).ok).toBe(true);
    }
  });
});
