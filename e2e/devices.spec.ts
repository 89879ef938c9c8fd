// The board's devices in the page: typing into the terminal reaches the guest's UART, LEDs glow,
// buttons press, framebuffers paint, and every object's life-cycle state and the engine's events
// show. Boards that need firmware the repository does not build are assembled here
// (src/workers/test-programs.ts) and served to the page by intercepting their image URL.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { expect, test, type Page } from '@playwright/test';
import {
  ECHO_PROMPT,
  echoBoard,
  echoProgram,
  FAULT_EXIT_CODE,
  faultProgram,
  FB_BOTTOM,
  FB_HEIGHT,
  FB_TOP,
  FB_WIDTH,
  framebufferBoard,
  framebufferProgram,
  ledButtonBoard,
  ledButtonProgram,
} from '../src/workers/test-programs.ts';
import { instructions, openBoardFile, openDesigner, terminalText, waitForGreeting } from './helpers';

const firmwareExists = (name: string) => existsSync(fileURLToPath(new URL(`../public/firmware/${name}`, import.meta.url)));

/** Serves `bytes` at the site path `file` (a board names it as its image), then opens the board. */
async function openAssembledBoard(page: Page, name: string, board: Record<string, unknown>, file: string, bytes: Uint8Array): Promise<void> {
  await page.route(`**/${file}`, (route) => route.fulfill({ status: 200, contentType: 'application/octet-stream', body: Buffer.from(bytes) }));
  await openBoardFile(page, `${name}.board.json`, JSON.stringify(board, null, 2));
  await expect(page.getByTestId('board-title')).toContainText(String(board.name));
}

async function openExample(page: Page, name: string): Promise<void> {
  await page.locator('.examples select').selectOption(`${name}.board.json`);
  await expect(page.getByTestId('board-title')).toContainText(name);
}

/** Typed bytes still on their way to the worker. */
function inputWaiting(page: Page): Promise<number> {
  return page.evaluate(() => window.__boardlab?.inputWaiting() ?? -1);
}

/** The canvas's pixel at (x, y) as 0xRRGGBB. */
function canvasPixel(page: Page, testId: string, x: number, y: number): Promise<number> {
  return page.getByTestId(testId).evaluate(
    (canvas, [px, py]) => {
      const [r, g, b] = (canvas as HTMLCanvasElement).getContext('2d')!.getImageData(px, py, 1, 1).data;
      return (r << 16) | (g << 8) | b;
    },
    [x, y] as const,
  );
}

test.describe('terminal input', () => {
  test('typing in the terminal reaches the UART of an interrupt-driven echo that sleeps between keys', async ({ page }) => {
    const { errors } = await openDesigner(page);
    await waitForGreeting(page);
    let prompt: string;
    if (firmwareExists('echo.elf')) {
      // The firmware helper's echo (PLIC source 10 on riscv-virt): prompt, echo, 'q' → "bye" and pass.
      const board = { boardlab: 1, name: 'echo', extends: 'riscv-virt', objects: {}, images: [{ cpu: 'cpu0', file: 'firmware/echo.elf' }] };
      await openBoardFile(page, 'echo.board.json', JSON.stringify(board));
      await expect(page.getByTestId('board-title')).toContainText('echo');
      prompt = "'q' quits";
    } else {
      await openAssembledBoard(page, 'echo-test', echoBoard('firmware/e2e-echo.bin'), 'firmware/e2e-echo.bin', echoProgram(0x8000_0000));
      prompt = ECHO_PROMPT;
    }
    await expect.poll(() => terminalText(page)).toContain(prompt);
    // Waiting for a key: every hart in WFI, nothing pending; the worker sleeps and the count stands still.
    await expect(page.getByTestId('run-state')).toHaveText('running (idle)');
    const asleep = await instructions(page);
    await page.waitForTimeout(400);
    expect(await instructions(page)).toBe(asleep);

    await page.getByTestId('terminal').click();
    await page.keyboard.type('hello BoardLab');
    await expect.poll(() => terminalText(page)).toContain('hello BoardLab');
    await expect(page.locator('.xterm-rows')).toContainText('hello BoardLab');
    expect(await instructions(page)).toBeGreaterThan(asleep);
    await expect(page.getByTestId('run-state')).toHaveText('running (idle)');

    // Enter sends a carriage return, as a real terminal does
    const before = await terminalText(page);
    await page.keyboard.press('Enter');
    await expect.poll(async () => (await terminalText(page)).slice(before.length)).toMatch(/^\r/);

    await page.keyboard.type('q');
    await expect.poll(() => terminalText(page)).toContain('bye');
    await expect(page.getByTestId('run-state')).toHaveText('halted: pass');
    expect(errors).toEqual([]);
  });

  test('a paste far longer than the UART FIFO arrives whole and in order', async ({ page }) => {
    const { errors } = await openDesigner(page);
    await waitForGreeting(page);
    await openAssembledBoard(page, 'echo-test', echoBoard('firmware/e2e-echo.bin'), 'firmware/e2e-echo.bin', echoProgram(0x8000_0000));
    await expect.poll(() => terminalText(page)).toBe(ECHO_PROMPT);
    const paste = Array.from({ length: 40 }, (_, line) => `line ${String(line).padStart(2, '0')}: ABCDEFGHIJKLMNOPRSTUVWXYZ 0123456789`).join(' ');
    await page.getByTestId('terminal').click();
    await page.keyboard.insertText(paste); // one input event, like a paste
    await expect.poll(() => terminalText(page)).toBe(ECHO_PROMPT + paste);
    expect(await inputWaiting(page)).toBe(0);
    expect(errors).toEqual([]);
  });
});

