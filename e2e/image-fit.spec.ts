import { expect, test } from '@playwright/test';
import { firmwareFile, openBoardFile, openDesigner, openFirmware, waitForGreeting } from './helpers';

// A board with too little RAM for the hello firmware: the image does not fit where it loads.
const smallRam = JSON.stringify({
  boardlab: 1,
  name: 'tiny',
  objects: {
    cpu0: { type: 'rv32' },
    ram: { type: 'ram', props: { size: '256' } },
    uart0: { type: 'ns16550a' },
    test: { type: 'sifive-test' },
  },
  memory: [
    { map: 'test.regs', at: '0x100000' },
    { map: 'uart0.regs', at: '0x10000000' },
    { map: 'ram.mem', at: '0x80000000' },
  ],
});

test('firmware that does not fit in RAM gives a one-line error naming the address, and the page keeps working', async ({ page }) => {
  const { errors } = await openDesigner(page);
  await waitForGreeting(page);
  await openBoardFile(page, 'tiny.board.json', smallRam);
  await expect(page.getByTestId('board-title')).toContainText('tiny');

  await openFirmware(page, 'hello.elf', firmwareFile('hello.elf'));
  const problem = page.getByTestId('problem');
  await expect(problem).toHaveCount(1);
  const message = problem.getByTestId('problem-message');
  await expect(message).toContainText('does not fit in memory');
  await expect(message).toContainText('needs memory at 0x80000100, where ram.mem ends');
  expect((await message.innerText()).trim().split('\n')).toHaveLength(1);
  expect(errors).toEqual([]);
});
