// The CPU contract suite (../contract-suite.ts) on cortex-m3 and cortex-m0, built through the
// module's factories (what the engine registry hands the machine); the programs are the only Thumb here.
import { describeCpuContract, type ContractProgram } from '../contract-suite.ts';
import { AddressSpace } from '../../memory.ts';
import * as A from './asm.ts';
import { Program } from './asm.ts';
import { Exception } from './exceptions.ts';
import { cpus } from './index.ts';
import { CODE, FLASH, FLASH_SIZE, SRAM, SRAM_SIZE, STACK_TOP } from './testing.ts';

/** Nothing is mapped here in the fixture's address space. */
const UNMAPPED = 0x6000_0000;
const NVIC_ISER = 0xe000_e100;

function core(model: string, program: Program, handlers: Record<number, string>): ContractProgram['core'] {
  const space = new AddressSpace('contract');
  space.mapRam('flash', FLASH, new ArrayBuffer(FLASH_SIZE), FLASH_SIZE);
  space.mapRam('sram', SRAM, new ArrayBuffer(SRAM_SIZE), SRAM_SIZE);
  space.writeBytes(CODE, program.bytes());
  const table = new DataView(new ArrayBuffer(4 * 48));
  table.setUint32(0, STACK_TOP, true);
  table.setUint32(4, program.address('start') | 1, true);
  for (const [exception, label] of Object.entries(handlers)) table.setUint32(4 * Number(exception), program.address(label) | 1, true);
  space.writeBytes(0, new Uint8Array(table.buffer));
  const cpu = cpus[model]({ path: '/machine/cpu', props: {}, space });
  cpu.reset();
  return cpu;
}

for (const model of ['cortex-m3', 'cortex-m0']) {
  describeCpuContract(model, {
    interruptPort: 'irq[0]',
    timeCounter: false,
    build(kind): ContractProgram {
      const p = new Program(CODE).label('start');
      switch (kind) {
        case 'count':
          p.label('loop').i(A.addsImm8(0, 1), A.addsImm8(1, 1)).b('loop');
          return { core: core(model, p, {}), loop: [CODE, CODE + 2, CODE + 4] };
        case 'interrupt':
          p.ldrLit(6, 'iser').i(A.movs(7, 1), A.strImm(7, 6, 0), A.cpsie());
          p.label('wait').i(A.wfi()).b('wait');
          p.label('irq').i(A.wfi()).b('irq');
          p.word(NVIC_ISER, 'iser');
          return { core: core(model, p, { [Exception.IRQ0]: 'irq' }), handler: p.address('irq') };
        case 'fault':
          p.ldrLit(6, 'address').i(A.ldrImm(7, 6, 0));
          p.label('wait').b('wait');
          p.label('hard').i(A.wfi()).b('hard');
          p.word(UNMAPPED, 'address');
          return { core: core(model, p, { [Exception.HARD_FAULT]: 'hard' }), faultAddress: UNMAPPED };
        default:
          throw new Error('the Cortex-M cores have no time counter program');
      }
    },
  });
}
