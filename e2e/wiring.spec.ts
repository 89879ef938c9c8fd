// Issue #10, point 3 and the graph parts of points 5 and 8: a board built from scratch gets the
// addresses and IRQ lines its firmware expects (QEMU virt's, proposed at the drop), a wire a
// device never raises is never offered, a wire that probably does not do what was meant is a
// warning, wires and mappings are selected, edited and deleted with the mouse and the keyboard,
// dropped nodes never cover each other and the view stays readable.
import { expect, test, type Locator, type Page } from '@playwright/test';
import { designDocument, dragBetween, dropFromPalette, firmwareFile, GREETING, openBoardFile, openDesigner, openFirmware, settledBox, terminalText, waitForGreeting } from './helpers';
import { delayEmulator, holdLayouts, releaseLayoutsOnClick, slowWorkers } from './slow-workers';

// Each test takes 15–25 s on an idle 2-core machine; room for a loaded one.
test.describe.configure({ timeout: 90_000 });

type Box = { x: number; y: number; width: number; height: number };

/** A 200 px node drawn narrower than this is too small to read. */
const READABLE_WIDTH = 100;

const intersect = (a: Box, b: Box) => a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;

/** The boxes of `locators` once they have settled: none covers another, each readable. */
async function expectApartAndReadable(page: Page, locators: Locator[]): Promise<Box[]> {
  // Read them all until two reads agree (layout and fits run asynchronously).
  let boxes: Box[] = [];
  for (let i = 0; i < 30; i++) {
    const now = await Promise.all(locators.map(async (l) => (await l.boundingBox()) ?? { x: NaN, y: NaN, width: 0, height: 0 }));
    if (JSON.stringify(now) === JSON.stringify(boxes)) break;
    boxes = now;
    await page.waitForTimeout(100);
  }
  for (let i = 0; i < boxes.length; i++) {
    expect(boxes[i].width, `node ${i} is drawn ${boxes[i].width} px wide`).toBeGreaterThanOrEqual(READABLE_WIDTH);
    for (let j = i + 1; j < boxes.length; j++) expect(intersect(boxes[i], boxes[j]), `nodes ${i} and ${j} overlap: ${JSON.stringify([boxes[i], boxes[j]])}`).toBe(false);
  }
  return boxes;
}

/** The node is drawn wholly inside the view (once layout and fits have settled). */
async function expectInside(page: Page, view: Locator, node: Locator): Promise<void> {
  await expect(async () => {
    const outer = (await view.boundingBox())!;
    const box = await settledBox(page, node);
    const inside = box.x >= outer.x - 1 && box.y >= outer.y - 1 && box.x + box.width <= outer.x + outer.width + 1 && box.y + box.height <= outer.y + outer.height + 1;
    expect(inside, `${node} at ${JSON.stringify(box)} is out of sight of ${JSON.stringify(outer)}`).toBe(true);
  }).toPass({ timeout: 5000 });
}

/** Clicks a wire or mapping where it is drawn: a point `fraction` of the way along its path. */
async function clickEdge(page: Page, edge: Locator, fraction = 0.8): Promise<void> {
  await settledBox(page, edge);
  const point = await edge.locator('path.react-flow__edge-path').evaluate((path: SVGPathElement, f) => {
    const p = path.getPointAtLength(path.getTotalLength() * f);
    const m = path.getScreenCTM()!;
    return { x: p.x * m.a + p.y * m.c + m.e, y: p.x * m.b + p.y * m.d + m.f };
  }, fraction);
  await page.mouse.click(point.x, point.y);
}

/** Presses Tab until the focused element matches `selector` (a keyboard user walking the page). */
async function tabTo(page: Page, selector: string, limit = 120): Promise<void> {
  for (let i = 0; i < limit; i++) {
    await page.keyboard.press('Tab');
    if (await page.evaluate((s) => document.activeElement?.matches(s) ?? false, selector)) return;
  }
  throw new Error(`Tab never reached ${selector}`);
}

