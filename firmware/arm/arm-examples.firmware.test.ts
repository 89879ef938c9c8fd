// The ARM example boards of the gallery (examples/*.board.json whose CPU is a Cortex-M) load,
// validate and run their firmware headless as the page runs them: the machine is built in-process
// so the test watches the LEDs in virtual time and presses the buttons as well as reading the UART.
// What the firmware prints comes from its source (firmware/arm/<program>/); systick-blinky's bytes
// are also what qemu-system-arm prints (arm-firmware.reference.test.ts checks that on QEMU).
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { readBoardFile, readImages } from '../../src/cli/board-files.ts';
import { Button } from '../../src/engine/devices/button.ts';
import { Led } from '../../src/engine/devices/led.ts';
import { Machine, imageFiles } from '../../src/engine/index.ts';
import { cpuArchitecture } from '../../src/graph/catalog.ts';
import { checkImages } from '../../src/graph/image-check.ts';
import type { ResolvedBoard } from '../../src/graph/index.ts';
import { repoRoot } from '../run-reference.ts';
import { ARM_EXAMPLE_BOARDS } from './run-reference.ts';

const examplesDir = join(repoRoot, 'examples');
const NS_PER_MS = 1e6;

interface Example {
  board: ResolvedBoard;
  machine: Machine;
  /** UART0 bytes so far, as text. */
  uart: () => string;
  /** Each LED's changes, in virtual time. */
  changes: Map<string, Array<{ lit: boolean; ms: number }>>;
  /** Runs until the guest ends the run, `until` holds, or `limit` instructions have run in this call. */
  runUntil: (until?: () => boolean, limit?: number) => void;
}

async function openExample(file: string): Promise<Example> {
  const path = join(examplesDir, file);
  const result = await readBoardFile(path);
  if (!result.ok) throw new Error(`${file}: ${result.problems.map((p) => `${p.pointer}: ${p.message}`).join('; ')}`);
  const images = await readImages(imageFiles(result.board), dirname(path));
  expect(checkImages(result.board, images), `${file}: image problems`).toEqual([]);
  const bytes: number[] = [];
  const machine = Machine.build(result.board, images, { onSerialOutput: (_uart, byte) => bytes.push(byte) });
  const changes = new Map<string, Array<{ lit: boolean; ms: number }>>();
  for (const [devicePath, device] of machine.devices) {
    if (!(device instanceof Led)) continue;
    const list: Array<{ lit: boolean; ms: number }> = [];
    changes.set(devicePath, list);
    device.onChange = (lit) => list.push({ lit, ms: machine.clock.now() / NS_PER_MS });
  }
  const runUntil = (until: () => boolean = () => false, limit = 100_000_000) => {
    const start = machine.instructions;
    while (!machine.halted && !until() && machine.instructions - start < limit) {
      if (machine.run(100_000) === 0 && machine.idle) break;
    }
  };
  return { board: result.board, machine, uart: () => Buffer.from(bytes).toString('latin1'), changes, runUntil };
}

function button(machine: Machine, path: string): Button {
  const found = machine.devices.get(path);
  if (!(found instanceof Button)) throw new Error(`${path} is not a button`);
  return found;
}

/** The gaps between consecutive changes, in ms of virtual time. */
const periods = (list: ReadonlyArray<{ ms: number }>): number[] => list.slice(1).map((c, i) => c.ms - list[i].ms);

/** Example boards with an ARM CPU that another firmware test runs (heterogeneous boards run with their own firmware). */
const RUN_ELSEWHERE: Readonly<Record<string, string>> = { 'amp.board.json': 'firmware/amp/amp.firmware.test.ts' };

test('every example board with an ARM CPU is one this file runs, or one a named firmware test runs (a new one needs its test)', () => {
  for (const [board, testFile] of Object.entries(RUN_ELSEWHERE)) expect(readFileSync(join(repoRoot, testFile), 'utf8'), `${testFile} runs examples/${board}`).toContain(`examples/${board}`);
  const armExamples = readdirSync(examplesDir)
    .filter((f) => f.endsWith('.board.json'))
    .filter((f) => {
      const text = readFileSync(join(examplesDir, f), 'utf8');
      return /"extends": "(mps2-an385|boardlab-m0)/.test(text) || /"type": "cortex-m/.test(text);
    })
    .filter((f) => !(f in RUN_ELSEWHERE))
    .sort();
  expect(armExamples).toEqual(Object.values(ARM_EXAMPLE_BOARDS).map((p) => p.slice('examples/'.length)).sort());
  expect(armExamples.length).toBeGreaterThanOrEqual(2);
});

