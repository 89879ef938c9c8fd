// Device-tree export without dtc: the DTB header and blocks are checked field by field, a small
// decoder walks the structure block back into nodes and properties, and the DTS text is checked
// for the nodes firmware expects. (devicetree.reference.test.ts runs the real dtc.)
import { describe, expect, test } from 'vitest';
import { boardToDtb, boardToDts, boardToFdtTree, DEVICE_RULES } from './devicetree.ts';
import { assignPhandles, cells, empty, FDT_MAGIC, prop, ref, splitCells, strings, bytes, toDtb, toDts, type FdtTree } from './fdt.ts';
import { fixtureBoard, helloBoard, smpBoard } from './devicetree.fixtures.ts';

// ---- a decoder for flattened device trees (independent of fdt.ts) ---------------------------

interface Header {
  magic: number;
  totalsize: number;
  offDtStruct: number;
  offDtStrings: number;
  offMemRsvmap: number;
  version: number;
  lastCompVersion: number;
  bootCpuidPhys: number;
  sizeDtStrings: number;
  sizeDtStruct: number;
}

interface DecodedNode {
  name: string;
  props: Map<string, Uint8Array>;
  children: DecodedNode[];
}

function header(blob: Uint8Array): Header {
  const v = new DataView(blob.buffer, blob.byteOffset, blob.byteLength);
  const f = (i: number): number => v.getUint32(i * 4, false);
  return {
    magic: f(0),
    totalsize: f(1),
    offDtStruct: f(2),
    offDtStrings: f(3),
    offMemRsvmap: f(4),
    version: f(5),
    lastCompVersion: f(6),
    bootCpuidPhys: f(7),
    sizeDtStrings: f(8),
    sizeDtStruct: f(9),
  };
}

function cString(blob: Uint8Array, at: number): string {
  let end = at;
  while (blob[end] !== 0) {
    if (end >= blob.length) throw new Error('unterminated string');
    end++;
  }
  return new TextDecoder().decode(blob.subarray(at, end));
}

function decode(blob: Uint8Array): DecodedNode {
  const h = header(blob);
  const v = new DataView(blob.buffer, blob.byteOffset, blob.byteLength);
  let at = h.offDtStruct;
  const end = h.offDtStruct + h.sizeDtStruct;
  const word = (): number => {
    if (at + 4 > end) throw new Error(`structure block overrun at ${at}`);
    const w = v.getUint32(at, false);
    at += 4;
    return w;
  };
  const align = (): void => {
    at = (at + 3) & ~3;
  };
  const stack: DecodedNode[] = [];
  let root: DecodedNode | undefined;
  for (;;) {
    const token = word();
    if (token === 1) {
      const name = cString(blob, at);
      at += new TextEncoder().encode(name).length + 1;
      align();
      const node: DecodedNode = { name, props: new Map(), children: [] };
      if (stack.length === 0) {
        if (root !== undefined) throw new Error('two root nodes');
        root = node;
      } else stack[stack.length - 1].children.push(node);
      stack.push(node);
    } else if (token === 3) {
      const len = word();
      const nameoff = word();
      if (nameoff >= h.sizeDtStrings) throw new Error(`name offset ${nameoff} outside the strings block`);
      const name = cString(blob, h.offDtStrings + nameoff);
      const node = stack[stack.length - 1];
      if (node.props.has(name)) throw new Error(`duplicate property ${name}`);
      node.props.set(name, blob.slice(at, at + len));
      at += len;
      align();
    } else if (token === 2) {
      if (stack.pop() === undefined) throw new Error('unbalanced END_NODE');
    } else if (token === 4) {
      // NOP
    } else if (token === 9) {
      if (stack.length !== 0) throw new Error('END inside a node');
      if (at !== end) throw new Error(`END at ${at}, structure block ends at ${end}`);
      break;
    } else throw new Error(`bad token ${token} at ${at - 4}`);
  }
  if (root === undefined) throw new Error('no root node');
  return root;
}

function node(root: DecodedNode, path: string): DecodedNode {
  let current = root;
  for (const part of path.split('/').filter((p) => p !== '')) {
    const next = current.children.find((c) => c.name === part);
    if (next === undefined) throw new Error(`no node ${path} (missing ${part} under ${current.name || '/'}; has ${current.children.map((c) => c.name).join(', ')})`);
    current = next;
  }
  return current;
}

