// Decoding register values into named fields (./register-layouts.ts).
import { describe, expect, it } from 'vitest';
import { coreRegisterLayout, decodeCoreRegister, decodeFields, deviceRegisterLayout, registerInstances } from './register-layouts.ts';

const texts = (fields: { text: string }[]) => fields.map((f) => f.text);

function core(architecture: string, name: string) {
  const layout = coreRegisterLayout(architecture)?.find((r) => r.name === name);
  if (layout === undefined) throw new Error(`no ${name}`);
  return layout;
}

function device(type: string, name: string) {
  const register = deviceRegisterLayout(type)?.[0].registers.find((r) => r.name === name);
  if (register?.fields === undefined) throw new Error(`no ${name}`);
  return register.fields;
}

describe('decoding register values', () => {
  it('mstatus: MIE, MPIE and MPP named', () => {
    const decoded = decodeCoreRegister(core('RISC-V', 'mstatus'), (3 << 11) | (1 << 7) | (1 << 3));
    expect(texts(decoded)).toContain('MIE = 1');
    expect(texts(decoded)).toContain('MPIE = 1');
    expect(texts(decoded)).toContain('MPP = 3 (M)');
    expect(texts(decoded)).toContain('SIE = 0');
    expect(decoded.find((f) => f.name === 'FS')?.text).toBe('FS = 0 (off)');
  });

  it('mcause: the code named as an interrupt or an exception', () => {
    expect(texts(decodeCoreRegister(core('RISC-V', 'mcause'), 0x8000_0007))).toEqual(['code = 7 (machine timer interrupt)', 'interrupt = 1']);
    expect(texts(decodeCoreRegister(core('RISC-V', 'mcause'), 0x8000_000b))[0]).toBe('code = 0xb (machine external interrupt)');
    expect(texts(decodeCoreRegister(core('RISC-V', 'scause'), 11))[0]).toBe('code = 0xb (environment call from M-mode)');
    expect(texts(decodeCoreRegister(core('RISC-V', 'mcause'), 2))[0]).toBe('code = 2 (illegal instruction)');
  });

  it('mtvec: the base address in place, the mode named', () => {
    expect(texts(decodeCoreRegister(core('RISC-V', 'mtvec'), 0x8000_00c5))).toEqual(['MODE = 1 (vectored)', 'BASE = 0x800000c4']);
  });

  it('mie/mip: each interrupt bit by name', () => {
    const decoded = decodeCoreRegister(core('RISC-V', 'mip'), 0x880);
    expect(decoded.filter((f) => f.value === 1).map((f) => f.name)).toEqual(['MTIP', 'MEIP']);
  });

  it('ARM ICSR: the active and pending exceptions named; CONTROL.SPSEL names the stack', () => {
    const decoded = decodeCoreRegister(core('ARM', 'ICSR'), 15 | (11 << 12) | (1 << 26));
    expect(texts(decoded)).toContain('VECTACTIVE = 0xf (SysTick)');
    expect(texts(decoded)).toContain('VECTPENDING = 0xb (SVCall)');
    expect(texts(decoded)).toContain('PENDSTSET = 1');
    expect(texts(decodeCoreRegister(core('ARM', 'CONTROL'), 2))).toEqual(['nPRIV = 0', 'SPSEL = PSP']);
    expect(texts(decodeCoreRegister(core('ARM', 'xPSR'), 0x0100_0018))[0]).toBe('ISR = 0x18 (IRQ 8)');
  });

  it('mcountinhibit/mcounteren: the counters by name, the performance counters by number', () => {
    expect(texts(decodeCoreRegister(core('RISC-V', 'mcountinhibit'), 0b1101))).toEqual(['CY = 1', 'IR = 1', 'HPM: mhpmcounter 3']);
    expect(texts(decodeCoreRegister(core('RISC-V', 'mcounteren'), 0b0010))).toEqual(['CY = 0', 'TM = 1', 'IR = 0', 'HPM: none']);
  });

  it('ns16550a LSR: data ready and transmitter empty', () => {
    const decoded = decodeFields(device('ns16550a', 'LSR'), 0x61);
    expect(decoded.filter((f) => f.value === 1).map((f) => f.name)).toEqual(['DR', 'THRE', 'TEMT']);
  });

  it('PLIC pending and enable words: the sources they hold, numbered by word', () => {
    const pending = deviceRegisterLayout('plic')![0].registers.find((r) => r.name === 'pending')!;
    expect(texts(decodeFields(pending.fields!, (1 << 10) | (1 << 11), 0))).toEqual(['pending: sources 10, 11']);
    expect(texts(decodeFields(pending.fields!, 2, 1))).toEqual(['pending: source 33']);
    expect(texts(decodeFields(pending.fields!, 0, 1))).toEqual(['pending: none']);
  });

  it('CMSDK dual timer: each register once per counter (counter 2 at +0x20), CONTROL decoded', () => {
    const instances = registerInstances(deviceRegisterLayout('cmsdk-apb-dualtimer')![0], {});
    expect(instances.filter((i) => i.layout.name === 'VALUE').map((i) => [i.name, i.offset])).toEqual([['VALUE[1]', 0x04], ['VALUE[2]', 0x24]]);
    expect(instances.find((i) => i.name === 'ITOP')?.offset).toBe(0xf04);
    const control = device('cmsdk-apb-dualtimer', 'CONTROL');
    expect(texts(decodeFields(control, 0x80 | 0x40 | 0x20 | (1 << 2) | 0x02))).toEqual(['ONESHOT = wrapping', 'SIZE = 32 bits', 'PRESCALE = 1 (÷16)', 'INTEN = 1', 'MODE = periodic', 'ENABLE = 1']);
  });

  it('MPS2 SCC: a SYS_CFG oscillator-clock write decoded from CFGCTRL; DLL locks', () => {
    expect(texts(decodeFields(device('mps2-scc', 'CFGCTRL'), 0xc010_0002))).toEqual(['DEVICE = 0x2', 'FUNCTION = 1 (oscillator clock)', 'WRITE = write', 'START = 1']);
    expect(texts(decodeFields(device('mps2-scc', 'DLL'), 0xffff_0001))).toEqual(['LOCKED = 1', 'LOCKED_DLLS: DLLs 0, 1, 2, 3, 4, 5, 6, 7', 'MASK = 0xff']);
  });

  it('a 64-bit register decodes from a bigint, fields above bit 31 too', () => {
    expect(decodeFields([{ name: 'hi', lsb: 32, width: 8, doc: '' }], 0x12_0000_0000n)[0].text).toBe('hi = 0x12');
  });

  it('repeated registers follow the object: a two-hart PLIC has four contexts, a 97-source one four pending words', () => {
    const block = deviceRegisterLayout('plic')![0];
    const instances = registerInstances(block, { 'num-sources': 97, 'num-harts': 2 });
    const names = (prefix: string) => instances.filter((i) => i.layout.name === prefix);
    expect(names('priority').length).toBe(96);
    expect(names('priority')[0]).toMatchObject({ name: 'priority[1]', offset: 4 });
    expect(names('pending').map((i) => i.offset)).toEqual([0x1000, 0x1004, 0x1008, 0x100c]);
    expect(names('enable').length).toBe(16);
    expect(names('enable')[5]).toMatchObject({ name: 'enable[1][1]', offset: 0x2000 + 0x80 + 4 });
    expect(names('claim/complete').map((i) => i.offset)).toEqual([0x200004, 0x201004, 0x202004, 0x203004]);
    const clint = registerInstances(deviceRegisterLayout('clint')![0], { 'num-harts': 2 });
    expect(clint.map((i) => i.name)).toEqual(['msip[0]', 'msip[1]', 'mtimecmp[0]', 'mtimecmp[1]', 'mtime']);
  });
});
