// Interpreter throughput: runs a hand-encoded loop (loads, stores, ALU ops, a taken branch per
// iteration, some compressed instructions) for ~200M instructions and prints instructions/second.
//   npx tsx scripts/bench-cpu.ts [instructions] [slice]
import { AddressSpace } from '../src/engine/memory.ts';
import { Rv32Cpu } from '../src/engine/cpu/riscv/rv32.ts';
import { Program, Reg, add, addi, bne, cAdd, cAddi, cMv, li, lw, slli, srli, sw, wfi, xor } from '../src/engine/cpu/riscv/asm.ts';

const total = Number(process.argv[2] ?? 200_000_000);
const slice = Number(process.argv[3] ?? 1_000_000);
const { t0, t1, s0, a0, a1, a2, a3, a4, a5 } = Reg;

const BODY = 12; // instructions per loop iteration
const iterations = Math.max(1, Math.floor(total / BODY));
const base = 0x8000_0000;
const p = new Program(base)
  .i(li(t0, 0), li(t1, iterations))
  .la(s0, 'data')
  .label('loop')
  .i(lw(a0, s0, 0), addi(a0, a0, 1), sw(a0, s0, 0), add(a1, a1, a0), xor(a2, a2, a1), slli(a3, a2, 3), srli(a4, a3, 2))
  .c(cMv(a5, a4), cAdd(a5, a1), cAddi(a5, 3))
  .i(addi(t0, t0, 1))
  .branch(bne, t0, t1, 'loop')
  .i(wfi())
  .org(base + 0x1000) // data on its own page, as .data/.bss/stack usually are (stores next to hot code cost an invalidation check)
  .label('data')
  .word(0);

const space = new AddressSpace('bench');
space.mapRam('ram', base, new ArrayBuffer(1 << 20), 1 << 20);
space.writeBytes(base, p.bytes());
const cpu = new Rv32Cpu(space, { hartId: 0, resetVector: base });

const start = performance.now();
const cpuStart = process.cpuUsage();
let executed = 0;
while (!cpu.waitingForInterrupt) executed += cpu.run(slice);
const seconds = (performance.now() - start) / 1000;
const used = process.cpuUsage(cpuStart);
const cpuSeconds = (used.user + used.system) / 1e6;
const counter = space.load(p.address('data'), 4);
if (counter !== iterations) throw new Error(`benchmark loop ran ${counter} times, expected ${iterations}`);
console.log(
  `rv32 interpreter: ${executed.toLocaleString('en')} instructions in ${seconds.toFixed(2)} s = ${(executed / seconds / 1e6).toFixed(1)} M instructions/s ` +
    `(${(executed / cpuSeconds / 1e6).toFixed(1)} M/s of process CPU time; slice ${slice.toLocaleString('en')})`,
);
