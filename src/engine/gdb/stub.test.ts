import { describe, expect, it } from 'vitest';
import { Csr } from '../cpu/riscv/csr.ts';
import { framePacket } from './packets.ts';
import { riscvCore } from '../cpu/riscv/index.ts';
import { FIRST_CSR_REGNUM, PRIV_REGNUM } from '../cpu/riscv/registers.ts';
import { FakeGdb, elfSymbol, firmware, le32, virtMachine } from './testing.ts';

const hello = firmware('hello');
const counter = firmware('counter');
const hex = (n: number) => (n >>> 0).toString(16);

function gdbOn(elf = hello, harts = 1, output?: number[]) {
  return new FakeGdb(virtMachine(elf, harts, output));
}

describe('GDB stub: session set-up', () => {
  it('acks every packet until QStartNoAckMode, and resends the last reply on a nack', async () => {
    const gdb = gdbOn();
    expect(await gdb.request('qSupported:multiprocess+;swbreak+;hwbreak+;vContSupported+')).toBe('PacketSize=4000;qXfer:features:read+;QStartNoAckMode+;swbreak+;hwbreak+;vContSupported+');
    expect(gdb.acks).toBe(1);
    gdb.sendRaw('-');
    expect(await gdb.next()).toMatch(/^PacketSize=/);
    gdb.sendRaw('$g#00'); // bad checksum: nack, no reply
    expect(gdb.raw.at(-1)).toBe('-');
    expect(gdb.pending).toBe(0);
    expect(await gdb.request('QStartNoAckMode')).toBe('OK');
    const acks = gdb.acks;
    expect(await gdb.request('?')).toBe('T05thread:1;');
    expect(gdb.acks).toBe(acks);
  });

  it('serves the RV32 target description in pieces, with x0-x31, pc, the CSRs and priv', async () => {
    const gdb = gdbOn();
    let xml = '';
    for (let offset = 0; ; ) {
      const reply = await gdb.request(`qXfer:features:read:target.xml:${hex(offset)},200`);
      expect(reply[0]).toMatch(/[ml]/);
      xml += reply.slice(1);
      offset += 0x200;
      if (reply[0] === 'l') break;
    }
    expect(xml).toMatch(/^<\?xml version="1.0"\?>/);
    expect(xml).toContain('<architecture>riscv:rv32</architecture>');
    expect(xml).toContain('<feature name="org.gnu.gdb.riscv.cpu">');
    expect(xml).toContain('<reg name="zero" bitsize="32" regnum="0" type="int"/>');
    expect(xml).toContain('<reg name="t6" bitsize="32" regnum="31" type="int"/>');
    expect(xml).toContain('<reg name="pc" bitsize="32" regnum="32" type="code_ptr"/>');
    expect(xml).toContain(`<reg name="mstatus" bitsize="32" regnum="${FIRST_CSR_REGNUM + Csr.MSTATUS}" type="int" group="csr"/>`);
    expect(xml).toContain(`<reg name="pmpaddr15" bitsize="32" regnum="${FIRST_CSR_REGNUM + Csr.PMPADDR15}"`);
    expect(xml).toContain(`<reg name="mhpmcounter3h" bitsize="32" regnum="${FIRST_CSR_REGNUM + 0xb83}"`);
    expect(xml).toContain(`<reg name="priv" bitsize="32" regnum="${PRIV_REGNUM}"`);
    expect(xml.trim().endsWith('</target>')).toBe(true);
    expect(await gdb.request('qXfer:features:read:other.xml:0,100')).toBe('E00');
    expect(await gdb.request('qXfer:features:read:target.xml:zz')).toBe('E01');
  });

  it('answers the thread and attach queries with one thread per hart', async () => {
    const gdb = gdbOn(hello, 3);
    expect(await gdb.request('qfThreadInfo')).toBe('m1,2,3');
    expect(await gdb.request('qsThreadInfo')).toBe('l');
    expect(await gdb.request('qC')).toBe('QC1');
    expect(await gdb.request('qAttached')).toBe('1');
    expect(await gdb.request('T2')).toBe('OK');
    expect(await gdb.request('T4')).toBe('E01');
    expect(Buffer.from(await gdb.request('qThreadExtraInfo,3'), 'hex').toString()).toBe('cpu2 hart 2');
    expect(await gdb.request('Hg3')).toBe('OK');
    expect(le32(await gdb.request(`p${hex(FIRST_CSR_REGNUM + Csr.MHARTID)}`))).toBe(2);
    expect(await gdb.request('Hg0')).toBe('OK');
    expect(le32(await gdb.request(`p${hex(FIRST_CSR_REGNUM + Csr.MHARTID)}`))).toBe(2);
    expect(await gdb.request('Hg1')).toBe('OK');
    expect(le32(await gdb.request(`p${hex(FIRST_CSR_REGNUM + Csr.MHARTID)}`))).toBe(0);
    expect(await gdb.request('Hg9')).toBe('E01');
    expect(await gdb.request('Hc-1')).toBe('OK');
    expect(await gdb.request('vCont?')).toBe('vCont;c;C;s;S');
  });

  it('answers packets it does not know with an empty reply', async () => {
    const gdb = gdbOn();
    expect(await gdb.request('vMustReplyEmpty')).toBe('');
    expect(await gdb.request('qTStatus')).toBe('');
    expect(await gdb.request('Z5,80000000,4')).toBe(''); // no such breakpoint type (Z2-Z4, watchpoints, are served)
    expect(await gdb.request('!')).toBe('');
    expect(await gdb.request('qSymbol::')).toBe('OK');
  });
});

