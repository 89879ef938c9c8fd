// The inspector and the document agree (issue #10, point 6): an invalid value stays in its field with
// its error until fixed or undone, Ctrl+Z in a field undoes the document edit, messages about
// firmware name the user's file with hints that make sense in a browser, and an ELF opened as a
// board is recognised as firmware.
import { expect, test, type Page } from '@playwright/test';
import { dropFile, firmwareFile, GREETING, openBoardFile, openDesigner, terminalText, waitForGreeting } from './helpers';

function documentText(page: Page): Promise<string> {
  return page.evaluate(() => window.__boardlab?.documentText() ?? '');
}

async function selectRam(page: Page): Promise<void> {
  await page.getByTestId('tab-composition').click();
  await page.getByTestId('composition-node-ram').click();
  await expect(page.getByTestId('inspector-type')).toContainText('ram');
}

test('an invalid size stays in its field with its error until fixed; Ctrl+Z in the field undoes it, Ctrl+Shift+Z redoes it', async ({ page }) => {
  const { errors } = await openDesigner(page);
  await waitForGreeting(page);
  await selectRam(page);
  const size = page.getByTestId('prop-size');
  await expect(size).toHaveValue('128M');

  await size.fill('12Q');
  await size.press('Enter');
  await expect(page.getByTestId('field-size').getByTestId('field-problem')).toContainText('property "size" of ram must be');
  await expect.poll(() => documentText(page)).toContain('"size": "12Q"');
  await page.waitForTimeout(500); // the draft is drawn again: the field must not snap back
  await expect(size).toHaveValue('12Q');
  await expect(size).toHaveAttribute('aria-invalid', 'true');
  await expect(page.getByTestId('draft-banner')).toBeVisible();
  // looking at another object and back: the field still shows what the document holds
  await page.getByTestId('composition-node-cpu0').click();
  await expect(page.getByTestId('inspector-type')).toContainText('rv32');
  await page.getByTestId('composition-node-ram').click();
  await expect(size).toHaveValue('12Q');
  await expect(page.getByTestId('field-size').getByTestId('field-problem')).toContainText('property "size" of ram must be');
  await size.focus();

  // Ctrl+Z with the focus still in the field: the document goes back, the field with it
  await expect(size).toBeFocused();
  await size.press('ControlOrMeta+Z');
  await expect(size).toHaveValue('128M');
  await expect.poll(() => documentText(page)).toContain('"size": "128M"');
  await expect(page.getByTestId('field-size').getByTestId('field-problem')).toHaveCount(0);
  await expect(page.getByTestId('problem-count')).toHaveText('0');

  await size.press('ControlOrMeta+Shift+Z');
  await expect(size).toHaveValue('12Q');
  await expect(page.getByTestId('field-size').getByTestId('field-problem')).toBeVisible();

  // fixed by typing a good value: the error goes, the board runs with it
  await size.fill('64M');
  await size.press('Enter');
  await expect(page.getByTestId('field-size').getByTestId('field-problem')).toHaveCount(0);
  await expect(size).toHaveValue('64M');
  await expect(page.getByTestId('origin-size')).toHaveText('explicit');
  await waitForGreeting(page);
  expect(errors).toEqual([]);
});

test('Ctrl+Z while typing undoes the typing, not the document', async ({ page }) => {
  const { errors } = await openDesigner(page);
  await waitForGreeting(page);
  await selectRam(page);
  const size = page.getByTestId('prop-size');
  await size.fill('64M');
  await size.press('Enter');
  await expect(page.getByTestId('origin-size')).toHaveText('explicit');
  await expect.poll(() => documentText(page)).toContain('"size": "64M"');

  await size.press('End');
  await size.pressSequentially('X');
  await expect(size).toHaveValue('64MX');
  await size.press('ControlOrMeta+Z'); // the input's own undo
  await expect(size).toHaveValue('64M');
  expect(await documentText(page)).toContain('"size": "64M"');
  await size.press('ControlOrMeta+Z'); // nothing typed left: the document edit
  await expect(size).toHaveValue('128M');
  await expect.poll(() => documentText(page)).toContain('"size": "128M"');
  expect(errors).toEqual([]);
});

test('blinky.elf opened with "Open board…" or dropped as a .json is recognised as firmware and runs', async ({ page }) => {
  const { errors } = await openDesigner(page);
  await waitForGreeting(page);
  await page.getByTestId('open-board').setInputFiles({ name: 'blinky.elf', mimeType: 'application/octet-stream', buffer: firmwareFile('blinky.elf') });
  await expect(page.getByTestId('notice')).toContainText('blinky.elf is an ELF firmware, not a board: cpu0 runs it');
  await expect(page.getByTestId('firmware-chip')).toHaveText('firmware blinky.elf');
  await expect.poll(() => terminalText(page)).toContain('blinky: LED 0 toggles');
  await expect(page.getByTestId('problem-count')).toHaveText('0');

  // the same bytes under a board's name, dropped on the page
  await dropFile(page, 'counter.board.json', firmwareFile('counter.elf'), 'application/json');
  await expect(page.getByTestId('notice')).toContainText('counter.board.json is an ELF firmware, not a board: cpu0 runs it');
  await expect.poll(() => terminalText(page)).toContain('tick 1');
  expect(errors).toEqual([]);
});

test("a missing image's problem names the file and says what to do in the designer, with no developer paths", async ({ page }) => {
  const { errors } = await openDesigner(page);
  await waitForGreeting(page);
  const board = JSON.parse(await (await import('node:fs/promises')).readFile(new URL('../examples/hello.board.json', import.meta.url), 'utf8')) as { images: unknown };
  board.images = [{ cpu: 'cpu0', file: 'my-firmware.elf' }];
  await openBoardFile(page, 'mine.board.json', JSON.stringify(board, null, 2));
  const problem = page.getByTestId('problem');
  await expect(problem).toHaveCount(1);
  await expect(problem.getByTestId('problem-message')).toHaveText('image my-firmware.elf: not stored with this board, and not a bundled firmware');
  await expect(problem.getByTestId('problem-pointer')).toHaveText('/images/0/file');
  await expect(page.getByTestId('problems')).toContainText('Open my-firmware.elf again with "Open firmware…"');
  expect(await page.getByTestId('problems').innerText()).not.toMatch(/public\/|on the server/);

  // the CPU's Image field shows the same problem where the firmware is chosen, and fixing it there runs the board
  await page.getByTestId('tab-composition').click();
  await page.getByTestId('composition-node-cpu0').click();
  await expect(page.getByTestId('image-select')).toHaveValue('my-firmware.elf');
  await expect(page.getByTestId('image-problem')).toContainText('my-firmware.elf: not stored with this board');
  await page.getByTestId('image-select').selectOption({ label: 'hello' });
  await expect.poll(() => terminalText(page)).toContain(GREETING);
  await expect(page.getByTestId('problem-count')).toHaveText('0');
  expect(errors).toEqual([]);
});
