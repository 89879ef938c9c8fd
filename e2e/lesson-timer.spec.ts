// Lesson 04 (lessons/04-timer.lesson.json) followed as a student follows it: the CLINT's timer
// interrupt wired in the IRQ view, two lines typed into main.s in the source editor under the
// lesson's TODO, Ctrl+Enter to assemble and run, and the run's checks ticking as the ticks arrive.
import { expect, test } from '@playwright/test';
import { dragBetween, expectTicks, openDesigner, terminalText } from './helpers';

test('lesson 04: a student wires the timer interrupt, enables it in main.s, and sees three ticks', async ({ page }, testInfo) => {
  test.setTimeout(120_000);
  const { errors } = await openDesigner(page);
  await page.getByTestId('lesson-gallery').selectOption({ label: 'Timer interrupts and WFI' });
  await expect(page.getByTestId('lesson-step-title')).toHaveText('Step 1 of 3: Wire the timer interrupt');
  await expectTicks(page, [false]);
  // nothing can wake the hart yet
  await expect(page.getByTestId('run-state')).toHaveText('running (idle)');

  // Step 1: the CLINT's mtip line 0 into the hart's mtip
  await page.getByTestId('tab-irq').click();
  const irq = page.getByTestId('view-irq');
  await irq.locator('.react-flow__controls-fitview').click();
  await dragBetween(page, irq.getByTestId('handle-clint-out:mtip'), irq.getByTestId('handle-cpu0-in:mtip'));
  if (await page.getByTestId('connect-prompt').isVisible()) {
    await expect(page.getByTestId('prompt-source-line')).toHaveValue('0');
    await page.keyboard.press('Enter');
  }
  await expect(page.getByTestId('connect-prompt')).toHaveCount(0);
  await expectTicks(page, [true]);
  await page.getByTestId('lesson-next').click();

  // Step 2: main.s, under the TODO: set mie.MTIE; Ctrl+Enter assembles and runs
  await expectTicks(page, [false]);
  await page.getByTestId('tab-document').click();
  await page.getByTestId('source-tab-main.s').click();
  const editor = page.getByTestId('source-editor');
  await expect(editor).toContainText('TODO step 2');
  await editor.click();
  await page.keyboard.press('ControlOrMeta+Home');
  for (let line = 1; line < 17; line++) await page.keyboard.press('ArrowDown'); // to the TODO's last hint line ("#   csrs mie, t0")
  await page.keyboard.press('End');
  await page.keyboard.press('Enter');
  await page.keyboard.type('li t0, 0x80');
  await page.keyboard.press('Enter');
  await page.keyboard.type('csrs mie, t0');
  await page.keyboard.press('ControlOrMeta+Enter');
  await page.screenshot({ path: testInfo.outputPath('2-typed.png') });
  await expect.poll(() => terminalText(page)).toContain('tick 3');
  await page.getByTestId('tab-lesson').click();
  await expectTicks(page, [true]);
  await page.getByTestId('lesson-next').click();

  // Step 3: the ticks and the end
  await expect(page.getByTestId('run-state')).toHaveText('halted: pass');
  await expectTicks(page, [true, true]);
  for (let step = 1; step <= 3; step++) await expect(page.getByTestId(`lesson-step-${step}`)).toHaveText('✓');
  await page.screenshot({ path: testInfo.outputPath('3-done.png') });
  expect(errors).toEqual([]);
});