const focusedLabel = (page: Page) => page.evaluate(() => document.activeElement?.getAttribute('aria-label') ?? '');

/** The CPU's scale in a view's transform ("translate(…) scale(0.8)"). */
async function zoomOf(view: Locator): Promise<number> {
  const style = (await view.locator('.react-flow__viewport').getAttribute('style')) ?? '';
  return Number(/scale\(([\d.]+)\)/.exec(style)?.[1] ?? NaN);
}

/** A board with two UARTs on the PLIC (lines 10 and 11), the PLIC into the hart, and the hello firmware. */
const wiredBoard = {
  boardlab: 1,
  name: 'wired',
  objects: {
    cpu0: { type: 'rv32' },
    ram: { type: 'ram', props: { size: '16M' } },
    uart0: { type: 'ns16550a' },
    uart1: { type: 'ns16550a' },
    plic: { type: 'plic' },
    test: { type: 'sifive-test' },
  },
  memory: [
    { map: 'test.regs', at: '0x100000' },
    { map: 'plic.regs', at: '0xc000000' },
    { map: 'uart0.regs', at: '0x10000000' },
    { map: 'uart1.regs', at: '0x10001000' },
    { map: 'ram.mem', at: '0x80000000' },
  ],
  irqs: [
    { from: 'uart0.irq', to: 'plic.in[10]' },
    { from: 'uart1.irq', to: 'plic.in[11]' },
    { from: 'plic.meip', to: 'cpu0.meip' },
  ],
  images: [{ cpu: 'cpu0', file: 'firmware/hello.elf' }],
};

