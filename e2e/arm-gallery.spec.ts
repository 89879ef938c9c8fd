// The ARM boards of the gallery, opened as a user would: pick the example in the Examples list and
// watch it run. mps2-blinky runs firmware built for QEMU's mps2-an385: the terminal must show the
// bytes qemu-system-arm prints for the same ELF (run live here), and LED0 of the FPGA I/O block must
// have lit once per "LED on" line. m0-blinky runs on BoardLab's Cortex-M0+ board: its green LED
// blinks, holding button 0 in the device strip lights the red LED, and button 1 ends the run.
import { expect, test, type Page } from '@playwright/test';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { openDesigner, terminalText, waitForGreeting } from './helpers';

/** What qemu-system-arm prints on UART0 for an ELF of public/firmware/arm/, its semihosting on (the program ends through it). */
function qemuSerial(program: string): string {
  const elf = fileURLToPath(new URL(`../public/firmware/arm/${program}.elf`, import.meta.url));
  const run = spawnSync('qemu-system-arm', ['-M', 'mps2-an385', '-cpu', 'cortex-m3', '-nographic', '-monitor', 'none', '-serial', 'stdio',
    '-semihosting-config', 'enable=on,target=native', '-icount', 'shift=3', '-kernel', elf], { encoding: 'latin1', timeout: 20_000 });
  expect(run.status, `qemu-system-arm exit status; stderr ${run.stderr}`).toBe(0);
  return run.stdout;
}

async function openExample(page: Page, name: string): Promise<void> {
  const examples = page.locator('.examples select');
  await expect(examples.locator('option', { hasText: name })).toHaveCount(1);
  await examples.selectOption(`${name}.board.json`);
  await expect(page.getByTestId('board-title')).toContainText(name);
}

const lines = (text: string, line: string): number => text.split('\n').filter((l) => l.trim() === line).length;

test('the mps2-blinky example (mps2-an385): the same UART bytes as qemu-system-arm, and LED0 lit once per "LED on"', async ({ page }) => {
  const qemu = qemuSerial('systick-blinky');
  expect(qemu).toContain('systick-blinky: 30 ticks, SysTick off\n'); // QEMU ran it to its end
  const { errors } = await openDesigner(page);
  await waitForGreeting(page);
  await openExample(page, 'mps2-blinky');

  await expect(page.getByTestId('run-state')).toHaveText('halted: pass');
  expect(await terminalText(page)).toBe(qemu);
  const led0 = page.getByTestId('devices').getByTestId('led-led0');
  const ons = qemu.split('\n').filter((l) => l.startsWith('LED on ')).length;
  expect(ons).toBe(3);
  await expect(led0).toHaveAttribute('data-on-count', String(ons));
  await expect(led0).toHaveAttribute('data-lit', 'false'); // the last line is "LED off"
  await expect(page.getByTestId('devices').getByTestId('led-led1')).toHaveAttribute('data-on-count', '0');
  expect(errors).toEqual([]);
});

test('the m0-blinky example (boardlab-m0): LED0 blinks, holding button 0 lights LED1, button 1 ends the run', async ({ page }) => {
  const { errors } = await openDesigner(page);
  await waitForGreeting(page);
  await openExample(page, 'm0-blinky');

  const strip = page.getByTestId('devices');
  const led0 = strip.getByTestId('led-led0');
  const led1 = strip.getByTestId('led-led1');
  await expect.poll(() => terminalText(page)).toContain('button 1 ends the run\n');
  const blinks = await terminalText(page);
  expect(lines(blinks, 'LED0 on')).toBe(3);
  expect(lines(blinks, 'LED0 off')).toBe(3);
  await expect(led0).toHaveClass(/led--green/);
  await expect(led0).toHaveAttribute('data-on-count', '3');
  await expect(led0).toHaveAttribute('data-lit', 'false');
  await expect(led1).toHaveClass(/led--red/);
  await expect(led1).toHaveAttribute('data-lit', 'false');
  await expect(page.getByTestId('run-state')).not.toHaveText(/halted/);

  // held: the GPIO interrupt copies button 0 onto LED1 and says so
  const button0 = strip.getByTestId('button-button0');
  await button0.hover();
  await page.mouse.down();
  await expect(led1).toHaveAttribute('data-lit', 'true');
  await expect.poll(() => terminalText(page)).toContain('button 0 down: LED1 on\n');
  await page.mouse.up();
  await expect(led1).toHaveAttribute('data-lit', 'false');
  await expect.poll(() => terminalText(page)).toContain('button 0 up: LED1 off\n');

  // button 1: bye, and the run ends with status 0 through semihosting
  await strip.getByTestId('button-button1').click();
  await expect(page.getByTestId('run-state')).toHaveText('halted: pass');
  expect(await terminalText(page)).toBe(`${blinks}button 0 down: LED1 on\nbutton 0 up: LED1 off\nbutton 1: bye\n`);
  expect(errors).toEqual([]);
});