function u32s(root: DecodedNode, path: string, name: string): number[] {
  const data = node(root, path).props.get(name);
  if (data === undefined) throw new Error(`${path} has no ${name}`);
  expect(data.length % 4).toBe(0);
  const v = new DataView(data.buffer, data.byteOffset, data.byteLength);
  return Array.from({ length: data.length / 4 }, (_, i) => v.getUint32(i * 4, false));
}

function strs(root: DecodedNode, path: string, name: string): string[] {
  const data = node(root, path).props.get(name);
  if (data === undefined) throw new Error(`${path} has no ${name}`);
  expect(data[data.length - 1]).toBe(0);
  return new TextDecoder().decode(data.subarray(0, data.length - 1)).split('\0');
}

function has(root: DecodedNode, path: string, name: string): boolean {
  return node(root, path).props.has(name);
}

function phandleOf(root: DecodedNode, path: string): number {
  const [p] = u32s(root, path, 'phandle');
  return p;
}

function allNodes(n: DecodedNode, at = ''): Array<{ path: string; node: DecodedNode }> {
  const here = n.name === '' ? '/' : `${at}/${n.name}`;
  return [{ path: here, node: n }, ...n.children.flatMap((c) => allNodes(c, here === '/' ? '' : here))];
}

// ---- the tests ------------------------------------------------------------------------------

describe('DTB header and blocks', () => {
  const blob = boardToDtb(smpBoard());
  const h = header(blob);

  test('header fields are correct', () => {
    expect(h.magic).toBe(0xd00dfeed);
    expect(h.magic).toBe(FDT_MAGIC);
    expect(h.totalsize).toBe(blob.length);
    expect(h.version).toBe(17);
    expect(h.lastCompVersion).toBe(16);
    expect(h.bootCpuidPhys).toBe(0);
    expect(h.offMemRsvmap).toBe(40);
    expect(h.offMemRsvmap % 8).toBe(0);
    expect(h.offDtStruct % 4).toBe(0);
    expect(h.offDtStruct).toBeGreaterThanOrEqual(h.offMemRsvmap + 16);
    expect(h.offDtStrings).toBe(h.offDtStruct + h.sizeDtStruct);
    expect(h.offDtStrings + h.sizeDtStrings).toBe(h.totalsize);
    expect(h.sizeDtStruct % 4).toBe(0);
  });

  test('the memory reservation map is empty (one all-zero entry)', () => {
    expect(Array.from(blob.subarray(h.offMemRsvmap, h.offMemRsvmap + 16))).toEqual(new Array(16).fill(0));
  });

  test('the strings block holds each property name once, all of them used', () => {
    const block = blob.subarray(h.offDtStrings, h.offDtStrings + h.sizeDtStrings);
    expect(block[block.length - 1]).toBe(0);
    const names = new TextDecoder().decode(block.subarray(0, block.length - 1)).split('\0');
    expect(new Set(names).size).toBe(names.length);
    const used = new Set(allNodes(decode(blob)).flatMap((n) => [...n.node.props.keys()]));
    expect(new Set(names)).toEqual(used);
    expect(names).toContain('compatible');
    expect(names).toContain('interrupts-extended');
  });

  test('the structure block decodes into one root with unique node names per parent', () => {
    const root = decode(blob);
    expect(root.name).toBe('');
    for (const { node: n } of allNodes(root)) {
      const names = n.children.map((c) => c.name);
      expect(new Set(names).size).toBe(names.length);
    }
  });

  test('boot_cpuid_phys is the lowest hart id', () => {
    const board = fixtureBoard({
      name: 'late',
      objects: [{ name: 'cpu', type: 'rv32', props: { 'hart-id': 5 } }],
      memory: [],
      irqs: [],
    });
    expect(header(boardToDtb(board)).bootCpuidPhys).toBe(5);
  });
});