test("a board built from scratch is offered QEMU virt's addresses and IRQ lines; dropped nodes never cover each other", async ({ page }, testInfo) => {
  const { errors } = await openDesigner(page);
  await page.getByTestId('new-board').selectOption('empty');
  await expect(page.getByTestId('board-title')).toContainText('untitled');
  await page.getByTestId('tab-composition').click();
  const composition = page.getByTestId('view-composition');
  await expect(composition).toBeVisible();

  // five types dropped on (nearly) the same spot each land at the nearest free one
  const types = [
    ['rv32', 'cpu0'],
    ['ram', 'ram'],
    ['ns16550a', 'uart0'],
    ['plic', 'plic'],
    ['sifive-test', 'test'],
  ];
  for (const [i, [type, name]] of types.entries()) {
    await dropFromPalette(page, type, 'composition', 240 + 6 * i, 160 + 6 * i);
    await expect(composition.getByTestId(`composition-node-${name}`)).toBeVisible();
  }
  await expectApartAndReadable(page, [...types.map(([, name]) => composition.getByTestId(`composition-node-${name}`)), composition.getByTestId('composition-node-untitled')]);
  await page.getByTestId('board-graph').screenshot({ path: testInfo.outputPath('composition-after-drops.png') });

  // the memory map: each drag from the bus proposes where QEMU virt maps that kind of device
  await page.getByTestId('tab-memory').click();
  const memory = page.getByTestId('view-memory');
  const bus = memory.getByTestId('handle-system bus-out:map');
  const prompt = page.getByTestId('connect-prompt');
  await dragBetween(page, bus, memory.getByTestId('handle-ram.mem-in:map'));
  await expect(page.getByTestId('prompt-address')).toHaveValue('0x80000000');
  await expect(page.getByTestId('prompt-reason')).toHaveText("QEMU virt's ram address");
  await page.keyboard.press('Enter');
  await expect(memory.getByTestId('memory-node-ram.mem')).toContainText('0x80000000 – 0x87ffffff');

  // a typed address is checked: junk and overlaps are refused with a reason and nothing is mapped
  await dragBetween(page, bus, memory.getByTestId('handle-uart0.regs-in:map'));
  await expect(page.getByTestId('prompt-address')).toHaveValue('0x10000000');
  await expect(page.getByTestId('prompt-reason')).toHaveText("QEMU virt's uart0 address");
  await page.keyboard.type('0xZZ');
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('prompt-error')).toHaveText('"0xZZ" is not an address: write it in hex (0x10000000) or in decimal');
  await page.getByTestId('prompt-address').fill('0x80000100');
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('prompt-error')).toContainText('overlaps ram.mem [0x80000000–0x87ffffff]');
  await page.keyboard.press('Escape');
  await expect(prompt).toHaveCount(0);
  await expect(memory.getByTestId('memory-node-uart0.regs')).toContainText('not mapped');
  await dragBetween(page, bus, memory.getByTestId('handle-uart0.regs-in:map'));
  await expect(page.getByTestId('prompt-address')).toHaveValue('0x10000000');
  await page.keyboard.press('Enter');
  await expect(memory.getByTestId('memory-node-uart0.regs')).toContainText('0x10000000');

  for (const [region, address] of [
    ['plic.regs', '0x0c000000'],
    ['test.regs', '0x00100000'],
  ]) {
    await dragBetween(page, bus, memory.getByTestId(`handle-${region}-in:map`));
    await expect(page.getByTestId('prompt-address')).toHaveValue(address);
    await expect(page.getByTestId('prompt-reason')).toContainText('QEMU virt');
    await page.keyboard.press('Enter');
    await expect(memory.getByTestId(`memory-node-${region}`)).toContainText(address);
  }
  await expect.poll(() => designDocument(page)).toContain('"map": "test.regs",\n      "at": "0x100000"');
  await expectApartAndReadable(page, ['system bus', 'ram.mem', 'uart0.regs', 'plic.regs', 'test.regs'].map((n) => memory.getByTestId(`memory-node-${n}`)));

  // IRQ wiring: the UART into the PLIC asks which line, QEMU virt's 10 preselected, 0 never offered
  await page.getByTestId('tab-irq').click();
  const irq = page.getByTestId('view-irq');
  await dragBetween(page, irq.getByTestId('handle-uart0-out:irq'), irq.getByTestId('handle-plic-in:in'));
  const line = page.getByTestId('prompt-target-line');
  await expect(line).toBeFocused();
  await expect(line).toHaveValue('10');
  await expect(page.getByTestId('prompt-reason')).toHaveText('QEMU virt wires uart0.irq → plic.in[10]');
  await expect(line.locator('option')).toHaveCount(96);
  await expect(line.locator('option[value="0"]')).toHaveCount(0);
  await expect(line.locator('option').first()).toHaveAttribute('value', '1');
  await expect(page.getByTestId('prompt-reserved')).toContainText('PLIC source 0 is reserved');
  await page.screenshot({ path: testInfo.outputPath('irq-line-prompt.png') });
  await page.keyboard.press('Enter');
  await expect.poll(() => designDocument(page)).toContain('"to": "plic.in[10]"');
  await expect(irq.locator('.irq-line--target')).toHaveText('10');

  // the PLIC's single meip line into the hart needs no question
  await dragBetween(page, irq.getByTestId('handle-plic-out:meip'), irq.getByTestId('handle-cpu0-in:meip'));
  await expect.poll(() => designDocument(page)).toContain('"from": "plic.meip",\n      "to": "cpu0.meip"');
  await expect(prompt).toHaveCount(0);
  await expect(page.getByTestId('problem-count')).toHaveText('0');
  await expect(page.getByTestId('warning-count')).toHaveCount(0);
  await expectApartAndReadable(page, ['cpu0', 'uart0', 'plic'].map((n) => irq.getByTestId(`irq-node-${n}`)));
  await page.getByTestId('board-graph').screenshot({ path: testInfo.outputPath('irq-wired.png') });
  expect(errors).toEqual([]);
});