test.describe('LEDs and buttons', () => {
  test('LEDs glow in their colour while lit, and a held button reaches the guest', async ({ page }) => {
    const { errors } = await openDesigner(page);
    await waitForGreeting(page);
    await openAssembledBoard(page, 'led-button-test', ledButtonBoard('firmware/e2e-leds.bin'), 'firmware/e2e-leds.bin', ledButtonProgram(0));
    await expect(page.getByTestId('run-state')).toHaveText('running');

    const strip = page.getByTestId('devices');
    const led0 = strip.getByTestId('led-led0');
    const led1 = strip.getByTestId('led-led1');
    await expect(led0).toHaveAttribute('data-lit', 'true');
    await expect(led0).toHaveClass(/led--green/);
    await expect(led1).toHaveAttribute('data-lit', 'false');
    await expect(led1).toHaveClass(/led--red/);
    // the graph nodes glow too
    await expect(page.getByTestId('graph-led-led0')).toHaveAttribute('data-lit', 'true');

    // held down: the firmware copies the button onto led1
    const button = strip.getByTestId('button-button0');
    await button.hover();
    await page.mouse.down();
    await expect(button).toHaveAttribute('data-pressed', 'true');
    await expect(led1).toHaveAttribute('data-lit', 'true');
    await expect(page.getByTestId('graph-led-led1')).toHaveAttribute('data-lit', 'true');
    await page.waitForTimeout(200);
    await expect(led1).toHaveAttribute('data-lit', 'true'); // still held
    await page.mouse.up();
    await expect(button).toHaveAttribute('data-pressed', 'false');
    await expect(led1).toHaveAttribute('data-lit', 'false');

    // a quick click (down and up within one frame) is still seen by the guest
    await button.click();
    await expect.poll(() => led1.getAttribute('data-on-count').then(Number)).toBe(2);
    await expect(led1).toHaveAttribute('data-lit', 'false');

    // the button on the graph node works the same way
    const nodeButton = page.getByTestId('graph-button-button0');
    await nodeButton.hover();
    await page.mouse.down();
    await expect(led1).toHaveAttribute('data-lit', 'true');
    await page.mouse.up();
    await expect(led1).toHaveAttribute('data-lit', 'false');
    expect(errors).toEqual([]);
  });

  test('the blinky example: its red LED turns on once per period, then the board stops', async ({ page }) => {
    test.skip(!firmwareExists('blinky.elf'), 'public/firmware/blinky.elf is not built');
    const { errors } = await openDesigner(page);
    await waitForGreeting(page);
    await openExample(page, 'blinky');
    const led = page.getByTestId('devices').getByTestId('led-led0');
    await expect(led).toHaveClass(/led--red/);
    await expect(page.getByTestId('run-state')).toHaveText('halted: pass');
    const text = await terminalText(page);
    const ons = text.split('\n').filter((line) => line.trim() === 'LED on').length;
    expect(ons).toBeGreaterThan(0);
    await expect(led).toHaveAttribute('data-on-count', String(ons));
    const last = text.split('\n').map((line) => line.trim()).filter((line) => line === 'LED on' || line === 'LED off').pop();
    await expect(led).toHaveAttribute('data-lit', last === 'LED on' ? 'true' : 'false');
    expect(errors).toEqual([]);
  });
});

