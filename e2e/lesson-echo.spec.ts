// Lesson 03 (lessons/03-echo.lesson.json) followed as a student: opened from the Lessons gallery,
// the UART's interrupt dragged into PLIC source 10 and the PLIC's meip[0] into the hart in the IRQ
// view, the handler's echo store and its PLIC complete typed into main.s under the TODOs, Ctrl+Enter,
// then keys typed into the terminal: the hart takes machine external interrupts, the handler
// echoes, and `q` stops the board. Each step's checks are seen unticked before the student acts.
import { expect, test } from '@playwright/test';
import { dragBetween, expectTicks, openDesigner, terminalText, toEndOfLine } from './helpers';

test('lesson 03: a student wires the UART through the PLIC, finishes the handler in main.s, and sees the echo', async ({ page }, testInfo) => {
  test.setTimeout(120_000);
  const { errors } = await openDesigner(page);
  await page.getByTestId('lesson-gallery').selectOption({ label: 'Interrupts: a UART echo through the PLIC' });
  await expect(page.getByTestId('lesson-step-title')).toHaveText('Step 1 of 4: The UART into the PLIC');
  await expectTicks(page, [false]);
  await expect(page.getByTestId('problems').locator('li.problem')).toHaveCount(0);

  // Step 1: the UART's irq into the PLIC's line 10
  await page.getByTestId('tab-irq').click();
  const irq = page.getByTestId('view-irq');
  await irq.locator('.react-flow__controls-fitview').click();
  await dragBetween(page, irq.getByTestId('handle-uart0-out:irq'), irq.getByTestId('handle-plic-in:in'));
  await expect(page.getByTestId('prompt-target-line')).toBeVisible();
  await page.getByTestId('prompt-target-line').selectOption('10');
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('connect-prompt')).toHaveCount(0);
  await expectTicks(page, [true]);
  await page.getByTestId('lesson-next').click();

  // Step 2: the PLIC's meip line 0 into the hart's meip
  await expect(page.getByTestId('lesson-step-title')).toHaveText('Step 2 of 4: The PLIC into the hart');
  await expectTicks(page, [false]);
  await irq.locator('.react-flow__controls-fitview').click();
  await dragBetween(page, irq.getByTestId('handle-plic-out:meip'), irq.getByTestId('handle-cpu0-in:meip'));
  // one hart, one context: the drag wires meip[0] without asking which line
  await expect(irq.getByRole('group', { name: 'IRQ wire plic.meip[0] → cpu0.meip' })).toBeVisible();
  await expect(page.getByTestId('connect-prompt')).toHaveCount(0);
  await expectTicks(page, [true]);
  await page.screenshot({ path: testInfo.outputPath('2-wired.png') });
  await page.getByTestId('lesson-next').click();

  // Step 3: the handler claims and reads, but neither echoes nor completes: the student adds both
  await expect(page.getByTestId('lesson-step-title')).toHaveText('Step 3 of 4: Finish the interrupt handler');
  await expect(page.getByTestId('run-state')).toHaveText('running (idle)');
  await expectTicks(page, [false, false]);
  await page.getByTestId('tab-document').click();
  await page.getByTestId('source-tab-main.s').click();
  const editor = page.getByTestId('source-editor');
  await expect(editor).toContainText('Lesson: a UART echo with an interrupt handler.');
  await editor.click();
  await toEndOfLine(page, 60); // "# TODO step 3: echo it: …" (the editor scrolls it into view)
  await expect(editor).toContainText('TODO step 3: echo it');
  await page.keyboard.press('Enter');
  await page.keyboard.type('sb t3, UART_THR(t2)');
  await toEndOfLine(page, 63); // "5:  # TODO step 3: complete: …", a line further down now
  await page.keyboard.press('Enter');
  await page.keyboard.type('    sw t1, 0(t0)');
  await page.keyboard.press('ControlOrMeta+Enter');
  await expect.poll(() => terminalText(page)).toContain("echo: type something, 'q' quits");
  await page.screenshot({ path: testInfo.outputPath('3-typed.png') });
  await page.getByTestId('tab-lesson').click();
  await expectTicks(page, [false, false]);
  await page.getByTestId('terminal').click();
  await page.keyboard.type('hello');
  await expect.poll(() => terminalText(page)).toContain('hello');
  await page.keyboard.press('Enter');
  await expectTicks(page, [true, true]);
  await page.screenshot({ path: testInfo.outputPath('4-echoed.png') });
  await page.getByTestId('lesson-next').click();

  // Step 4: q ends the program
  await expect(page.getByTestId('lesson-step-title')).toHaveText('Step 4 of 4: Quit');
  await expectTicks(page, [false]);
  await page.getByTestId('terminal').click();
  await page.keyboard.type('q');
  await expect(page.getByTestId('run-state')).toHaveText('halted: pass');
  await expect.poll(() => terminalText(page)).toContain('bye');
  await expectTicks(page, [true]);
  for (let step = 1; step <= 4; step++) await expect(page.getByTestId(`lesson-step-${step}`)).toHaveText('✓');
  await page.screenshot({ path: testInfo.outputPath('5-done.png') });
  expect(errors).toEqual([]);
});