test('a UART wired straight into the hart is a warning on the wire, the nodes and the Problems list; the board still runs', async ({ page }) => {
  const { errors } = await openDesigner(page);
  await page.getByTestId('new-board').selectOption('empty');
  await expect(page.getByTestId('board-title')).toContainText('untitled');
  await page.getByTestId('tab-composition').click();
  const composition = page.getByTestId('view-composition');
  // "+" adds land in sight, at free spots
  for (const [type, name] of [
    ['rv32', 'cpu0'],
    ['ram', 'ram'],
    ['ns16550a', 'uart0'],
    ['sifive-test', 'test'],
  ]) {
    await page.getByTestId(`palette-add-${type}`).click();
    await expectInside(page, composition, composition.getByTestId(`composition-node-${name}`));
  }
  await expectApartAndReadable(page, ['cpu0', 'ram', 'uart0', 'test', 'untitled'].map((n) => composition.getByTestId(`composition-node-${n}`)));

  await page.getByTestId('tab-irq').click();
  const irq = page.getByTestId('view-irq');
  await dragBetween(page, irq.getByTestId('handle-uart0-out:irq'), irq.getByTestId('handle-cpu0-in:meip'));
  await expect.poll(() => designDocument(page)).toContain('"to": "cpu0.meip"');
  const message = 'cpu0.meip is meant to be driven by an interrupt controller, but uart0.irq (ns16550a) drives it';
  await expect(page.getByTestId('warning-count')).toHaveText('⚠ 1');
  await expect(page.getByTestId('warning-message')).toHaveText(message);
  await expect(page.getByTestId('warning-pointer')).toHaveText('/irqs/0/to');
  await expect(irq.getByTestId('irq-node-cpu0').getByTestId('node-warning')).toContainText('meant to be driven by an interrupt controller');
  await expect(irq.getByTestId('irq-node-uart0').getByTestId('node-warning')).toBeVisible();
  await expect(irq.locator('.react-flow__edge.board-edge--warning')).toHaveCount(1);
  // a click on the warning selects the wire, whose inspector says it too
  await page.getByTestId('warning').click();
  await expect(page.getByTestId('edge-inspector-summary')).toContainText('uart0.irq → cpu0.meip');
  await expect(page.getByTestId('edge-warning')).toContainText(message);

  // warnings never stop a board: map what hello needs and run it, the warning still shown
  await page.getByTestId('tab-memory').click();
  const memory = page.getByTestId('view-memory');
  for (const region of ['ram.mem', 'uart0.regs', 'test.regs']) {
    await dragBetween(page, memory.getByTestId('handle-system bus-out:map'), memory.getByTestId(`handle-${region}-in:map`));
    await page.getByTestId('prompt-address').press('Enter');
    await expect(memory.getByTestId(`memory-node-${region}`)).not.toContainText('not mapped');
  }
  await openFirmware(page, 'hello.elf', firmwareFile('hello.elf'));
  await waitForGreeting(page);
  expect(await terminalText(page)).toContain(GREETING);
  await expect(page.getByTestId('problem-count')).toHaveText('0');
  await expect(page.getByTestId('warning-count')).toHaveText('⚠ 1');
  expect(errors).toEqual([]);
});