describe('the tree of a two-hart board (decoded from the DTB)', () => {
  const root = decode(boardToDtb(smpBoard()));

  test('root: QEMU virt cell sizes, compatible and model', () => {
    expect(u32s(root, '/', '#address-cells')).toEqual([2]);
    expect(u32s(root, '/', '#size-cells')).toEqual([2]);
    expect(strs(root, '/', 'compatible')).toEqual(['boardlab,dual-hart-lab']);
    expect(strs(root, '/', 'model')).toEqual(['BoardLab Dual Hart Lab']);
  });

  test('/chosen/stdout-path names the first UART, which exists', () => {
    expect(strs(root, '/chosen', 'stdout-path')).toEqual(['/soc/serial@10000000']);
    expect(strs(root, '/soc/serial@10000000', 'compatible')).toEqual(['ns16550a']);
  });

  test('/cpus: timebase from the CLINT, one cpu@N per hart in hart-id order, each with its intc', () => {
    expect(u32s(root, '/cpus', '#address-cells')).toEqual([1]);
    expect(u32s(root, '/cpus', '#size-cells')).toEqual([0]);
    expect(u32s(root, '/cpus', 'timebase-frequency')).toEqual([1_000_000]);
    expect(node(root, '/cpus').children.map((c) => c.name)).toEqual(['cpu@0', 'cpu@1']);
    for (const id of [0, 1]) {
      const cpu = `/cpus/cpu@${id}`;
      expect(strs(root, cpu, 'device_type')).toEqual(['cpu']);
      expect(u32s(root, cpu, 'reg')).toEqual([id]);
      expect(strs(root, cpu, 'compatible')).toEqual(['riscv']);
      expect(strs(root, cpu, 'status')).toEqual(['okay']);
      const intc = `${cpu}/interrupt-controller`;
      expect(strs(root, intc, 'compatible')).toEqual(['riscv,cpu-intc']);
      expect(u32s(root, intc, '#interrupt-cells')).toEqual([1]);
      expect(node(root, intc).props.get('interrupt-controller')?.length).toBe(0);
      expect(phandleOf(root, intc)).toBeGreaterThan(0);
    }
    expect(strs(root, '/cpus/cpu@0', 'riscv,isa')).toEqual(['rv32imac_zicsr_zifencei']);
    expect(strs(root, '/cpus/cpu@0', 'mmu-type')).toEqual(['riscv,sv32']);
    expect(strs(root, '/cpus/cpu@1', 'riscv,isa')).toEqual(['rv32ima_zicsr_zifencei']);
    expect(has(root, '/cpus/cpu@1', 'mmu-type')).toBe(false);
  });

  test('one /memory@ADDR per RAM mapping, with 2+2 cell reg', () => {
    const memories = root.children.filter((c) => c.name.startsWith('memory@')).map((c) => c.name);
    expect(memories).toEqual(['memory@8000000', 'memory@80000000']);
    expect(strs(root, '/memory@80000000', 'device_type')).toEqual(['memory']);
    expect(u32s(root, '/memory@80000000', 'reg')).toEqual([0, 0x80000000, 0, 0x10000000]);
    expect(u32s(root, '/memory@8000000', 'reg')).toEqual([0, 0x8000000, 0, 0x10000]);
  });

  test('/soc is a simple-bus with empty ranges, devices sorted by address', () => {
    expect(strs(root, '/soc', 'compatible')).toEqual(['simple-bus']);
    expect(node(root, '/soc').props.get('ranges')?.length).toBe(0);
    expect(u32s(root, '/soc', '#address-cells')).toEqual([2]);
    expect(node(root, '/soc').children.map((c) => c.name)).toEqual([
      'test@100000',
      'clint@2000000',
      'plic@c000000',
      'serial@10000000',
      'serial@10000100',
      'serial@10000200',
      'gpio@10012000',
      'framebuffer@50000000',
    ]);
  });

  test('UARTs: reg, clock-frequency and their PLIC source', () => {
    const plic = phandleOf(root, '/soc/plic@c000000');
    expect(u32s(root, '/soc/serial@10000000', 'reg')).toEqual([0, 0x10000000, 0, 0x100]);
    expect(u32s(root, '/soc/serial@10000000', 'clock-frequency')).toEqual([0x384000]);
    expect(u32s(root, '/soc/serial@10000100', 'clock-frequency')).toEqual([1843200]);
    for (const [at, source] of [
      ['10000000', 10],
      ['10000100', 11],
      ['10000200', 12],
    ] as const) {
      expect(u32s(root, `/soc/serial@${at}`, 'interrupt-parent')).toEqual([plic]);
      expect(u32s(root, `/soc/serial@${at}`, 'interrupts')).toEqual([source]);
    }
  });

  test('CLINT: M software and M timer interrupt of each hart', () => {
    const intc0 = phandleOf(root, '/cpus/cpu@0/interrupt-controller');
    const intc1 = phandleOf(root, '/cpus/cpu@1/interrupt-controller');
    expect(strs(root, '/soc/clint@2000000', 'compatible')).toEqual(['sifive,clint0', 'riscv,clint0']);
    expect(u32s(root, '/soc/clint@2000000', 'reg')).toEqual([0, 0x2000000, 0, 0x10000]);
    expect(u32s(root, '/soc/clint@2000000', 'interrupts-extended')).toEqual([intc0, 3, intc0, 7, intc1, 3, intc1, 7]);
  });

  test('PLIC: controller cells, ndev, and its contexts in order (M, S per hart)', () => {
    const intc0 = phandleOf(root, '/cpus/cpu@0/interrupt-controller');
    const intc1 = phandleOf(root, '/cpus/cpu@1/interrupt-controller');
    const plic = '/soc/plic@c000000';
    expect(strs(root, plic, 'compatible')).toEqual(['sifive,plic-1.0.0', 'riscv,plic0']);
    expect(u32s(root, plic, 'reg')).toEqual([0, 0xc000000, 0, 0x600000]);
    expect(u32s(root, plic, '#interrupt-cells')).toEqual([1]);
    expect(u32s(root, plic, '#address-cells')).toEqual([0]);
    expect(node(root, plic).props.get('interrupt-controller')?.length).toBe(0);
    expect(u32s(root, plic, 'riscv,ndev')).toEqual([0x60]);
    // hart 1 has no S mode and its seip is not wired: its S context is left off the end
    expect(u32s(root, plic, 'interrupts-extended')).toEqual([intc0, 11, intc0, 9, intc1, 11]);
  });

  test('finisher: QEMU compatible strings, and poweroff/reboot syscon nodes pointing at it', () => {
    const test = '/soc/test@100000';
    expect(strs(root, test, 'compatible')).toEqual(['sifive,test1', 'sifive,test0', 'syscon']);
    expect(u32s(root, test, 'reg')).toEqual([0, 0x100000, 0, 0x1000]);
    const phandle = phandleOf(root, test);
    expect(strs(root, '/poweroff', 'compatible')).toEqual(['syscon-poweroff']);
    expect(u32s(root, '/poweroff', 'regmap')).toEqual([phandle]);
    expect(u32s(root, '/poweroff', 'value')).toEqual([0x5555]);
    expect(u32s(root, '/reboot', 'regmap')).toEqual([phandle]);
    expect(u32s(root, '/reboot', 'value')).toEqual([0x7777]);
  });

  test('GPIO and framebuffer nodes', () => {
    expect(u32s(root, '/soc/gpio@10012000', 'ngpios')).toEqual([8]);
    expect(u32s(root, '/soc/gpio@10012000', 'interrupts')).toEqual([20]);
    expect(strs(root, '/soc/framebuffer@50000000', 'compatible')).toEqual(['simple-framebuffer']);
    expect(u32s(root, '/soc/framebuffer@50000000', 'stride')).toEqual([256]);
    expect(strs(root, '/soc/framebuffer@50000000', 'format')).toEqual(['x8r8g8b8']);
  });

  test('phandles are 1..n, unique, and every referenced node has one', () => {
    const phandles = allNodes(root)
      .filter((n) => n.node.props.has('phandle'))
      .map((n) => u32s(root, n.path, 'phandle')[0]);
    expect([...phandles].sort((a, b) => a - b)).toEqual(phandles.map((_, i) => i + 1));
    // two intcs, the finisher (regmap) and the PLIC (interrupt-parent)
    expect(phandles).toHaveLength(4);
  });

  test('objects without a rule and unmapped objects make no node', () => {
    const names = allNodes(root).map((n) => n.path);
    expect(names.some((n) => n.includes('widget') || n.includes('10020000') || n.includes('led'))).toBe(false);
  });
});

