import { expect, test, type Page } from '@playwright/test';
import { designDocument, dragBetween, dropFromPalette, firmwareFile, GREETING, openDesigner, openFirmware, settledBox, terminalText, waitForGreeting } from './helpers';

test.use({ permissions: ['clipboard-read', 'clipboard-write'] });

async function replaceEditorText(page: Page, text: string): Promise<void> {
  await page.getByTestId('json-editor').locator('.view-lines').click();
  await page.keyboard.press('ControlOrMeta+A');
  await page.evaluate((value) => navigator.clipboard.writeText(value), text);
  await page.keyboard.press('ControlOrMeta+V');
}

test('the four views show one board; a dragged node keeps its place after a reload', async ({ page }) => {
  const { errors } = await openDesigner(page);
  await page.getByTestId('tab-composition').click();
  const view = page.getByTestId('view-composition');
  await expect(view.getByTestId('composition-node-cpu0')).toContainText('rv32');
  await expect(view.getByTestId('composition-node-uart0')).toContainText('ns16550a');

  await page.getByTestId('tab-memory').click();
  const memory = page.getByTestId('view-memory');
  await expect(memory.getByTestId('memory-node-ram.mem')).toContainText('128 MiB');
  await expect(memory.getByTestId('memory-node-uart0.regs')).toContainText('0x10000000');
  await expect(memory.getByTestId('memory-node-test.regs')).toContainText('4 KiB');

  await page.getByTestId('tab-reset').click();
  await expect(page.getByTestId('view-reset').getByTestId('reset-node-test')).toContainText('system-reset');
  await expect(page.getByTestId('view-reset').locator('.board-edge--reset')).toHaveCount(1);

  await page.getByTestId('tab-irq').click();
  await expect(page.getByTestId('view-irq').getByTestId('irq-node-uart0')).toContainText('irq');

  // drag the UART in the composition view; the position lands in the document and survives a reload
  await page.getByTestId('tab-composition').click();
  const uart = page.getByTestId('composition-node-uart0');
  await expect(uart).toBeVisible();
  const box = await settledBox(page, uart);
  await page.mouse.move(box.x + 40, box.y + 10);
  await page.mouse.down();
  await page.mouse.move(box.x + 140, box.y + 90, { steps: 8 });
  await page.mouse.up();
  await expect.poll(() => designDocument(page)).toContain('composition:/machine/uart0');
  await page.waitForTimeout(600); // autosave
  await page.reload();
  await expect(page.getByTestId('board-title')).toContainText('hello');
  await page.getByTestId('tab-composition').click();
  const after = (await page.getByTestId('composition-node-uart0').boundingBox())!;
  const cpu = (await page.getByTestId('composition-node-cpu0').boundingBox())!;
  expect(Math.abs(after.y - cpu.y)).toBeGreaterThan(20); // not back in the ELK column
  expect(errors).toEqual([]);
});

