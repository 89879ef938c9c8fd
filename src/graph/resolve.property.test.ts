// Property-based tests: random and mutated documents never make the resolver throw, and every
// rejection points at a place that exists in the document.
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { boardFromMachineType, machineTypeDocument, parseBoard, resolveBoard, valueAtPointer, type BoardResult } from './index.ts';

const hello = JSON.parse(readFileSync(new URL('../../examples/hello.board.json', import.meta.url), 'utf8'));
const virt = { ...machineTypeDocument('riscv-virt')!, images: [{ cpu: 'cpu0', file: 'fw.elf' }] };
const extending = { ...boardFromMachineType('riscv-virt'), objects: { uart1: { type: 'ns16550a' } }, memory: [{ map: 'uart1.regs', at: '0x10001000' }], images: [{ cpu: 'cpu0', file: 'fw.elf' }] };
const seeds: unknown[] = [hello, virt, extending];

const POINTER = /^(\/([^~/]|~[01])*)*$/;

/** A rejection's pointers are well-formed and name a place in the document ("" is the root). */
function checkProblems(document: unknown, result: BoardResult): void {
  if (result.ok) return;
  expect(result.problems.length).toBeGreaterThan(0);
  for (const problem of result.problems) {
    expect(problem.pointer).toMatch(POINTER);
    expect(typeof problem.message).toBe('string');
    expect(problem.message.length).toBeGreaterThan(0);
    expect(problem.hint.length).toBeGreaterThan(0);
    if (problem.pointer === '') continue;
    // The pointer names an existing value, or a member that the problem says is missing or unknown.
    const parent = problem.pointer.slice(0, problem.pointer.lastIndexOf('/'));
    const exists = valueAtPointer(document, problem.pointer) !== undefined || valueAtPointer(document, parent) !== undefined;
    expect(exists, `${problem.pointer}: ${problem.message}`).toBe(true);
  }
}

/** Edits that keep a document JSON: set, delete or replace a value somewhere inside it. */
type Path = Array<string | number>;

function paths(value: unknown, prefix: Path = [], out: Path[] = []): Path[] {
  out.push(prefix);
  if (value !== null && typeof value === 'object') {
    for (const [key, child] of Object.entries(value)) paths(child, [...prefix, Array.isArray(value) ? Number(key) : key], out);
  }
  return out;
}

function mutate(document: unknown, path: Path, replacement: unknown, remove: boolean): unknown {
  if (path.length === 0) return replacement;
  const copy = structuredClone(document) as Record<string | number, unknown>;
  let node: Record<string | number, unknown> = copy;
  for (const key of path.slice(0, -1)) node = node[key] as Record<string | number, unknown>;
  const last = path[path.length - 1];
  if (remove && Array.isArray(node)) node.splice(Number(last), 1);
  else if (remove) delete node[last];
  else node[last] = replacement;
  return copy;
}

const interestingStrings = fc.constantFrom(
  'rv32', 'ram', 'ns16550a', 'plic', 'clint', 'uart0.regs', 'ram.mem', 'plic.in[10]', 'gpio.out[0..3]', '0x80000000', '128M', '${i}', '${harts}',
  'cpu${i}', 'riscv-virt', 'riscv-virt@1.0', 'board', 'domain:x', '', '/machine/cpu0', 'x.y[3..1]', '1 +', '${', '9999999999999999999999',
);
const jsonValue = fc.oneof(
  fc.integer({ min: -5, max: 0x1_0000_0000 }),
  interestingStrings,
  fc.string({ maxLength: 12 }),
  fc.boolean(),
  fc.constant(null),
  fc.constant({}),
  fc.constant([]),
  fc.dictionary(fc.constantFrom('type', 'props', 'map', 'at', 'from', 'to', 'repeat', 'children', 'cpu', 'file'), interestingStrings, { maxKeys: 3 }),
);

describe('resolver properties', () => {
  it('10,000 mutated documents never throw, and every rejection points into the document', () => {
    const mutation = fc
      .record({ seed: fc.nat(seeds.length - 1), pick: fc.nat(), replacement: jsonValue, remove: fc.boolean(), repeat: fc.integer({ min: 1, max: 3 }) })
      .map(({ seed, pick, replacement, remove, repeat }) => {
        let document = seeds[seed];
        for (let k = 0; k < repeat; k++) {
          const all = paths(document);
          document = mutate(document, all[(pick + k * 7919) % all.length], replacement, remove);
        }
        return document;
      });
    fc.assert(
      fc.property(mutation, (document) => {
        const result = resolveBoard(document);
        checkProblems(document, result);
      }),
      { numRuns: 10_000 },
    );
  }, 120_000);

  it('random JSON values and random text never throw', () => {
    fc.assert(fc.property(fc.jsonValue(), (document) => checkProblems(document, resolveBoard(document))), { numRuns: 1_000 });
    fc.assert(
      fc.property(fc.string({ maxLength: 200 }), (text) => {
        const result = parseBoard(text);
        if (!result.ok) for (const p of result.problems) expect(p.pointer).toMatch(POINTER);
      }),
      { numRuns: 1_000 },
    );
  });

  it('resolving is deterministic: the same document gives the same machine', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 8 }), (harts) => {
        const document = { ...boardFromMachineType('riscv-virt', { harts }), images: [{ cpu: 'cpu0', file: 'fw.elf' }] };
        expect(JSON.stringify(resolveBoard(document))).toBe(JSON.stringify(resolveBoard(structuredClone(document))));
      }),
      { numRuns: 16 },
    );
  });
});