test('wires and mappings are selected by click and keyboard, edited in the inspector, deleted with Delete, and undone', async ({ page }) => {
  const { errors } = await openDesigner(page);
  await openBoardFile(page, 'wired.board.json', JSON.stringify(wiredBoard, null, 2));
  await expect(page.getByTestId('board-title')).toContainText('wired');
  await waitForGreeting(page);
  await page.getByTestId('tab-irq').click();
  const irq = page.getByTestId('view-irq');

  // click a wire: the inspector shows its ends and line; the line is changed there
  await clickEdge(page, irq.getByRole('group', { name: 'IRQ wire uart0.irq → plic.in[10]' }), 0.5);
  await expect(page.getByTestId('edge-inspector-summary')).toContainText('IRQ wire · uart0.irq → plic.in[10]');
  await expect(page.getByTestId('wire-from')).toHaveValue('uart0.irq');
  await expect(page.getByTestId('wire-to')).toHaveValue('plic.in[10]');
  const line = page.getByTestId('wire-line');
  await expect(line).toHaveValue('10');
  await expect(line.locator('option[value="0"]')).toHaveCount(0); // never raised
  await expect(line.locator('option[value="11"]')).toHaveCount(0); // driven by uart1
  await line.selectOption('12');
  await expect.poll(() => designDocument(page)).toContain('"to": "plic.in[12]"');
  await expect(page.getByTestId('wire-to')).toHaveValue('plic.in[12]');
  await expect(irq.getByRole('group', { name: 'IRQ wire uart0.irq → plic.in[12]' })).toHaveClass(/selected/);

  // the keyboard: Tab to a wire, arrows to the next, Enter selects it, Delete deletes it
  await page.getByTestId('tab-irq').focus();
  await tabTo(page, '[data-testid="view-irq"] .react-flow__edge');
  for (let i = 0; i < 4 && !(await focusedLabel(page)).includes('uart1.irq'); i++) await page.keyboard.press('ArrowDown');
  expect(await focusedLabel(page)).toBe('IRQ wire uart1.irq → plic.in[11]');
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('edge-inspector-summary')).toContainText('uart1.irq → plic.in[11]');
  await page.keyboard.press('Delete');
  await expect.poll(() => designDocument(page)).not.toContain('uart1.irq');
  await expect(irq.getByRole('group', { name: /uart1\.irq/ })).toHaveCount(0);
  await page.keyboard.press('ControlOrMeta+Z');
  await expect.poll(() => designDocument(page)).toContain('"to": "plic.in[11]"');
  await expect(irq.getByRole('group', { name: 'IRQ wire uart1.irq → plic.in[11]' })).toBeVisible();

  // a mapping: click it, move it (an overlap is refused and stays shown), delete it with the button, undo
  await page.getByTestId('tab-memory').click();
  const memory = page.getByTestId('view-memory');
  await clickEdge(page, memory.getByRole('group', { name: 'mapping of uart1.regs at 0x10001000' }), 0.85);
  await expect(page.getByTestId('mapping-region')).toHaveText('uart1.regs');
  await expect(page.getByTestId('mapping-size')).toHaveText('256 B');
  const address = page.getByTestId('mapping-address');
  await expect(address).toHaveValue('0x10001000');
  await address.fill('0x10000080');
  await address.press('Enter');
  await expect(page.getByTestId('mapping-address-error')).toContainText('overlaps uart0.regs [0x10000000–0x100000ff]');
  await expect(address).toHaveValue('0x10000080');
  await expect.poll(() => designDocument(page)).toContain('"at": "0x10001000"');
  await address.fill('0x10002000');
  await address.press('Enter');
  await expect(memory.getByTestId('memory-node-uart1.regs')).toContainText('0x10002000');
  await expect.poll(() => designDocument(page)).toContain('"map": "uart1.regs",\n      "at": "0x10002000"');
  await page.getByTestId('edge-delete').click();
  await expect(memory.getByTestId('memory-node-uart1.regs')).toContainText('not mapped');
  await page.keyboard.press('ControlOrMeta+Z');
  await expect(memory.getByTestId('memory-node-uart1.regs')).toContainText('0x10002000');
  expect(errors).toEqual([]);
});

