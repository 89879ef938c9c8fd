// Lesson 01 (lessons/01-hello.lesson.json) followed as a student follows it: opened from the lesson
// gallery, each step done with the designer's own tools (palette drags, the memory view's mapping
// prompt, the IRQ view's wiring), each check ticking as it passes, a hint revealed, and the run's
// checks ticking once the firmware prints and stops the board.
import { expect, test } from '@playwright/test';
import { dragBetween, dropFromPalette, expectTicks, mapRegion, openDesigner, terminalText } from './helpers';

test('lesson 01: a student wires the hello board from a CPU and RAM, and every check ticks', async ({ page }, testInfo) => {
  test.setTimeout(120_000);
  const shot = (name: string) => page.screenshot({ path: testInfo.outputPath(`${name}.png`) });
  const { errors } = await openDesigner(page);

  await page.getByTestId('lesson-gallery').selectOption({ label: 'Hello on a board you wire yourself' });
  const panel = page.getByTestId('lesson-panel');
  await expect(panel).toBeVisible();
  await expect(page.getByTestId('board-title')).toContainText('hello-lesson');
  await expect(page.getByTestId('lesson-step-title')).toHaveText('Step 1 of 5: Add a UART');
  // the Markdown renders as elements: `cpu0` is code, **ns16550a** is bold
  await expect(page.getByTestId('lesson-text').locator('code').first()).toHaveText('cpu0');
  await expect(page.getByTestId('lesson-text').locator('strong').first()).toHaveText('hello');
  await expectTicks(page, [false]);
  // the firmware has nothing to print with: it faults, and nothing is printed
  await expect(page.getByTestId('run-state')).toContainText('faulting');
  await shot('1-start');

  // a hint, on demand
  await expect(page.getByTestId('lesson-hint')).toHaveCount(0);
  await page.getByTestId('lesson-show-hint').click();
  await expect(page.getByTestId('lesson-hint')).toHaveCount(1);
  await expect(page.getByTestId('lesson-hint')).toContainText('serial');

  // Step 1: a UART from the palette
  await page.getByTestId('tab-composition').click();
  await dropFromPalette(page, 'ns16550a', 'composition', 60, 120);
  await expectTicks(page, [true]);
  await expect(page.getByTestId('lesson-step-1')).toHaveText('✓');
  await page.getByTestId('lesson-next').click();

  // Step 2: map it where the firmware looks
  await expect(page.getByTestId('lesson-step-title')).toHaveText('Step 2 of 5: Map the UART where the firmware looks for it');
  await expectTicks(page, [false]);
  await page.getByTestId('tab-memory').click();
  const memory = page.getByTestId('view-memory');
  await shot('2-memory');
  await mapRegion(page, memory, 'system bus', 'uart0.regs', '0x10000000');
  await expectTicks(page, [true]);
  // the greeting prints already (the board reloads at every edit), but the board does not stop yet
  await expect.poll(() => terminalText(page)).toContain('Hello, BoardLab!');
  await page.getByTestId('lesson-next').click();

  // Step 3: a PLIC, and the UART's interrupt wired to its line 10
  await expectTicks(page, [false, false]);
  await page.getByTestId('tab-composition').click();
  await dropFromPalette(page, 'plic', 'composition', 60, 220);
  await expectTicks(page, [true, false]);
  await page.getByTestId('tab-irq').click();
  const irq = page.getByTestId('view-irq');
  await irq.locator('.react-flow__controls-fitview').click();
  await dragBetween(page, irq.getByTestId('handle-uart0-out:irq'), irq.getByTestId('handle-plic-in:in'));
  await expect(page.getByTestId('prompt-target-line')).toHaveValue('10');
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('connect-prompt')).toHaveCount(0);
  await expectTicks(page, [true, true]);
  await shot('3-wired');
  await page.getByTestId('lesson-next').click();

  // Step 4: the finisher
  await expectTicks(page, [false]);
  await page.getByTestId('tab-composition').click();
  await dropFromPalette(page, 'sifive-test', 'composition', 60, 320);
  await page.getByTestId('tab-memory').click();
  await mapRegion(page, memory, 'system bus', 'test.regs', '0x100000');
  await expectTicks(page, [true]);
  await page.getByTestId('lesson-next').click();

  // Step 5: run it — the run's checks tick as the guest prints and stops the board
  await expect(page.getByTestId('lesson-step-title')).toHaveText('Step 5 of 5: Run it');
  await page.getByTestId('reset').click();
  await expect(page.getByTestId('run-state')).toHaveText('halted: pass');
  await expectTicks(page, [true, true]);
  await expect(page.getByTestId('lesson-next')).toBeDisabled();
  for (let step = 1; step <= 5; step++) await expect(page.getByTestId(`lesson-step-${step}`)).toHaveText('✓');
  await shot('5-done');

  // Previous goes back, with its checks still ticked
  await page.getByTestId('lesson-previous').click();
  await expect(page.getByTestId('lesson-step-title')).toHaveText('Step 4 of 5: Add the finisher');
  await expectTicks(page, [true]);
  expect(errors).toEqual([]);
});
