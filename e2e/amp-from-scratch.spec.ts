// The gallery's heterogeneous example (examples/amp.board.json) built from an empty canvas as a new
// user builds it (issue #14 point 5): palette drags, the inspector for names and properties, the
// memory view's mapping prompts for both CPUs' views, the IRQ view for both interrupt controllers,
// the reset view for the hold that keeps the M3 waiting, and the Image field's bundled firmware.
// The board runs to the example's output on both UARTs' terminals and ends passing, and the board
// it built resolves to the example's.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { expect, test, type Locator, type Page } from '@playwright/test';
import { parseBoard, type ResolvedBoard } from '../src/graph/index.ts';
import { designDocument, dragBetween, dropFromPalette, mapRegion, openDesigner, setProp, streamText } from './helpers';

const EXAMPLE = readFileSync(fileURLToPath(new URL('../examples/amp.board.json', import.meta.url)), 'utf8');

/** What a board is, without where its document wrote things: pointers, origins, name and description. */
function normalised(board: ResolvedBoard): unknown {
  const sorted = <T>(items: T[]) => items.map((item) => JSON.stringify(item)).sort();
  return {
    objects: sorted(board.objects.map(({ path, type, parent, props }) => ({ path, type, parent, props }))),
    memory: sorted(board.memory.map(({ pointer: _pointer, ...mapping }) => mapping)),
    irqs: sorted(board.irqs.map(({ source, target }) => ({ source, target }))),
    resets: sorted(board.resets.map(({ from, to }) => ({ from, to }))),
    images: sorted(board.images.map(({ pointer: _pointer, ...image }) => image)),
  };
}

function resolved(text: string): ResolvedBoard {
  const result = parseBoard(text);
  if (!result.ok) throw new Error(`the board does not resolve: ${JSON.stringify(result.problems)}`);
  return result.board;
}

function documentObjects(text: string): Record<string, { props?: Record<string, unknown> } | undefined> {
  return (JSON.parse(text) as { objects: Record<string, { props?: Record<string, unknown> }> }).objects;
}

/** Drops a type from the palette; the new object is selected, and is renamed in the inspector. */
async function dropAndName(page: Page, composition: Locator, type: string, proposed: string, name: string, at: { x: number; y: number }): Promise<void> {
  await dropFromPalette(page, type, 'composition', at.x, at.y);
  await expect(page.getByTestId('inspector-name')).toHaveValue(proposed);
  if (name !== proposed) {
    await page.getByTestId('inspector-name').fill(name);
    await page.getByTestId('inspector-name').press('Enter');
    await expect(page.getByTestId('inspector-name')).toHaveValue(name);
  }
  // the view grows with the board: fit it, and the new object is in it under its name
  await composition.locator('.react-flow__controls-fitview').click();
  await expect(composition.getByTestId(`composition-node-${name}`)).toBeVisible();
}

/** Drags a wire between two port handles of the IRQ or reset view (a prompt, if any, is answered by the caller). */
async function wire(page: Page, view: Locator, from: string, to: string): Promise<void> {
  await view.locator('.react-flow__controls-fitview').click();
  await dragBetween(page, view.getByTestId(`handle-${from}`), view.getByTestId(`handle-${to}`));
}

