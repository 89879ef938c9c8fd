// x-boardlab-savevm / x-boardlab-loadvm on the heterogeneous example: a snapshot holds both CPUs
// (and the round of virtual time they were in), and a restored run continues as the first did.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { resolveBoard } from '../../graph/index.ts';
import { Machine } from '../machine.ts';
import { engineModules } from '../registry.ts';
import { RunController } from '../run-control.ts';
import { QmpMonitor } from './monitor.ts';

async function amp(output: number[]) {
  const document = JSON.parse(readFileSync(new URL('../../../examples/amp.board.json', import.meta.url), 'utf8'));
  const result = resolveBoard(document);
  if (!result.ok) throw new Error(result.problems[0].message);
  await engineModules.loadBoardModules(result.board);
  const images = new Map(result.board.images.map((image) => [image.file, new Uint8Array(readFileSync(new URL(`../../../public/${image.file}`, import.meta.url)))]));
  const machine = Machine.build(result.board, images, { onSerialOutput: (_uart, byte) => output.push(byte) });
  return { machine, controller: RunController.forMachine(machine, result.board, document, { startPaused: true }) };
}

async function monitorOf(controller: RunController) {
  const out: string[] = [];
  const monitor = new QmpMonitor({ controller, threadId: 1, hostFeatures: [] }, { write: (text) => out.push(text) });
  monitor.start();
  const run = async (execute: string, args?: object) => {
    const from = out.length;
    monitor.feed(`${JSON.stringify({ execute, ...(args ? { arguments: args } : {}) })}\n`);
    await monitor.settled();
    return JSON.parse(out.slice(from).at(-1)!) as Record<string, unknown>;
  };
  await run('qmp_capabilities');
  return run;
}

/** Run to the finisher; what each CPU retired and the virtual time. */
function toTheEnd(machine: Machine) {
  while (!machine.halted) machine.run(1_000_000);
  return { exit: machine.exit, time: machine.clock.now(), instret: machine.cpuPaths.map((path) => machine.cpu(path)!.instret) };
}

describe('QMP snapshots of a board with a RISC-V hart and a Cortex-M3', () => {
  it('x-boardlab-savevm mid-run, run on, x-boardlab-loadvm: the run continues as it did, on both CPUs, output and all', async () => {
    const output: number[] = [];
    const { machine, controller } = await amp(output);
    const qmp = await monitorOf(controller);
    machine.run(10_200); // the M3 released and at work, the hart in the middle of a round
    expect(machine.cpu('/machine/m3')!.instret).toBeGreaterThan(0);
    expect(await qmp('x-boardlab-savevm', { tag: 'mid' })).toEqual({ return: {} });
    expect(await qmp('x-boardlab-query-snapshots')).toEqual({ return: [{ tag: 'mid', 'vm-clock-nsec': machine.clock.now() }] });
    const before = output.length;
    const first = toTheEnd(machine);
    const firstOutput = output.splice(before);
    expect(Buffer.from(firstOutput).toString('latin1')).toContain('hart: the M3 answered 204 (right)\n');
    expect(await qmp('x-boardlab-loadvm', { tag: 'mid' })).toEqual({ return: {} });
    expect(machine.halted).toBe(false);
    const second = toTheEnd(machine);
    expect(second).toEqual(first);
    expect(output.slice(before)).toEqual(firstOutput);
    expect(await qmp('x-boardlab-loadvm', { tag: 'nope' })).toEqual({ error: { class: 'GenericError', desc: "Snapshot 'nope' does not exist" } });
  });
});