test('with the keyboard only: nodes show focus and have names, and the inspector connects a port with the proposed line', async ({ page }) => {
  const { errors } = await openDesigner(page);
  const unwired = { ...wiredBoard, name: 'unwired', memory: wiredBoard.memory.filter((m) => m.map !== 'uart0.regs'), irqs: [], images: [] };
  await openBoardFile(page, 'unwired.board.json', JSON.stringify(unwired, null, 2));
  await expect(page.getByTestId('board-title')).toContainText('unwired');
  await page.getByTestId('tab-irq').click();
  await expect(page.getByTestId('irq-node-uart0')).toBeVisible();

  await page.getByTestId('tab-irq').focus();
  await tabTo(page, '[data-testid="view-irq"] .react-flow__node');
  expect(await focusedLabel(page)).toMatch(/^(cpu0, rv32|uart0, ns16550a|uart1, ns16550a|plic, plic)$/);
  // a visible ring around the focused node
  const ring = await page.evaluate(() => getComputedStyle(document.activeElement!.querySelector('.view-node')!).boxShadow);
  expect(ring).toContain('rgb(255, 255, 255)');
  for (let i = 0; i < 5 && (await focusedLabel(page)) !== 'uart0, ns16550a'; i++) await page.keyboard.press('ArrowDown');
  expect(await focusedLabel(page)).toBe('uart0, ns16550a');
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('inspector-type')).toContainText('ns16550a · uart0');

  // map its registers from the inspector: the same proposal as a drag from the bus
  await tabTo(page, '[data-testid="map-regs"]');
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('prompt-address')).toBeFocused();
  await expect(page.getByTestId('prompt-address')).toHaveValue('0x10000000');
  await page.keyboard.press('Enter');
  await expect.poll(() => designDocument(page)).toContain('"map": "uart0.regs",\n      "at": "0x10000000"');

  // wire its IRQ output: pick the PLIC's input, Enter; the line prompt proposes 10
  await tabTo(page, '[data-testid="connect-irq-irq"]');
  await page.getByTestId('connect-irq-irq').selectOption({ label: 'plic.in' });
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('prompt-target-line')).toBeFocused();
  await expect(page.getByTestId('prompt-target-line')).toHaveValue('10');
  await page.keyboard.press('Enter');
  await expect.poll(() => designDocument(page)).toContain('"from": "uart0.irq",\n      "to": "plic.in[10]"');
  await expect(page.getByTestId('port-irq-irq-wired')).toHaveText('→ plic.in[10]');
  expect(errors).toEqual([]);
});

test('edits keep the zoom and place of what is shown, a smaller window refits the view, and IRQ line numbers never cover each other', async ({ page }) => {
  const { errors } = await openDesigner(page);
  await page.getByTestId('tab-composition').click();
  const composition = page.getByTestId('view-composition');
  const names = ['hello', 'cpu0', 'ram', 'uart0', 'test'];
  await expectApartAndReadable(page, names.map((n) => composition.getByTestId(`composition-node-${n}`)));

  // a smaller window: the view refits so the whole board is in sight again
  await page.setViewportSize({ width: 1024, height: 700 });
  for (const name of names) await expectInside(page, composition, composition.getByTestId(`composition-node-${name}`));
  await page.setViewportSize({ width: 1440, height: 900 });

  // the uart-bank example: three UARTs meet at plic.in, four wires run side by side into the hart;
  // in the overview every wire's label is clear of the others, in the IRQ view the line numbers
  await page.locator('.examples select').selectOption('uart-bank.board.json');
  await expect(page.getByTestId('board-title')).toContainText('uart-bank');
  await page.getByTestId('tab-overview').click();
  const overview = page.getByTestId('board-graph');
  await expect(overview.locator('.wire-label')).toHaveCount(7);
  const wires = await expectApartAndReadableChips(page, overview.locator('.wire-label'));
  expect(wires.sort()).toEqual(['irq → in[10]', 'irq → in[11]', 'irq → in[12]', 'meip → meip', 'msip → msip', 'mtip → mtip', 'seip → seip']);
  await page.getByTestId('tab-irq').click();
  const irq = page.getByTestId('view-irq');
  await expect(irq.locator('.irq-line')).toHaveCount(3);
  await expect(irq.locator('.react-flow__edge-text')).toHaveCount(0);
  const chips = await expectApartAndReadableChips(page, irq.locator('.irq-line'));
  expect(chips.sort()).toEqual(['10', '11', '12']);

  // wiring keeps the zoom and where every node is
  const zoom = await zoomOf(irq);
  const plic = await settledBox(page, irq.getByTestId('irq-node-plic'));
  await dragBetween(page, irq.getByTestId('handle-bank/uart2-out:irq'), irq.getByTestId('handle-plic-in:in'));
  await expect(page.getByTestId('prompt-target-line')).toHaveValue('1');
  await expect(page.getByTestId('prompt-reason')).toHaveText('the lowest free line (QEMU virt wires uart0.irq → plic.in[10], but line 10 is taken)');
  await page.keyboard.press('Enter');
  await expect(irq.locator('.irq-line')).toHaveCount(4);
  expect(await zoomOf(irq)).toBe(zoom);
  expect(await settledBox(page, irq.getByTestId('irq-node-plic'))).toEqual(plic);
  expect((await expectApartAndReadableChips(page, irq.locator('.irq-line'))).sort()).toEqual(['1', '10', '11', '12']);
  expect(errors).toEqual([]);
});