test('a board built by drag and drop runs hello; removing the RAM names the CPU reset vector; undo brings it back', async ({ page }) => {
  test.setTimeout(150_000);
  const { errors } = await openDesigner(page);
  await page.getByTestId('new-board').selectOption('empty');
  await expect(page.getByTestId('board-title')).toContainText('untitled');
  await page.getByTestId('tab-composition').click();
  await expect(page.getByTestId('view-composition')).toBeVisible();

  await dropFromPalette(page, 'rv32', 'composition', 300, 80);
  await expect(page.getByTestId('composition-node-cpu0')).toBeVisible();
  await dropFromPalette(page, 'ram', 'composition', 300, 200);
  await expect(page.getByTestId('composition-node-ram')).toBeVisible();
  await dropFromPalette(page, 'ns16550a', 'composition', 300, 320);
  await expect(page.getByTestId('composition-node-uart0')).toBeVisible();
  await dropFromPalette(page, 'sifive-test', 'composition', 300, 440);
  await expect(page.getByTestId('composition-node-test')).toBeVisible();

  // map RAM and the UART by dragging from the bus to their regions in the memory view: a prompt
  // proposes QEMU virt's addresses (the board's CPU is an rv32), Enter accepts
  await page.getByTestId('tab-memory').click();
  const memory = page.getByTestId('view-memory');
  await expect(memory.getByTestId('memory-node-ram.mem')).toContainText('not mapped');
  await dragBetween(page, memory.getByTestId('handle-system bus-out:map'), memory.getByTestId('handle-ram.mem-in:map'));
  await expect(page.getByTestId('prompt-address')).toHaveValue('0x80000000');
  await page.getByTestId('prompt-address').press('Enter');
  await expect(memory.getByTestId('memory-node-ram.mem')).toContainText('0x80000000');
  await dragBetween(page, memory.getByTestId('handle-system bus-out:map'), memory.getByTestId('handle-uart0.regs-in:map'));
  await expect(page.getByTestId('prompt-address')).toHaveValue('0x10000000');
  await page.getByTestId('prompt-address').press('Enter');
  await expect(memory.getByTestId('memory-node-uart0.regs')).toContainText('0x10000000');
  // a refused connection says why
  await dragBetween(page, memory.getByTestId('handle-system bus-out:map'), memory.getByTestId('handle-ram.mem-in:map'));
  await expect(page.getByTestId('notice')).toContainText('ram.mem is already mapped at 0x80000000');

  // the finisher goes where the firmware expects it: set its address in the inspector
  await memory.getByTestId('memory-node-test.regs').click();
  await expect(page.getByTestId('inspector-type')).toContainText('sifive-test');
  await page.getByTestId('map-at-regs').fill('0x100000');
  await page.getByTestId('map-at-regs').press('Enter');
  await expect(memory.getByTestId('memory-node-test.regs')).toContainText('0x00100000');
  await expect(page.getByTestId('problem-count')).toHaveText('0');

  // remove the RAM: the CPU's reset vector has nowhere to start, said on the node, the inspector and the problems list
  await page.getByTestId('tab-composition').click();
  await page.getByTestId('composition-node-ram').click();
  await page.getByTestId('inspector-delete').click();
  const problem = page.getByTestId('problem').first();
  await expect(problem.getByTestId('problem-message')).toHaveText('CPU cpu0 starts at 0x80000000, where no memory is mapped');
  await expect(problem.getByTestId('problem-pointer')).toHaveText('/objects/cpu0');
  await expect(page.getByTestId('composition-node-cpu0').getByTestId('node-problem')).toContainText('starts at 0x80000000');
  await problem.click();
  await expect(page.getByTestId('inspector-type')).toContainText('rv32');
  await expect(page.getByTestId('object-problem')).toContainText('where no memory is mapped');
  await expect(page.getByTestId('origin-reset-vector')).toHaveText('default');

  // undo (Ctrl+Z on the canvas) restores the RAM and its mapping
  await page.getByTestId('view-composition').click({ position: { x: 20, y: 20 } });
  await page.keyboard.press('ControlOrMeta+Z');
  await expect(page.getByTestId('composition-node-ram')).toBeVisible();
  await expect(page.getByTestId('problem-count')).toHaveText('0');

  // an explicit value from the inspector shows its layer
  await page.getByTestId('composition-node-ram').click();
  await page.getByTestId('prop-size').fill('64M');
  await page.getByTestId('prop-size').press('Enter');
  await expect(page.getByTestId('origin-size')).toHaveText('explicit');

  await openFirmware(page, 'hello.elf', firmwareFile('hello.elf'));
  await waitForGreeting(page);
  expect(await terminalText(page)).toContain(GREETING);

  // reload: the autosaved board comes back
  await page.waitForTimeout(600);
  await page.reload();
  await expect(page.getByTestId('board-title')).toContainText('untitled');
  await page.getByTestId('tab-memory').click();
  await expect(page.getByTestId('view-memory').getByTestId('memory-node-ram.mem')).toContainText('64 MiB');
  expect(errors).toEqual([]);
});