describe('DTS text', () => {
  const dts = boardToDts(smpBoard());

  test('starts with /dts-v1/; and holds the expected nodes', () => {
    expect(dts.startsWith('/dts-v1/;\n')).toBe(true);
    for (const line of [
      '/ {',
      'chosen {',
      'stdout-path = "/soc/serial@10000000";',
      'cpus {',
      'cpu0: cpu@0 {',
      'cpu1: cpu@1 {',
      'cpu0_intc: interrupt-controller {',
      'riscv,isa = "rv32imac_zicsr_zifencei";',
      'memory@80000000 {',
      'soc {',
      'compatible = "simple-bus";',
      'ranges;',
      'console: serial@10000000 {',
      'clint: clint@2000000 {',
      'plic: plic@c000000 {',
      'interrupts-extended = <&cpu0_intc 0x3 &cpu0_intc 0x7 &cpu1_intc 0x3 &cpu1_intc 0x7>;',
      'interrupt-parent = <&plic>;',
      'compatible = "sifive,test1", "sifive,test0", "syscon";',
      'regmap = <&test>;',
    ]) {
      expect(dts).toContain(line);
    }
  });

  test('skipped objects are explained in comments', () => {
    expect(dts).toContain('/* widget (type "mystery-widget"): no device-tree rule for this type; skipped */');
    expect(dts).toContain('/* led (type "led"): no device-tree rule for this type; skipped */');
  });

  test('braces balance and every property line ends with a semicolon', () => {
    expect((dts.match(/{/g) ?? []).length).toBe((dts.match(/}/g) ?? []).length);
    for (const line of dts.split('\n')) {
      const t = line.trim();
      if (t === '' || t.startsWith('//') || t.startsWith('/*') || t.endsWith('{')) continue;
      expect(t.endsWith(';'), line).toBe(true);
    }
  });

  test('the riscv-virt board is compatible with riscv-virtio like QEMU', () => {
    const virt = boardToDts(helloBoard('riscv-virt'));
    expect(virt).toContain('compatible = "riscv-virtio";');
    expect(virt).toContain('model = "riscv-virtio,qemu";');
    expect(boardToDts(helloBoard())).toContain('compatible = "boardlab,hello";');
  });
});