test('another board opened while a view shows is fitted into sight as a whole, not drawn where the last board was', async ({ page }) => {
  const { errors } = await openDesigner(page);
  await page.getByTestId('tab-composition').click();
  const composition = page.getByTestId('view-composition');
  await expectApartAndReadable(page, ['hello', 'cpu0', 'ram'].map((n) => composition.getByTestId(`composition-node-${n}`)));
  // uart-bank shares cpu0, ram, uart0 and test with hello, but it is another board: a fresh fit
  await page.locator('.examples select').selectOption('uart-bank.board.json');
  await expect(page.getByTestId('board-title')).toContainText('uart-bank');
  for (const name of ['uart-bank', 'cpu0', 'ram', 'bank']) await expectInside(page, composition, composition.getByTestId(`composition-node-${name}`));
  expect(await zoomOf(composition)).toBeGreaterThanOrEqual(0.7);
  // it fits at a readable zoom, so every node of it is in sight, the right and bottom ones too (a fit
  // made before React Flow had measured the new nodes took them for points and cut those off)
  await expect(composition).toHaveAttribute('aria-busy', 'false');
  const nodes = composition.locator('.react-flow__node');
  expect(await nodes.count()).toBeGreaterThanOrEqual(8);
  for (const node of await nodes.all()) await expectInside(page, composition, node);
  expect(errors).toEqual([]);
});

test('"+" pressed while a view is still laying out its board adds the objects in sight, apart, once the view is drawn', async ({ page }) => {
  // A loaded machine: the layout is late, and the board with the new object reaches the view later still.
  await slowWorkers(page);
  const { errors } = await openDesigner(page);
  await page.getByTestId('new-board').selectOption('empty');
  await expect(page.getByTestId('board-title')).toContainText('untitled');
  await holdLayouts(page);
  await page.getByTestId('tab-composition').click();
  await expect(page.getByTestId('board-graph').getByText('laying out untitled')).toHaveAttribute('aria-busy', 'true');
  // both edits (boards that load, so they go through the emulator) reach the view only after it has
  // been laid out and fitted with the board as it was: before, the objects went where the layout
  // put them, right of the board's node, out of sight (CI: "cpu0 … is out of sight")
  await delayEmulator(page, 1500);
  await releaseLayoutsOnClick(page, 'palette-add-sifive-test');
  await page.getByTestId('palette-add-ram').click();
  await page.getByTestId('palette-add-sifive-test').click();
  const composition = page.getByTestId('view-composition');
  await expect(composition.getByTestId('composition-node-test')).toBeVisible();
  await delayEmulator(page, 0);
  for (const name of ['untitled', 'ram', 'test']) await expectInside(page, composition, composition.getByTestId(`composition-node-${name}`));
  await expectApartAndReadable(page, ['untitled', 'ram', 'test'].map((n) => composition.getByTestId(`composition-node-${n}`)));
  expect(errors).toEqual([]);
});

/** Labels drawn in a view: none covers another. Returns their texts. */
async function expectApartAndReadableChips(page: Page, chips: Locator): Promise<string[]> {
  await page.waitForTimeout(300);
  const found = await chips.evaluateAll((elements) => elements.map((e) => ({ text: e.textContent ?? '', ...e.getBoundingClientRect().toJSON() })));
  for (let i = 0; i < found.length; i++) for (let j = i + 1; j < found.length; j++) expect(intersect(found[i], found[j]), `line labels ${found[i].text} and ${found[j].text} overlap`).toBe(false);
  return found.map((f) => f.text);
}