test('wiring IRQs by drag; incompatible ends are refused with a reason', async ({ page }) => {
  const { errors } = await openDesigner(page);
  await page.getByTestId('tab-irq').click();
  const irq = page.getByTestId('view-irq');
  await page.getByTestId('palette-add-button').click();
  await page.getByTestId('palette-add-led').click();
  await expect(irq.getByTestId('irq-node-button')).toBeVisible();
  await expect(irq.getByTestId('irq-node-led')).toBeVisible();
  await dragBetween(page, irq.getByTestId('handle-button-out:out'), irq.getByTestId('handle-uart0-out:irq'));
  await expect(page.getByTestId('notice')).toContainText('both ends are outputs');
  await dragBetween(page, irq.getByTestId('handle-button-out:out'), irq.getByTestId('handle-led-in:in'));
  await expect(irq.locator('.board-edge--irq')).toHaveCount(1);
  await expect.poll(() => designDocument(page)).toContain('"to": "led.in"');
  await dragBetween(page, irq.getByTestId('handle-uart0-out:irq'), irq.getByTestId('handle-led-in:in'));
  await expect(page.getByTestId('notice')).toContainText('led.in is already driven by button.out');
  expect(errors).toEqual([]);
});

test('an edit in the JSON view changes the graph; rename updates references', async ({ page }) => {
  const { errors } = await openDesigner(page);
  await waitForGreeting(page);
  await page.getByTestId('tab-composition').click();
  const document = {
    boardlab: 1,
    name: 'hello-json',
    objects: { cpu0: { type: 'rv32' }, ram: { type: 'ram', props: { size: '128M' } }, uart0: { type: 'ns16550a' }, console2: { type: 'ns16550a' }, test: { type: 'sifive-test' } },
    memory: [
      { map: 'test.regs', at: '0x100000' },
      { map: 'uart0.regs', at: '0x10000000' },
      { map: 'console2.regs', at: '0x10001000' },
      { map: 'ram.mem', at: '0x80000000' },
    ],
    images: [{ cpu: 'cpu0', file: 'firmware/hello.elf' }],
  };
  await replaceEditorText(page, JSON.stringify(document, null, 2));
  await page.getByRole('button', { name: 'Apply' }).click();
  await expect(page.getByTestId('composition-node-console2')).toBeVisible();

  await page.getByTestId('composition-node-console2').click();
  await page.getByTestId('inspector-name').fill('uart9');
  await page.getByTestId('inspector-name').press('Enter');
  await expect(page.getByTestId('composition-node-uart9')).toBeVisible();
  await expect.poll(() => designDocument(page)).toContain('"map": "uart9.regs"');
  await waitForGreeting(page);
  expect(errors).toEqual([]);
});

test('a share link opens the board in a fresh browser context', async ({ page, browser }) => {
  const { errors } = await openDesigner(page);
  await page.getByTestId('new-board').selectOption('empty');
  await page.getByTestId('tab-composition').click();
  await page.getByTestId('palette-add-ram').click();
  await expect(page.getByTestId('composition-node-ram')).toBeVisible();
  await page.getByTestId('share').click();
  const link = await page.getByTestId('share-link').inputValue();
  expect(link).toMatch(/#board=[A-Za-z0-9_-]+$/);

  const fresh = await browser.newContext();
  const other = await fresh.newPage();
  await other.goto(link);
  await expect(other.getByTestId('board-title')).toContainText('untitled');
  await other.getByTestId('tab-composition').click();
  await expect(other.getByTestId('composition-node-ram')).toBeVisible();
  await fresh.close();
  expect(errors).toEqual([]);
});

test('copy and paste an object, save the board as a file, redo an undone edit', async ({ page }) => {
  const { errors } = await openDesigner(page);
  await waitForGreeting(page);
  await page.getByTestId('tab-composition').click();
  await page.getByTestId('composition-node-uart0').click();
  await page.keyboard.press('ControlOrMeta+C');
  await page.keyboard.press('ControlOrMeta+V');
  await expect(page.getByTestId('composition-node-uart1')).toBeVisible();
  await expect(page.getByTestId('inspector-type')).toContainText('ns16550a · uart1');
  await page.keyboard.press('ControlOrMeta+Z');
  await expect(page.getByTestId('composition-node-uart1')).toHaveCount(0);
  await page.keyboard.press('ControlOrMeta+Shift+Z');
  await expect(page.getByTestId('composition-node-uart1')).toBeVisible();

  const download = page.waitForEvent('download');
  await page.getByTestId('save-board').click();
  const file = await download;
  expect(file.suggestedFilename()).toBe('hello.board.json');
  const saved = JSON.parse(await (await import('node:fs/promises')).readFile((await file.path())!, 'utf8')) as { objects: Record<string, unknown> };
  expect(Object.keys(saved.objects)).toContain('uart1');
  expect(errors).toEqual([]);
});