test('the amp example built from an empty canvas by drag and drop runs both CPUs to its output and is the example board', async ({ page }, testInfo) => {
  test.setTimeout(180_000);
  const shot = (name: string) => page.screenshot({ path: testInfo.outputPath(`${name}.png`) });
  const { errors } = await openDesigner(page);
  await page.getByTestId('new-board').selectOption('empty');
  await expect(page.getByTestId('board-title')).toContainText('untitled');
  await page.getByTestId('tab-composition').click();
  const composition = page.getByTestId('view-composition');

  // Every object of the example, by drag and drop, named and set as the example has it.
  // [palette type, the name the designer proposes, the example's name, properties to type]
  const parts: Array<[string, string, string, Record<string, string>]> = [
    ['clint', 'clint', 'clint', {}],
    ['rv32', 'cpu0', 'hart', { 'address-space': 'hart' }],
    ['ram', 'ram', 'ram', { size: '128K' }],
    ['ns16550a', 'uart0', 'uart0', {}],
    ['plic', 'plic', 'plic', {}],
    ['sifive-test', 'test', 'test', {}],
    ['cortex-m3', 'cpu0', 'm3', { 'address-space': 'm3', 'clock-frequency': '25 MHz' }],
    ['ram', 'ram0', 'code', { size: '64K' }],
    ['ram', 'ram0', 'sram', { size: '16K' }],
    ['cmsdk-apb-uart', 'uart1', 'm3uart', {}],
    ['ram', 'ram0', 'shared', { size: '64K' }],
    ['mailbox', 'mailbox', 'mbox', {}],
    ['reset-controller', 'reset', 'rstctl', { 'hold-at-reset': '1' }],
  ];
  for (const [i, [type, proposed, name, props]] of parts.entries()) {
    await dropAndName(page, composition, type, proposed, name, { x: 60 + 110 * (i % 4), y: 80 + 80 * Math.floor(i / 4) });
    for (const [prop, value] of Object.entries(props)) {
      await setProp(page, prop, value);
      // the document holds it (the board may not resolve yet: an address space with nothing mapped)
      await expect.poll(async () => String(documentObjects(await designDocument(page))[name]?.props?.[prop])).toBe(value);
    }
    if (name === 'hart') await page.getByTestId('prop-time-base').selectOption('/machine/clint');
  }
  await expect.poll(async () => Object.keys(documentObjects(await designDocument(page))).sort()).toEqual(Object.keys(documentObjects(EXAMPLE)).sort());
  await shot('1-objects');

  // Each CPU's view of memory, region by region at the example's addresses.
  await page.getByTestId('tab-memory').click();
  const memory = page.getByTestId('view-memory');
  const mappings: Array<[string, string, string]> = [
    ['hart bus', 'test.regs', '0x100000'],
    ['hart bus', 'clint.regs', '0x2000000'],
    ['hart bus', 'plic.regs', '0xc000000'],
    ['hart bus', 'uart0.regs', '0x10000000'],
    ['hart bus', 'mbox.a.regs', '0x11000000'],
    ['hart bus', 'rstctl.regs', '0x11001000'],
    ['hart bus', 'ram.mem', '0x80000000'],
    ['hart bus', 'shared.mem', '0x90000000'],
    ['m3 bus', 'code.mem', '0x0'],
    ['m3 bus', 'sram.mem', '0x20000000'],
    ['m3 bus', 'm3uart.regs', '0x40004000'],
    ['m3 bus', 'mbox.b.regs', '0x40010000'],
  ];
  // one CPU's view at a time, as a user focuses on it: fewer nodes, a larger zoom, handles easier to hit
  for (const [bus, region, at] of mappings) {
    const cpu = bus === 'hart bus' ? 'hart (RISC-V, address space hart)' : 'm3 (ARM, address space m3)';
    if ((await page.getByTestId('memory-view-cpu').locator('option:checked').textContent()) !== cpu) await page.getByTestId('memory-view-cpu').selectOption({ label: cpu });
    await mapRegion(page, memory, bus, region, at);
    await expect(memory.getByTestId(`memory-node-${region}`)).toContainText(`0x${Number(at).toString(16).padStart(8, '0')}`);
  }
  await page.getByTestId('memory-view-cpu').selectOption({ label: 'every CPU (all address spaces)' });
  // the shared RAM, mapped in the hart's view, is shown in the M3's too: the prompt offers an alias
  await memory.locator('.react-flow__controls-fitview').click();
  await dragBetween(page, memory.getByTestId('handle-m3 bus-out:map'), memory.getByTestId('handle-shared.mem-in:map'));
  await expect(page.getByTestId('connect-prompt')).toContainText('Show shared.mem (at 0x90000000 in address space hart) in address space m3 too, at');
  await page.getByTestId('prompt-address').fill('0x38000000');
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('connect-prompt')).toHaveCount(0);
  await expect.poll(async () => (JSON.parse(await designDocument(page)) as { memory: unknown[] }).memory.length).toBe(13);
  await shot('2-memory');

  // Both interrupt controllers: the CLINT and the PLIC into the hart, the mailbox's sides into the PLIC and the NVIC.
  await page.getByTestId('tab-irq').click();
  const irq = page.getByTestId('view-irq');
  await wire(page, irq, 'clint-out:msip', 'hart-in:msip');
  await wire(page, irq, 'clint-out:mtip', 'hart-in:mtip');
  await wire(page, irq, 'plic-out:meip', 'hart-in:meip');
  await wire(page, irq, 'plic-out:seip', 'hart-in:seip');
  await wire(page, irq, 'uart0-out:irq', 'plic-in:in');
  await expect(page.getByTestId('prompt-target-line')).toHaveValue('10');
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('connect-prompt')).toHaveCount(0);
  await wire(page, irq, 'mbox-out:a.irq', 'plic-in:in');
  await page.getByTestId('prompt-target-line').selectOption('11');
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('connect-prompt')).toHaveCount(0);
  await wire(page, irq, 'mbox-out:b.irq', 'm3-in:irq');
  await page.getByTestId('prompt-target-line').selectOption('0');
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('connect-prompt')).toHaveCount(0);
  await expect.poll(async () => (JSON.parse(await designDocument(page)) as { irqs?: unknown[] }).irqs?.length).toBe(7);
  await shot('3-irqs');

  // The reset graph: the finisher and the M3's SYSRESETREQ reset the board; the reset controller's hold0 holds the M3.
  await page.getByTestId('tab-reset').click();
  const reset = page.getByTestId('view-reset');
  await wire(page, reset, 'test-out:system-reset', 'board reset-in:reset');
  await wire(page, reset, 'm3-out:sysresetreq', 'board reset-in:reset');
  await wire(page, reset, 'rstctl-out:hold0', 'm3-in:reset');
  await expect.poll(async () => (JSON.parse(await designDocument(page)) as { resets?: unknown[] }).resets).toEqual([
    { from: 'test.system-reset', to: 'board' },
    { from: 'm3.sysresetreq', to: 'board' },
    { from: 'rstctl.hold0', to: 'm3' },
  ]);
  await shot('4-resets');

  // Firmware: each CPU's Image field offers the bundled firmware of its own architecture.
  await page.getByTestId('tab-composition').click();
  await composition.getByTestId('composition-node-hart').click({ position: { x: 24, y: 12 } });
  await expect(page.getByTestId('inspector-name')).toHaveValue('hart');
  await expect(page.getByTestId('image-select').locator('option[value="firmware/amp/arm/m3.elf"]')).toHaveCount(0);
  await page.getByTestId('image-select').selectOption('firmware/amp/hart.elf');
  await composition.getByTestId('composition-node-m3').click({ position: { x: 24, y: 12 } });
  await expect(page.getByTestId('inspector-name')).toHaveValue('m3');
  await expect(page.getByTestId('image-select').locator('option[value="firmware/amp/hart.elf"]')).toHaveCount(0);
  await page.getByTestId('image-select').selectOption('firmware/amp/arm/m3.elf');

  // It runs as the example does: two lines on each UART's own terminal tab, and the hart's finisher passes.
  await expect(page.getByTestId('run-state')).toHaveText('halted: pass', { timeout: 30_000 });
  expect(await streamText(page, 'uart0')).toBe('hart: releasing the M3 and sending it work\nhart: the M3 answered 204 (right)\n');
  expect(await streamText(page, 'm3uart')).toBe('m3: up, waiting for work\nm3: sum of squares of 8 numbers = 204\n');
  await expect(page.getByTestId('terminal-tab-uart0')).toHaveAttribute('aria-selected', 'true');
  await expect(page.getByTestId('terminal')).toContainText('hart: the M3 answered 204 (right)');
  await page.getByTestId('terminal-tab-m3uart').click();
  await expect(page.getByTestId('terminal')).toContainText('m3: sum of squares of 8 numbers = 204');
  await expect(page.getByTestId('problem-count')).toHaveText('0');
  await shot('5-ran');

  // The board it built is the example's: the same objects, properties, mappings, wires and images.
  const built = await designDocument(page);
  expect(normalised(resolved(built))).toEqual(normalised(resolved(EXAMPLE)));
  expect(errors).toEqual([]);
});
