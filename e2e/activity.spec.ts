import { expect, test, type Page } from '@playwright/test';
import { openDesigner, terminalText } from './helpers';

// Live activity on the graphs: IRQ edges light while their line is high, memory mapping edges pulse
// while the CPU touches their region. The echo example sleeps in WFI until a key arrives; the key
// raises the UART's interrupt (PLIC source 10), the PLIC raises the hart's meip, and the handler
// reads the UART (MMIO) while running from RAM.

/**
 * Starts recording, every animation frame, which activity edges show active: "<view> <kind>
 * <source> -> <target>" (view: the designer view's test id, or "overview"). A lit IRQ wire may
 * show for only a fraction of a second; the page's own frame loop does not miss it.
 */
async function recordActiveEdges(page: Page): Promise<void> {
  await page.evaluate(() => {
    const w = window as unknown as { activeEdges: Set<string>; recordingEdges?: boolean };
    w.activeEdges = new Set();
    if (w.recordingEdges) return;
    w.recordingEdges = true;
    const tick = () => {
      for (const edge of document.querySelectorAll('.edge-activity[data-active="true"]')) {
        const view = edge.closest('[data-testid^="view-"]')?.getAttribute('data-testid') ?? 'overview';
        const kind = edge.classList.contains('edge-activity--irq') ? 'irq' : 'mapping';
        w.activeEdges.add(`${view} ${kind} ${edge.getAttribute('data-source')} -> ${edge.getAttribute('data-target')}`);
      }
      requestAnimationFrame(tick);
    };
    requestAnimationFrame(tick);
  });
}

function activeEdges(page: Page): Promise<string[]> {
  return page.evaluate(() => [...(window as unknown as { activeEdges: Set<string> }).activeEdges]);
}

async function openEcho(page: Page): Promise<void> {
  await page.locator('.examples select').selectOption('echo.board.json');
  await expect(page.getByTestId('board-title')).toContainText('echo');
  await expect.poll(() => terminalText(page)).toContain("'q' quits");
  await expect(page.getByTestId('run-state')).toHaveText('running (idle)');
}

test('a key lights the UART and PLIC interrupt wires in the IRQ view and in the overview', async ({ page }) => {
  const { errors } = await openDesigner(page);
  await openEcho(page);

  // Overview: the sleeping guest shows no interrupt; a key lights the UART → PLIC wire.
  const overviewWire = page.getByTestId('board-graph').locator('.edge-activity--irq[data-source="/machine/uart0"][data-target="/machine/plic"]');
  await expect(overviewWire).toHaveAttribute('data-active', 'false');
  await recordActiveEdges(page);
  await page.getByTestId('terminal').click();
  await page.keyboard.type('a');
  await expect.poll(() => terminalText(page)).toContain('a');
  await expect.poll(() => activeEdges(page)).toContain('overview irq /machine/uart0 -> /machine/plic');

  // IRQ view: dark while the guest sleeps, lit when a key arrives, dark again once it was handled.
  await page.getByTestId('tab-irq').click();
  const view = page.getByTestId('view-irq');
  const uartWire = view.locator('.edge-activity--irq[data-source="/machine/uart0"]');
  const meipWire = view.locator('.edge-activity--irq[data-source="/machine/plic"][data-target="/machine/cpu0"]');
  await expect(uartWire).toHaveCount(1);
  await expect(uartWire).toHaveAttribute('data-active', 'false');
  await expect(meipWire.first()).toHaveAttribute('data-active', 'false');
  await recordActiveEdges(page);
  await page.waitForTimeout(500);
  // A line that stays high stays lit: the CLINT's mtip is pending from reset until a guest writes
  // mtimecmp (as on QEMU virt), which the echo never does. Nothing else is high while it sleeps.
  const quiet = (await activeEdges(page)).filter((edge) => edge.startsWith('view-irq'));
  expect(quiet).toEqual(['view-irq irq /machine/clint -> /machine/cpu0']);

  await recordActiveEdges(page);
  await page.getByTestId('terminal').click();
  await page.keyboard.type('b');
  const raised = ['view-irq irq /machine/uart0 -> /machine/plic', 'view-irq irq /machine/plic -> /machine/cpu0'];
  await expect.poll(() => activeEdges(page)).toEqual(expect.arrayContaining(raised));
  // The key raised exactly those two lines.
  expect((await activeEdges(page)).filter((edge) => edge.startsWith('view-irq') && !raised.includes(edge) && !quiet.includes(edge))).toEqual([]);
  await expect(uartWire).toHaveAttribute('data-active', 'false');
  await expect(meipWire.first()).toHaveAttribute('data-active', 'false');
  expect(errors).toEqual([]);
});

test('the RAM and UART mappings pulse in the memory view while the guest runs, and rest while it sleeps', async ({ page }) => {
  const { errors } = await openDesigner(page);
  await openEcho(page);
  await page.getByTestId('tab-memory').click();
  const view = page.getByTestId('view-memory');
  const ram = view.locator('.edge-activity--mapping[data-target="/machine/ram.mem"]');
  const uart = view.locator('.edge-activity--mapping[data-target="/machine/uart0.regs"]');
  await expect(ram).toHaveCount(1);
  await expect(uart).toHaveCount(1);
  // The guest sleeps in WFI: nothing is touched, nothing pulses.
  await expect(view.locator('.edge-activity--mapping[data-active="true"]')).toHaveCount(0);

  await recordActiveEdges(page);
  await page.getByTestId('terminal').click();
  await page.keyboard.type('hello BoardLab', { delay: 40 });
  await expect.poll(() => terminalText(page)).toContain('hello BoardLab');
  await expect.poll(() => activeEdges(page)).toEqual(
    expect.arrayContaining(['view-memory mapping space:system -> /machine/ram.mem', 'view-memory mapping space:system -> /machine/uart0.regs']),
  );
  // Regions the echo never touches do not pulse.
  expect((await activeEdges(page)).filter((edge) => edge.includes('/machine/test.regs'))).toEqual([]);
  // Asleep again: the pulses die away.
  await expect(view.locator('.edge-activity--mapping[data-active="true"]')).toHaveCount(0);
  expect(errors).toEqual([]);
});

for (const [motion, expected] of [
  ['no-preference', 'boardlab-mapping-pulse'],
  ['reduce', 'none'],
] as const) {
  test(`a touched mapping is drawn with animation "${expected}" under prefers-reduced-motion: ${motion}`, async ({ page }) => {
    await page.emulateMedia({ reducedMotion: motion });
    const { errors } = await openDesigner(page);
    await openEcho(page);
    await page.getByTestId('tab-memory').click();
    const ram = page.getByTestId('view-memory').locator('.edge-activity--mapping[data-target="/machine/ram.mem"]');
    await expect(ram).toHaveCount(1);
    await page.getByTestId('terminal').click();
    // The page reads the drawing in the frame the RAM edge shows active; meanwhile keys keep the guest busy.
    let settled = false;
    const drawn = page
      .evaluate(
        () =>
          new Promise<string>((resolve) => {
            const tick = () => {
              const path = document.querySelector('[data-testid="view-memory"] .edge-activity--mapping[data-target="/machine/ram.mem"][data-active="true"] path.react-flow__edge-path');
              if (path) resolve(getComputedStyle(path).animationName);
              else requestAnimationFrame(tick);
            };
            tick();
          }),
      )
      .finally(() => {
        settled = true;
      });
    for (let key = 0; key < 100 && !settled; key++) await page.keyboard.type('x', { delay: 50 });
    const animation = await drawn;
    expect(animation).toBe(expected);
    expect(errors).toEqual([]);
  });
}