describe('examples/mps2-blinky.board.json (mps2-an385, firmware/arm/systick-blinky)', () => {
  test('a Cortex-M3 board on QEMU\'s memory map; LED0 of the FPGAIO toggles every 50 ms, six times, and the run passes', async () => {
    const { board, machine, uart, changes, runUntil } = await openExample('mps2-blinky.board.json');
    expect(board.machineType).toMatch(/^mps2-an385@/);
    const cpu = board.objects.find((o) => o.path === '/machine/cpu0')!;
    expect([cpu.type, cpuArchitecture(cpu.type)?.name, cpu.props.semihosting]).toEqual(['cortex-m3', 'ARM', true]);
    runUntil();
    expect(uart()).toBe('systick-blinky: LED0 toggles every 50 ms of SysTick, 6 times\n' +
      'LED on  (FPGAIO LED0 = 0x00000001)\nLED off (FPGAIO LED0 = 0x00000000)\n'.repeat(3) +
      'systick-blinky: 30 ticks, SysTick off\n');
    expect(machine.exit).toEqual({ kind: 'pass', code: 0 });
    const led0 = changes.get('/machine/led0')!;
    expect(led0.map((c) => c.lit)).toEqual([true, false, true, false, true, false]);
    for (const period of periods(led0)) expect(period).toBeCloseTo(50, 0);
    expect(changes.get('/machine/led1')).toEqual([]);
  });
});

describe('examples/m0-blinky.board.json (boardlab-m0, firmware/arm/m0-blinky)', () => {
  test('the timer blinks the green LED0 every 100 ms; button 0 drives the red LED1; button 1 ends the run', async () => {
    const { board, machine, uart, changes, runUntil } = await openExample('m0-blinky.board.json');
    expect(board.machineType).toMatch(/^boardlab-m0@/);
    const cpu = board.objects.find((o) => o.path === '/machine/cpu0')!;
    expect([cpu.type, cpu.props.semihosting]).toEqual(['cortex-m0plus', true]);
    const banner = 'm0-blinky: LED0 toggles every 100 ms of the CMSDK timer, 6 times\n';
    const blinks = 'LED0 on\nLED0 off\n'.repeat(3) + 'm0-blinky: LED0 done; button 0 lights LED1, button 1 ends the run\n';
    runUntil(() => uart().endsWith('ends the run\n'));
    expect(uart()).toBe(banner + blinks);
    const led0 = changes.get('/machine/led0')!;
    expect(led0.map((c) => c.lit)).toEqual([true, false, true, false, true, false]);
    for (const period of periods(led0)) expect(period).toBeCloseTo(100, 0);
    expect(machine.halted).toBe(false);

    // button 0 held: LED1 on; released: off (the GPIO interrupt on each change)
    button(machine, '/machine/button0').press();
    runUntil(() => uart().endsWith('LED1 on\n'), 1_000_000);
    expect((machine.devices.get('/machine/led1') as Led).lit).toBe(true);
    button(machine, '/machine/button0').release();
    runUntil(() => uart().endsWith('LED1 off\n'), 1_000_000);
    expect((machine.devices.get('/machine/led1') as Led).lit).toBe(false);
    expect(changes.get('/machine/led1')!.map((c) => c.lit)).toEqual([true, false]);

    // button 1: bye, and the run ends with status 0
    button(machine, '/machine/button1').press();
    runUntil(undefined, 1_000_000);
    expect(uart()).toBe(banner + blinks + 'button 0 down: LED1 on\nbutton 0 up: LED1 off\nbutton 1: bye\n');
    expect(machine.exit).toEqual({ kind: 'pass', code: 0 });
    expect(led0.length).toBe(6); // the timer stayed off
  });
});
