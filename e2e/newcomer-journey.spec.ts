// Issue #10's "done when": a newcomer builds a board from an empty canvas with no knowledge of the
// right addresses, runs the bundled hello firmware on it, edits it, saves it, reloads the page and
// shares it — and every step keeps the same board and the same firmware. Only the user's actions:
// palette drags, handle drags, the prompts' proposals, the inspector, the toolbar, a reload, a link.
import { readFile } from 'node:fs/promises';
import { expect, test, type Page } from '@playwright/test';
import { designDocument, dragBetween, dropFromPalette, GREETING, openDesigner, terminalText, waitForGreeting } from './helpers';

test.use({ permissions: ['clipboard-read', 'clipboard-write'] });
test.describe.configure({ timeout: 180_000 });

/** The document's "images" entries. */
async function documentImages(page: Page): Promise<unknown> {
  return (JSON.parse(await designDocument(page)) as { images?: unknown }).images;
}

/** Drags from the bus to a region in the memory map and accepts the address the prompt proposes. */
async function mapWithProposal(page: Page, region: string, proposed: string): Promise<void> {
  const memory = page.getByTestId('view-memory');
  await dragBetween(page, memory.getByTestId('handle-system bus-out:map'), memory.getByTestId(`handle-${region}-in:map`));
  await expect(page.getByTestId('prompt-address')).toHaveValue(proposed);
  await expect(page.getByTestId('prompt-reason')).toContainText('QEMU virt');
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('connect-prompt')).toHaveCount(0);
  await expect(memory.getByTestId(`memory-node-${region}`)).toContainText(proposed);
}