describe('the hello board', () => {
  const root = decode(boardToDtb(helloBoard()));

  test('has a hart, memory, UART and finisher, and no interrupt wiring', () => {
    expect(node(root, '/cpus').children.map((c) => c.name)).toEqual(['cpu@0']);
    expect(u32s(root, '/cpus', 'timebase-frequency')).toEqual([10_000_000]);
    expect(u32s(root, '/memory@80000000', 'reg')).toEqual([0, 0x80000000, 0, 0x8000000]);
    expect(node(root, '/soc').children.map((c) => c.name)).toEqual(['test@100000', 'serial@10000000']);
    expect(has(root, '/soc/serial@10000000', 'interrupts')).toBe(false);
    expect(strs(root, '/chosen', 'stdout-path')).toEqual(['/soc/serial@10000000']);
  });
});

describe('determinism', () => {
  test('the same board gives the same bytes and text', () => {
    expect(boardToDtb(smpBoard())).toEqual(boardToDtb(smpBoard()));
    expect(boardToDts(smpBoard())).toBe(boardToDts(smpBoard()));
  });

  test('DTS and DTB come from one tree: the DTS phandles match the DTB', () => {
    const dts = boardToDts(smpBoard());
    const root = decode(boardToDtb(smpBoard()));
    const plic = phandleOf(root, '/soc/plic@c000000');
    expect(dts).toMatch(new RegExp(`plic: plic@c000000 \\{[^}]*phandle = <0x${plic.toString(16)}>;`));
  });
});

