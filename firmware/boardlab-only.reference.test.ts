// Firmware for devices QEMU's virt board does not have (GPIO with an LED, a framebuffer) runs on
// its example board on BoardLab only. The machine is built in-process so the test can watch the
// devices as well as the UART: the LED's changes in virtual time, the framebuffer's pixels.
import { dirname, join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { Machine, imageFiles } from '../src/engine/index.ts';
import { Framebuffer } from '../src/engine/devices/framebuffer.ts';
import { blockBytes } from '../src/engine/devices/device.ts';
import { Led } from '../src/engine/devices/led.ts';
import { readBoardFile, readImages } from '../src/cli/board-files.ts';
import { BOARDLAB_ONLY, repoRoot } from './run-reference.ts';

interface Run {
  machine: Machine;
  uart: string;
}

/** Build the example board and run it until the finisher stops it (or `limit` instructions). */
async function runExample(program: string, setup: (machine: Machine) => void = () => {}, limit = 200_000_000): Promise<Run> {
  const boardFile = join(repoRoot, BOARDLAB_ONLY[program]);
  const result = await readBoardFile(boardFile);
  if (!result.ok) throw new Error(`${boardFile}: ${result.problems.map((p) => `${p.pointer}: ${p.message}`).join('; ')}`);
  const images = await readImages(imageFiles(result.board), dirname(boardFile));
  const bytes: number[] = [];
  const machine = Machine.build(result.board, images, { onSerialOutput: (_uart, byte) => bytes.push(byte) });
  setup(machine);
  while (!machine.halted && machine.instructions < limit) {
    if (machine.run(5_000_000) === 0 && machine.idle) break;
  }
  return { machine, uart: Buffer.from(bytes).toString('latin1') };
}

function device<T>(machine: Machine, path: string, type: abstract new (...args: never[]) => T): T {
  const found = machine.devices.get(path);
  if (!(found instanceof type)) throw new Error(`${path} is not a ${type.name} (${found?.constructor.name ?? 'missing'})`);
  return found;
}

describe('blinky on examples/blinky.board.json', () => {
  test('toggles led0 every 100 ms of virtual time, six times, and passes', async () => {
    const changes: Array<{ lit: boolean; ns: number }> = [];
    const { machine, uart } = await runExample('blinky', (m) => {
      device(m, '/machine/led0', Led).onChange = (lit) => changes.push({ lit, ns: m.clock.now() });
    });
    expect(uart).toBe('blinky: LED 0 toggles every 100 ms\n' +
      'LED on\nLED off\nLED on\nLED off\nLED on\nLED off\nblinky: done\n');
    expect(machine.exit).toEqual({ kind: 'pass', code: 0 });
    expect(changes.map((c) => c.lit)).toEqual([true, false, true, false, true, false]);
    const periodsMs = changes.slice(1).map((c, i) => (c.ns - changes[i].ns) / 1e6);
    for (const period of periodsMs) expect(period).toBeCloseTo(100, 0);
    expect(device(machine, '/machine/led0', Led).lit).toBe(false);
  });
});

/** FNV-1a over bytes, as the firmware computes it. */
function fnv1a(bytes: Uint8Array): number {
  let hash = 0x811c9dc5;
  for (const byte of bytes) hash = Math.imul(hash ^ byte, 0x01000193) >>> 0;
  return hash >>> 0;
}

/** The picture firmware/framebuffer/framebuffer.c draws, computed independently. */
function expectedPicture(width: number, height: number): Uint32Array {
  const pixels = new Uint32Array(width * height);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      pixels[y * width + x] = ((Math.floor((x * 255) / (width - 1)) << 16) | (Math.floor((y * 255) / (height - 1)) << 8) | 0x40) >>> 0;
    }
  }
  const fill = (x0: number, y0: number, w: number, h: number, color: number) => {
    for (let y = y0; y < y0 + h; y++) for (let x = x0; x < x0 + w; x++) pixels[y * width + x] = color;
  };
  fill(20, 20, 80, 60, 0xff0000);
  fill(120, 90, 80, 60, 0x00ff00);
  fill(220, 160, 80, 60, 0x0000ff);
  fill(0, 0, width, 2, 0xffffff);
  fill(0, height - 2, width, 2, 0xffffff);
  fill(0, 0, 2, height, 0xffffff);
  fill(width - 2, 0, 2, height, 0xffffff);
  for (let y = 0; y < height; y++) pixels[y * width + Math.floor((y * 4) / 3)] = 0xffff00;
  return pixels;
}

describe('framebuffer on examples/framebuffer.board.json', () => {
  test('draws the expected picture and prints its checksum', async () => {
    const { machine, uart } = await runExample('framebuffer');
    expect(machine.exit).toEqual({ kind: 'pass', code: 0 });
    const fb = device(machine, '/machine/fb', Framebuffer);
    expect([fb.width, fb.height, fb.format]).toEqual([320, 240, 'xrgb8888']);

    const printed = /^framebuffer: checksum 0x([0-9a-f]{8})$/m.exec(uart);
    expect(printed, `UART output: ${JSON.stringify(uart)}`).not.toBeNull();
    const vram = blockBytes(fb.memory); // its block of the guest arena: width * height * 4 bytes
    const want = expectedPicture(fb.width, fb.height);
    const wantBytes = new Uint8Array(want.buffer);
    expect(fnv1a(vram).toString(16).padStart(8, '0'), 'checksum of the pixels in memory').toBe(printed![1]);
    expect(fnv1a(wantBytes).toString(16).padStart(8, '0'), 'checksum of the picture as drawn here').toBe(printed![1]);
    expect(fb.pixel(30, 30)).toBe(0xff0000);
    expect(fb.pixel(150, 100)).toBe(0x00ff00);
    expect(fb.pixel(250, 200)).toBe(0x0000ff);
    expect(fb.pixel(0, 120)).toBe(0xffffff);
    expect(fb.pixel(160, 5)).toBe(want[5 * fb.width + 160]);
    expect(uart).toBe(`framebuffer: drawing 320x240 xrgb8888 at 0x30000000\nframebuffer: checksum 0x${printed![1]}\n`);
  });
});