describe('GDB stub: registers and memory', () => {
  it('reads all registers (x0-x31, pc) and writes them with G', async () => {
    const gdb = gdbOn();
    const regs = await gdb.request('g');
    expect(regs).toHaveLength(33 * 8);
    expect(le32(regs.slice(32 * 8))).toBe(0x1000); // the boot ROM's reset vector
    const cpu = riscvCore(gdb.machine.cpu('/machine/cpu0'));
    const values = Array.from({ length: 33 }, (_, i) => (i === 32 ? 0x80000000 : 0x1111 * i));
    const hexRegs = values.map((v) => [0, 1, 2, 3].map((b) => ((v >>> (8 * b)) & 0xff).toString(16).padStart(2, '0')).join('')).join('');
    expect(await gdb.request(`G${hexRegs}`)).toBe('OK');
    expect(cpu.x[0]).toBe(0);
    expect(cpu.x[5]).toBe(0x5555);
    expect(cpu.pc).toBe(0x80000000);
    expect(await gdb.request('Gzz')).toBe('E01');
  });

  it('reads and writes single registers: x, pc, CSRs, priv', async () => {
    const gdb = gdbOn();
    const cpu = riscvCore(gdb.machine.cpu('/machine/cpu0'));
    expect(await gdb.request('P5=78563412')).toBe('OK');
    expect(cpu.x[5]).toBe(0x12345678);
    expect(await gdb.request('p5')).toBe('78563412');
    expect(await gdb.request('P0=78563412')).toBe('OK');
    expect(await gdb.request('p0')).toBe('00000000');
    expect(await gdb.request('P20=00010080')).toBe('OK');
    expect(cpu.pc).toBe(0x80000100);
    expect(le32(await gdb.request(`p${hex(FIRST_CSR_REGNUM + Csr.MISA)}`))).toBe(cpu.misa);
    expect(await gdb.request(`P${hex(FIRST_CSR_REGNUM + Csr.MSCRATCH)}=efbeadde`)).toBe('OK');
    expect(cpu.readCsr(Csr.MSCRATCH)).toBe(0xdeadbeef);
    expect(await gdb.request(`P${hex(FIRST_CSR_REGNUM + Csr.MHARTID)}=01000000`)).toBe('E01'); // read-only
    expect(await gdb.request(`p${hex(FIRST_CSR_REGNUM + 0x7c0)}`)).toBe('E01'); // not implemented
    expect(le32(await gdb.request(`p${hex(PRIV_REGNUM)}`))).toBe(3);
    expect(await gdb.request('p41')).toBe('E01'); // regnum 65: CSR 0, which the hart does not have
    expect(await gdb.request('P5=xyz')).toBe('E01');
  });

  it('reads and writes 64-bit float registers (f0 is regnum 33) in 16 hex digits, lowest byte first', async () => {
    const gdb = gdbOn();
    const cpu = riscvCore(gdb.machine.cpu('/machine/cpu0'));
    expect(await gdb.request('p21')).toBe('0000000000000000');
    expect(await gdb.request('P2b=182d4454fb210940')).toBe('OK'); // fa0 (f10) = pi as a double
    expect([cpu.fregHi[10], cpu.fregLo[10]]).toEqual([0x4009_21fb, 0x5444_2d18]);
    expect(await gdb.request('p2b')).toBe('182d4454fb210940');
    expect(await gdb.request('P2b=182d4454')).toBe('E01'); // a 64-bit register takes 8 bytes
    expect(await gdb.request(`p${hex(FIRST_CSR_REGNUM + Csr.FCSR)}`)).toBe('00000000');
  });

  it('reads memory: RAM as loaded, MMIO, an error for unmapped addresses, partial reads at the end of RAM', async () => {
    const gdb = gdbOn();
    const ram = gdb.machine.space().findRam(0x80000000)!;
    expect(await gdb.request('m80000000,8')).toBe(Buffer.from(ram.u8.subarray(0, 8)).toString('hex'));
    expect(await gdb.request('m0,4')).toBe('E14');
    expect(await gdb.request('mfffffff0,20')).toBe('E14');
    const end = ram.base + ram.size;
    expect(await gdb.request(`m${hex(end - 4)},10`)).toHaveLength(8);
    expect(await gdb.request('m10000005,1')).toBe('60'); // UART LSR: transmitter empty
    expect(await gdb.request('m80000000,0')).toBe('');
    expect(await gdb.request('mzz,4')).toBe('E01');
    expect(await gdb.request('m80000000')).toBe('E01');
  });

  it('writes memory with M and X (binary, escaped), refusing unmapped addresses', async () => {
    const gdb = gdbOn();
    expect(await gdb.request('M80001000,4:deadbeef')).toBe('OK');
    expect(await gdb.request('m80001000,4')).toBe('deadbeef');
    const binary = String.fromCharCode(0x23, 0x7d, 0x00, 0x2a);
    const escaped = '}\x03}]\x00}\x0a';
    gdb.sendRaw(framePacket(`X80001004,4:${escaped}`));
    expect(await gdb.next()).toBe('OK');
    expect(await gdb.request('m80001004,4')).toBe(Buffer.from(binary, 'latin1').toString('hex'));
    expect(await gdb.request('X80001004,0:')).toBe('OK');
    expect(await gdb.request('M0,4:00000000')).toBe('E14');
    expect(await gdb.request('M80001000,4:00')).toBe('E01');
  });
});