describe('interrupt wiring edge cases', () => {
  test('an unwired PLIC context in the middle keeps its place as 0xffffffff', () => {
    const board = fixtureBoard({
      name: 'holes',
      objects: [
        { name: 'c0', type: 'rv32', props: { 'hart-id': 0 } },
        { name: 'c1', type: 'rv32', props: { 'hart-id': 1 } },
        { name: 'plic', type: 'plic', props: { 'num-sources': 32, 'num-harts': 2 } },
      ],
      memory: [['plic', 'regs', 0xc000000, 0x600000]],
      irqs: [
        ['plic.meip[0]', 'c0.meip'],
        ['plic.meip[1]', 'c1.meip'],
        ['plic.seip[1]', 'c1.seip'],
      ],
    });
    const root = decode(boardToDtb(board));
    const i0 = phandleOf(root, '/cpus/cpu@0/interrupt-controller');
    const i1 = phandleOf(root, '/cpus/cpu@1/interrupt-controller');
    expect(u32s(root, '/soc/plic@c000000', 'interrupts-extended')).toEqual([i0, 11, i0, 0xffffffff, i1, 11, i1, 9]);
    expect(u32s(root, '/soc/plic@c000000', 'riscv,ndev')).toEqual([31]);
  });

  test('with no per-hart wiring, a CLINT and PLIC serve harts hartid-base .. + num-harts like QEMU virt', () => {
    const board = fixtureBoard({
      name: 'unwired',
      objects: [
        { name: 'c0', type: 'rv32', props: { 'hart-id': 0 } },
        { name: 'c1', type: 'rv32', props: { 'hart-id': 1 } },
        { name: 'c2', type: 'rv32', props: { 'hart-id': 2 } },
        { name: 'clint', type: 'clint', props: { 'num-harts': 2 } },
        { name: 'plic', type: 'plic' },
      ],
      memory: [
        ['clint', 'regs', 0x2000000, 0x10000],
        ['plic', 'regs', 0xc000000, 0x600000],
      ],
      irqs: [],
    });
    const root = decode(boardToDtb(board));
    const intc = [0, 1, 2].map((i) => phandleOf(root, `/cpus/cpu@${i}/interrupt-controller`));
    expect(u32s(root, '/soc/clint@2000000', 'interrupts-extended')).toEqual([intc[0], 3, intc[0], 7, intc[1], 3, intc[1], 7]);
    expect(u32s(root, '/soc/plic@c000000', 'interrupts-extended')).toEqual(intc.flatMap((i) => [i, 11, i, 9]));
    expect(u32s(root, '/soc/plic@c000000', 'riscv,ndev')).toEqual([0x60]);
  });

  test('a device wired to two controllers (fan-out) gets interrupts-extended', () => {
    const board = fixtureBoard({
      name: 'two-plics',
      objects: [
        { name: 'c0', type: 'rv32' },
        { name: 'gpio', type: 'gpio' },
        { name: 'plic-a', type: 'plic', props: { 'num-sources': 32 } },
        { name: 'plic-b', type: 'plic', props: { 'num-sources': 32 } },
      ],
      memory: [
        ['gpio', 'regs', 0x10012000, 0x1000],
        ['plic-a', 'regs', 0xc000000, 0x600000],
        ['plic-b', 'regs', 0xd000000, 0x600000],
      ],
      irqs: [
        ['gpio.irq', 'plic-a.in[3]'],
        ['gpio.irq', 'plic-b.in[4]'],
      ],
    });
    const root = decode(boardToDtb(board));
    const a = phandleOf(root, '/soc/plic@c000000');
    const b = phandleOf(root, '/soc/plic@d000000');
    expect(has(root, '/soc/gpio@10012000', 'interrupt-parent')).toBe(false);
    expect(u32s(root, '/soc/gpio@10012000', 'interrupts-extended')).toEqual([a, 3, b, 4]);
    expect(boardToDts(board)).toContain('plic_a: plic@c000000 {');
  });
});

describe('skipping', () => {
  test('duplicate hart ids, unmapped devices and other address spaces are skipped with a comment', () => {
    const board = fixtureBoard({
      name: 'odd',
      objects: [
        { name: 'a', type: 'rv32', props: { 'hart-id': 0 } },
        { name: 'b', type: 'rv32', props: { 'hart-id': 0 } },
        { name: 'uart', type: 'ns16550a' },
        { name: 'tcm', type: 'ram', props: { size: 4096 } },
      ],
      memory: [['tcm', 'mem', 0, 4096, 'cpu-a']],
      irqs: [],
    });
    const dts = boardToDts(board);
    expect(dts).toContain('/* b (rv32): hart id 0 is already used by another CPU; skipped */');
    expect(dts).toContain('/* uart (ns16550a): not mapped; skipped */');
    expect(dts).toContain('/* tcm (ram): mapped only outside the system address space; skipped */');
    const root = decode(boardToDtb(board));
    expect(node(root, '/cpus').children).toHaveLength(1);
    expect(has(root, '/chosen', 'stdout-path')).toBe(false);
    expect(root.children.some((c) => c.name.startsWith('memory'))).toBe(false);
  });

  test('a board without CPUs still has /cpus with a timebase, and no cell sizes there', () => {
    const root = decode(boardToDtb(fixtureBoard({ name: 'empty', objects: [], memory: [], irqs: [] })));
    expect(u32s(root, '/cpus', 'timebase-frequency')).toEqual([10_000_000]);
    expect(has(root, '/cpus', '#address-cells')).toBe(false);
  });

  test('every catalog type the exporter knows is one entry of the rule table', () => {
    expect(Object.keys(DEVICE_RULES).sort()).toEqual(['clint', 'framebuffer', 'gpio', 'ns16550a', 'plic', 'ram', 'sifive-test']);
  });
});