test.describe('framebuffer', () => {
  test('the canvas shows the pixels the guest wrote, and stops repainting once the guest sleeps', async ({ page }) => {
    const { errors } = await openDesigner(page);
    await waitForGreeting(page);
    await openAssembledBoard(page, 'framebuffer-test', framebufferBoard('firmware/e2e-fb.bin'), 'firmware/e2e-fb.bin', framebufferProgram(0x8000_0000));
    const canvas = page.getByTestId('framebuffer-fb');
    await expect(canvas).toHaveAttribute('width', String(FB_WIDTH));
    await expect(canvas).toHaveAttribute('height', String(FB_HEIGHT));
    await expect(page.getByTestId('run-state')).toHaveText('running (idle)');
    await expect.poll(() => canvasPixel(page, 'framebuffer-fb', 0, 0)).toBe(FB_TOP);
    expect(await canvasPixel(page, 'framebuffer-fb', FB_WIDTH - 1, FB_HEIGHT / 2 - 1)).toBe(FB_TOP);
    expect(await canvasPixel(page, 'framebuffer-fb', 0, FB_HEIGHT / 2)).toBe(FB_BOTTOM);
    expect(await canvasPixel(page, 'framebuffer-fb', FB_WIDTH - 1, FB_HEIGHT - 1)).toBe(FB_BOTTOM);
    // the guest sleeps: nothing new to show, so no more paints
    const paints = await canvas.getAttribute('data-paints');
    await page.waitForTimeout(500);
    expect(await canvas.getAttribute('data-paints')).toBe(paints);
    expect(errors).toEqual([]);
  });

  test('the framebuffer example draws its picture', async ({ page }) => {
    test.skip(!firmwareExists('framebuffer.elf'), 'public/firmware/framebuffer.elf is not built');
    const { errors } = await openDesigner(page);
    await waitForGreeting(page);
    await openExample(page, 'framebuffer');
    await expect(page.getByTestId('run-state')).toHaveText('halted: pass');
    const canvas = page.getByTestId('framebuffer-fb');
    await expect(canvas).toHaveAttribute('width', '320');
    const colours = () =>
      canvas.evaluate((element) => {
        const data = (element as HTMLCanvasElement).getContext('2d')!.getImageData(0, 0, 320, 240).data;
        const seen = new Set<number>();
        for (let i = 0; i < data.length; i += 4) seen.add((data[i] << 16) | (data[i + 1] << 8) | data[i + 2]);
        return seen.size;
      });
    await expect.poll(colours).toBeGreaterThan(100);
    expect(errors).toEqual([]);
  });
});

test.describe('life cycle', () => {
  test('every object shows its life-cycle state, and the engine events log shows an access fault', async ({ page }) => {
    const { errors } = await openDesigner(page);
    await waitForGreeting(page);
    const known = ['created', 'parented', 'configured', 'realized', 'reset', 'running', 'unrealized', 'unparented', 'destroyed'];

    // on the graph nodes
    for (const name of ['cpu0', 'ram', 'uart0', 'test']) {
      await expect(page.getByTestId(`state-${name}`)).toHaveAttribute('data-state', new RegExp(`^(${known.join('|')})$`));
    }
    // and in the panel, with the events log
    await page.getByTestId('toggle-machine-panel').click();
    const panel = page.getByTestId('machine-panel');
    const rows = panel.getByTestId('lifecycle-row');
    await expect(rows).toHaveCount(4);
    for (const row of await rows.all()) {
      await expect(row.locator('.state-pill')).toHaveAttribute('data-state', new RegExp(`^(${known.join('|')})$`));
    }
    await expect(panel.getByTestId('machine-events')).toContainText('none yet');

    const board = { ...echoBoard('firmware/e2e-fault.bin'), name: 'fault-test' };
    await openAssembledBoard(page, 'fault-test', board, 'firmware/e2e-fault.bin', faultProgram(0x8000_0000));
    await expect(page.getByTestId('run-state')).toHaveText(`halted: fail code ${FAULT_EXIT_CODE}`);
    await expect(panel.getByTestId('machine-events')).toContainText('access fault');
    await expect(panel.getByTestId('machine-events')).toContainText('0x40000000');
    expect(errors).toEqual([]);
  });
});
