// Benchmark: validate and resolve a generated board of 1,000+ objects (target: under 50 ms in Node).
// Usage: npx tsx scripts/bench-resolve.ts [objects]
import { resolveBoard, type BoardDocument } from '../src/graph/index.ts';

const target = Number(process.argv[2] ?? 1000);

/** A riscv-virt board with `target` more objects: UARTs and RAM banks mapped and wired. */
function generate(count: number): BoardDocument {
  const objects: BoardDocument['objects'] = {};
  const memory: NonNullable<BoardDocument['memory']> = [];
  const irqs: NonNullable<BoardDocument['irqs']> = [];
  for (let i = 0; i < count; i++) {
    if (i % 2 === 0) {
      objects[`uart${i}`] = { type: 'ns16550a', props: { 'fifo-depth': 1 + (i % 16) } };
      memory.push({ map: `uart${i}.regs`, at: `0x${(0x20000000 + i * 0x100).toString(16)}` });
      irqs.push({ from: `uart${i}.irq`, to: `plic.in[${1 + (i % 1000)}]` });
    } else {
      objects[`bank${i}`] = { type: 'ram', props: { size: '4K' } };
      memory.push({ map: `bank${i}.mem`, at: `0x${(0x40000000 + i * 0x1000).toString(16)}` });
    }
  }
  objects.plic = { props: { 'num-sources': 1024 } };
  return { boardlab: 1, name: 'big', extends: 'riscv-virt', params: { harts: 8 }, objects, memory, irqs, images: [{ cpu: 'cpu0', file: 'fw.elf' }] };
}

const document = generate(target);
// Warm up (JIT, schema compilation), then measure.
for (let i = 0; i < 5; i++) resolveBoard(document);
const runs = 20;
const times: number[] = [];
let objects = 0;
for (let i = 0; i < runs; i++) {
  const start = performance.now();
  const result = resolveBoard(document);
  times.push(performance.now() - start);
  if (!result.ok) throw new Error(result.problems.slice(0, 3).map((p) => `${p.pointer}: ${p.message}`).join('\n'));
  objects = result.board.objects.length;
}
times.sort((a, b) => a - b);
const median = times[Math.floor(runs / 2)];
console.log(`resolve + validate: ${objects} objects, ${document.memory!.length} mappings, ${document.irqs!.length} wires`);
console.log(`  median ${median.toFixed(1)} ms, best ${times[0].toFixed(1)} ms, worst ${times[runs - 1].toFixed(1)} ms over ${runs} runs`);
console.log(`  target 50 ms: ${median < 50 ? 'met' : 'NOT met'} (${(median / 50).toFixed(2)}× the budget)`);