test('the newcomer journey: an empty board built by drag and drop runs hello, survives an edit, Save, a reload and a share link', async ({ page, browser }, testInfo) => {
  const shot = (name: string) => page.screenshot({ path: testInfo.outputPath(`${name}.png`) });
  const { errors } = await openDesigner(page);
  await waitForGreeting(page);

  // New → an empty board: nothing to run yet, and the page says so
  await page.getByTestId('new-board').selectOption('empty');
  await expect(page.getByTestId('board-title')).toContainText('untitled');
  await expect(page.getByTestId('run-state')).toHaveText('no CPU');
  await page.getByTestId('tab-composition').click();
  const composition = page.getByTestId('view-composition');
  await expect(composition).toBeVisible();

  // drag a CPU, RAM, a UART, a PLIC and the finisher from the palette
  const parts: Array<[string, string]> = [
    ['rv32', 'cpu0'],
    ['ram', 'ram'],
    ['ns16550a', 'uart0'],
    ['plic', 'plic'],
    ['sifive-test', 'test'],
  ];
  for (const [i, [type, name]] of parts.entries()) {
    await dropFromPalette(page, type, 'composition', 220 + 30 * i, 140 + 40 * i);
    await expect(composition.getByTestId(`composition-node-${name}`)).toBeVisible();
  }
  // the CPU has no memory at its reset vector yet: the edited board says so and does not run
  await expect(page.getByTestId('draft-banner')).toBeVisible();
  await expect(page.getByTestId('problem-message').first()).toHaveText('CPU cpu0 starts at 0x80000000, where no memory is mapped');
  await shot('1-parts-dropped');

  // map every region where the prompt proposes (QEMU virt's map)
  await page.getByTestId('tab-memory').click();
  await mapWithProposal(page, 'ram.mem', '0x80000000');
  // now the board runs, but its CPU has no firmware: it is held, and says so
  await expect(page.getByTestId('run-state')).toHaveText('cpu0 has no firmware');
  await mapWithProposal(page, 'uart0.regs', '0x10000000');
  await mapWithProposal(page, 'plic.regs', '0x0c000000');
  await mapWithProposal(page, 'test.regs', '0x00100000');
  await shot('2-mapped');

  // wire the UART into the PLIC on the line the prompt proposes, and the PLIC into the hart
  await page.getByTestId('tab-irq').click();
  const irq = page.getByTestId('view-irq');
  await dragBetween(page, irq.getByTestId('handle-uart0-out:irq'), irq.getByTestId('handle-plic-in:in'));
  await expect(page.getByTestId('prompt-target-line')).toHaveValue('10');
  await page.keyboard.press('Enter');
  await dragBetween(page, irq.getByTestId('handle-plic-out:meip'), irq.getByTestId('handle-cpu0-in:meip'));
  await expect.poll(async () => (JSON.parse(await designDocument(page)) as { irqs?: unknown }).irqs).toEqual([
    { from: 'uart0.irq', to: 'plic.in[10]' },
    { from: 'plic.meip', to: 'cpu0.meip' },
  ]);
  await expect(page.getByTestId('warning-count')).toHaveCount(0);
  // wiring never shrank the view below a readable zoom
  const zoom = Number(/scale\(([\d.]+)\)/.exec((await irq.locator('.react-flow__viewport').getAttribute('style')) ?? '')?.[1]);
  expect(zoom).toBeGreaterThanOrEqual(0.7);
  await shot('3-wired');

  // pick the bundled hello firmware in the CPU's inspector: it runs, and the document says so
  await irq.getByTestId('irq-node-cpu0').click({ position: { x: 24, y: 12 } }); // near its title: the node may be cut off at the view's edge
  await expect(page.getByTestId('image-runs')).toHaveText('cpu0 has no firmware: pick one to run');
  await page.getByTestId('image-select').selectOption({ label: 'hello' });
  expect(await documentImages(page)).toEqual([{ cpu: 'cpu0', file: 'firmware/hello.elf' }]);
  await waitForGreeting(page);
  await expect(page.getByTestId('firmware-chip')).toHaveText('firmware hello.elf');
  await expect(page.getByTestId('problem-count')).toHaveText('0');
  // Run again from the start: Reset, then the greeting and the finisher's pass once more
  await page.getByTestId('reset').click();
  await waitForGreeting(page);
  await shot('4-running');

  // edit: 64 MiB of RAM; the board reloads and still runs hello
  await page.getByTestId('tab-composition').click();
  await composition.getByTestId('composition-node-ram').click({ position: { x: 24, y: 12 } }); // near its title: the node may be cut off at the view's edge
  await page.getByTestId('prop-size').fill('64M');
  await page.getByTestId('prop-size').press('Enter');
  await expect(page.getByTestId('origin-size')).toHaveText('explicit');
  await waitForGreeting(page);

  // Save: one file with the board, its wiring and its firmware reference
  const download = page.waitForEvent('download');
  await page.getByTestId('save-board').click();
  const saved = JSON.parse(await readFile((await (await download).path())!, 'utf8')) as Record<string, unknown>;
  expect(saved.images).toEqual([{ cpu: 'cpu0', file: 'firmware/hello.elf' }]);
  expect(saved.irqs).toEqual([
    { from: 'uart0.irq', to: 'plic.in[10]' },
    { from: 'plic.meip', to: 'cpu0.meip' },
  ]);
  expect((saved.objects as Record<string, { props?: Record<string, unknown> }>).ram.props?.size).toBe('64M');

  // reload: the autosaved board comes back and runs the same firmware
  await page.waitForTimeout(600); // the autosave is written a moment after the last edit
  await page.reload();
  await expect(page.getByTestId('board-title')).toContainText('untitled');
  await waitForGreeting(page);
  await expect(page.getByTestId('firmware-chip')).toHaveText('firmware hello.elf');
  expect(await documentImages(page)).toEqual([{ cpu: 'cpu0', file: 'firmware/hello.elf' }]);

  // Share: the link is copied; in a fresh browser it opens the same board running the same firmware
  await page.getByTestId('share').click();
  await expect(page.getByTestId('notice')).toContainText('Link copied to the clipboard');
  const link = await page.evaluate(() => navigator.clipboard.readText());
  expect(link).toContain('#board=');
  await shot('5-shared');
  const fresh = await browser.newContext();
  const other = await fresh.newPage();
  const otherErrors: string[] = [];
  other.on('pageerror', (error) => otherErrors.push(error.message));
  await other.goto(link);
  await expect(other.getByTestId('board-title')).toContainText('untitled');
  await expect.poll(() => terminalText(other)).toContain(GREETING);
  await expect(other.getByTestId('run-state')).toHaveText('halted: pass');
  await expect(other.getByTestId('firmware-chip')).toHaveText('firmware hello.elf');
  const sharedDocument = JSON.parse(await designDocument(other)) as Record<string, unknown>;
  expect(sharedDocument.irqs).toEqual(saved.irqs);
  expect(sharedDocument.memory).toEqual(saved.memory);
  await other.screenshot({ path: testInfo.outputPath('6-fresh-browser.png') });
  await fresh.close();
  expect(otherErrors).toEqual([]);
  expect(errors).toEqual([]);
});