describe('GDB stub: running', () => {
  it('stops at a breakpoint before the instruction executes, and runs on from it', async () => {
    const output: number[] = [];
    const gdb = gdbOn(hello, 1, output);
    const main = elfSymbol(hello, 'main');
    const putDec = elfSymbol(hello, 'uart_put_udec');
    gdb.send('qSupported:swbreak+;hwbreak+');
    await gdb.next();
    expect(await gdb.request(`Z0,${hex(main)},4`)).toBe('OK');
    expect(await gdb.request(`Z1,${hex(putDec)},4`)).toBe('OK');
    expect(await gdb.request('c')).toBe('T05thread:1;swbreak:;');
    const cpu = riscvCore(gdb.machine.cpu('/machine/cpu0'));
    expect(cpu.pc).toBe(main);
    expect(le32((await gdb.request('g')).slice(32 * 8))).toBe(main);
    expect(await gdb.request('vCont;c')).toBe('T05thread:1;hwbreak:;'); // Z1: hbreak
    expect(cpu.pc).toBe(putDec);
    expect(String.fromCharCode(...output)).toBe('Hello, BoardLab!\n1+2+...+100 = ');
    expect(await gdb.request(`z1,${hex(putDec)},4`)).toBe('OK');
    expect(await gdb.request(`z0,${hex(main)},4`)).toBe('OK');
    expect(await gdb.request('c')).toBe('W00');
    expect(String.fromCharCode(...output)).toBe('Hello, BoardLab!\n1+2+...+100 = 5050\n');
    expect(gdb.events.at(-1)).toEqual({ kind: 'exit', exit: { kind: 'pass', code: 0 } });
    expect(await gdb.request('?')).toBe('W00');
    expect(await gdb.request('c')).toBe('W00');
  });

  it('watchpoints (Z2 write, Z3 read, Z4 access) stop before the access with watch:, rwatch:, awatch: and the watchpoint address', async () => {
    const output: number[] = [];
    const gdb = gdbOn(hello, 1, output);
    const uartThr = 0x1000_0000;
    const uartLsr = 0x1000_0005;
    expect(await gdb.request(`Z2,${hex(uartThr)},1`)).toBe('OK');
    expect(await gdb.request('c')).toBe(`T05thread:1;watch:${hex(uartThr)};`);
    expect(output).toEqual([]); // stopped before the first byte reached the UART
    expect(await gdb.request('c')).toBe(`T05thread:1;watch:${hex(uartThr)};`);
    expect(String.fromCharCode(...output)).toBe('H'); // continuing let that store happen, then the next one stopped
    expect(await gdb.request(`z2,${hex(uartThr)},1`)).toBe('OK');
    expect(await gdb.request(`Z3,${hex(uartLsr)},1`)).toBe('OK'); // the UART driver polls LSR before each byte
    expect(await gdb.request('c')).toBe(`T05thread:1;rwatch:${hex(uartLsr)};`);
    expect(await gdb.request(`z3,${hex(uartLsr)},1`)).toBe('OK');
    expect(await gdb.request(`Z4,${hex(uartThr - 2)},4`)).toBe('OK');
    expect(await gdb.request('c')).toBe(`T05thread:1;awatch:${hex(uartThr - 2)};`);
    expect(String.fromCharCode(...output)).toBe('He');
    expect(await gdb.request(`z4,${hex(uartThr - 2)},4`)).toBe('OK');
    expect(await gdb.request('Z2,zz,4')).toBe('E01');
    expect(await gdb.request('Z2,1000,0')).toBe('E01');
    expect(await gdb.request('Z2,ffffffff,2')).toBe('E01');
    expect(await gdb.request('c')).toBe('W00');
    expect(String.fromCharCode(...output)).toBe('Hello, BoardLab!\n1+2+...+100 = 5050\n');
  });

  it('continuing from a breakpoint runs on: the instruction there executes, a hart asleep there does not stop again', async () => {
    const gdb = gdbOn();
    const main = elfSymbol(hello, 'main');
    expect(await gdb.request(`Z0,${hex(main)},4`)).toBe('OK');
    expect(await gdb.request('c')).toBe('T05thread:1;');
    expect(await gdb.request('c')).toBe('W00'); // main runs once: the breakpoint stays set, the run goes on

    // echo sleeps in WFI waiting for UART input; a breakpoint where it sleeps must not stop a continue at once
    const echo = gdbOn(firmware('echo'));
    echo.send('c');
    for (let i = 0; i < 100 && !echo.machine.idle; i++) await new Promise((resolve) => setTimeout(resolve, 10));
    expect(echo.machine.idle).toBe(true);
    echo.sendRaw('\x03');
    expect(await echo.next()).toBe('T02thread:1;');
    const sleepingAt = echo.machine.cpu('/machine/cpu0')!.pc;
    expect(await echo.request(`Z0,${hex(sleepingAt)},4`)).toBe('OK');
    echo.send('c');
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(echo.pending).toBe(0);
    expect(echo.stub.running).toBe(true);
    echo.sendRaw('\x03');
    expect(await echo.next()).toBe('T02thread:1;');
  });

  it('stops at every pass of a breakpoint whatever the slice size (a slice ending just before one does not pass it)', async () => {
    // The store in uart_puts's loop runs once per character it prints.
    const puts = elfSymbol(hello, 'uart_puts');
    const probe = gdbOn();
    const words = await probe.request(`m${hex(puts)},40`);
    const storeAt = puts + 4 * Array.from({ length: 16 }, (_, i) => le32(words.slice(i * 8, i * 8 + 8))).findIndex((w) => (w & 0x707f) === 0x0023);
    const hits = async (sliceInstructions: number) => {
      const gdb = new FakeGdb(virtMachine(hello, 1), { sliceInstructions });
      expect(await gdb.request(`Z0,${hex(storeAt)},4`)).toBe('OK');
      let count = 0;
      while ((await gdb.request('c')) === 'T05thread:1;') {
        expect(gdb.machine.cpu('/machine/cpu0')!.pc).toBe(storeAt);
        count++;
      }
      return count;
    };
    const printedByPuts = 'Hello, BoardLab!\n1+2+...+100 = '.length;
    expect(await hits(1_000_000)).toBe(printedByPuts);
    expect(await hits(1)).toBe(printedByPuts);
    expect(await hits(7)).toBe(printedByPuts);
  });

  it('single-steps one instruction with s and vCont;s', async () => {
    const gdb = gdbOn();
    const cpu = riscvCore(gdb.machine.cpu('/machine/cpu0'));
    const retired = cpu.instret;
    expect(await gdb.request('s')).toBe('T05thread:1;');
    expect(cpu.instret).toBe(retired + 1);
    expect(cpu.pc).toBe(0x1004);
    expect(await gdb.request('vCont;s:1;c')).toBe('T05thread:1;');
    expect(cpu.pc).toBe(0x1008);
    expect(await gdb.request('s80000000')).toBe('T05thread:1;'); // step from a new address
    expect(cpu.pc).toBe(0x80000004);
    expect(await gdb.request('vCont;x')).toBe('E01');
  });

  it('stops a running target on Ctrl-C with SIGINT, and continues with C (signal ignored)', async () => {
    const gdb = gdbOn(counter);
    gdb.send('c');
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(gdb.stub.running).toBe(true);
    gdb.send('g'); // queued: answered after the stop
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(gdb.pending).toBe(0);
    gdb.sendRaw('\x03');
    expect(await gdb.next()).toBe('T02thread:1;');
    // the g sent while running is answered after the stop
    expect(await gdb.next()).toHaveLength(33 * 8);
    expect(gdb.stub.running).toBe(false);
    expect(gdb.machine.instructions).toBeGreaterThan(100_000);
    const before = gdb.machine.instructions;
    gdb.send('C02');
    await new Promise((resolve) => setTimeout(resolve, 30));
    gdb.stub.interrupt();
    expect(await gdb.next()).toBe('T02thread:1;');
    expect(gdb.machine.instructions).toBeGreaterThan(before);
    expect(gdb.events.map((e) => e.kind)).toEqual(['resume', 'stop', 'resume', 'stop']);
  });

  it('reports the hart that hit a breakpoint on a multi-hart board', async () => {
    const gdb = gdbOn(hello, 2);
    // Both harts start in the boot ROM; hart 1's code path differs from hart 0's at 0x1000 on.
    const main = elfSymbol(hello, 'main');
    expect(await gdb.request(`Z0,${hex(main)},4`)).toBe('OK');
    const reply = await gdb.request('c');
    expect(reply).toMatch(/^T05thread:[12];$/);
    const thread = Number(reply.match(/thread:(\d)/)![1]);
    expect(gdb.machine.cpu(gdb.machine.cpuPaths[thread - 1])!.pc).toBe(main);
    expect(await gdb.request('qC')).toBe(`QC${thread}`);
  });

  it('kill and detach: k gets no reply, vKill and D get OK, each is an event', async () => {
    const gdb = gdbOn();
    gdb.send('k');
    expect(gdb.pending).toBe(0);
    expect(await gdb.request('vKill;1')).toBe('OK');
    expect(await gdb.request('D')).toBe('OK');
    expect(gdb.events.map((e) => e.kind)).toEqual(['kill', 'kill', 'detach']);
  });

  it('a closed stub ends a run without replying', async () => {
    const gdb = gdbOn(counter);
    gdb.send('c');
    await new Promise((resolve) => setTimeout(resolve, 20));
    gdb.stub.close();
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(gdb.stub.running).toBe(false);
    expect(gdb.pending).toBe(0);
  });
});