describe('fdt encoder', () => {
  function tree(): FdtTree {
    return {
      bootCpuId: 0,
      root: {
        name: '',
        props: [prop('s', strings('a "quoted" \\ string\n', 'x')), prop('b', bytes(new Uint8Array([1, 0xab]))), prop('e', empty())],
        children: [
          { name: 'a', label: 'target', props: [], children: [] },
          { name: 'b', props: [prop('r', cells(ref('target'), 7))], children: [] },
        ],
      },
    };
  }

  test('phandles go only to referenced labelled nodes, and DTS escapes strings and writes bytes', () => {
    const t = tree();
    const phandles = assignPhandles(t.root);
    expect([...phandles]).toEqual([['target', 1]]);
    const dts = toDts(t);
    expect(dts).toContain('s = "a \\"quoted\\" \\\\ string\\n", "x";');
    expect(dts).toContain('b = [01 ab];');
    expect(dts).toContain('\te;');
    expect(dts).toContain('r = <&target 0x7>;');
    const root = decode(toDtb(t, phandles));
    expect(u32s(root, '/b', 'r')).toEqual([1, 7]);
    expect(u32s(root, '/a', 'phandle')).toEqual([1]);
    expect(Array.from(root.props.get('b') ?? [])).toEqual([1, 0xab]);
    expect(strs(root, '/', 's')).toEqual(['a "quoted" \\ string\n', 'x']);
  });

  test('a dangling reference or a duplicate label is a bug and throws', () => {
    expect(() => assignPhandles({ name: '', props: [prop('x', cells(ref('nowhere')))], children: [] })).toThrow(/unknown label "nowhere"/);
    expect(() =>
      assignPhandles({
        name: '',
        props: [],
        children: [
          { name: 'a', label: 'l', props: [], children: [] },
          { name: 'b', label: 'l', props: [], children: [] },
        ],
      }),
    ).toThrow(/duplicate/);
  });

  test('splitCells writes numbers as big-endian 32-bit cells', () => {
    expect(splitCells(0x80000000, 2)).toEqual([0, 0x80000000]);
    expect(splitCells(0x1_0000_0000, 2)).toEqual([1, 0]);
    expect(splitCells(5, 1)).toEqual([5]);
  });

  test('boardToFdtTree gives the tree both outputs are made from', () => {
    const t = boardToFdtTree(helloBoard());
    expect(t.root.children.map((c) => c.name)).toEqual(['chosen', 'cpus', 'memory@80000000', 'soc', 'poweroff', 'reboot']);
  });
});

describe('clashing node names', () => {
  test('a second device at the same address (another priority) is skipped, not a duplicate node', () => {
    const board = fixtureBoard({
      name: 'clash',
      objects: [
        { name: 'cpu', type: 'rv32' },
        { name: 'plic', type: 'plic', props: { 'num-sources': 32 } },
        { name: 'uart-a', type: 'ns16550a' },
        { name: 'uart-b', type: 'ns16550a' },
      ],
      memory: [
        ['plic', 'regs', 0xc000000, 0x600000],
        ['uart-a', 'regs', 0x10000000, 0x100],
        ['uart-b', 'regs', 0x10000000, 0x100],
      ],
      irqs: [
        ['uart-a.irq', 'plic.in[1]'],
        ['uart-b.irq', 'plic.in[2]'],
      ],
    });
    const dts = boardToDts(board);
    expect(dts).toContain('/* uart-b (ns16550a): /soc/serial@10000000 is already taken by another object; skipped */');
    const root = decode(boardToDtb(board));
    expect(u32s(root, '/soc/serial@10000000', 'interrupts')).toEqual([1]);
  });
});
