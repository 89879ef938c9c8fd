// The CPU contract suite (../contract-suite.ts) on the rv32 core, built through the module's
// factory (what the engine registry hands the machine); the programs are the only RISC-V here.
import { describeCpuContract, type ContractProgram } from '../contract-suite.ts';
import { AddressSpace } from '../../memory.ts';
import * as A from './asm.ts';
import { Program, Reg } from './asm.ts';
import { Csr, MIP_MTIP, MSTATUS_MIE } from './csr.ts';
import { cpus } from './index.ts';
import { BASE, RAM_SIZE, setMtvec } from './testing.ts';

/** Nothing is mapped here in the fixture's address space. */
const UNMAPPED = 0x1000_0000;

function core(program: Program): ContractProgram['core'] {
  const space = new AddressSpace('contract');
  space.mapRam('ram', BASE, new ArrayBuffer(RAM_SIZE), RAM_SIZE);
  space.writeBytes(BASE, program.bytes());
  return cpus.rv32({ path: '/machine/cpu0', props: { 'hart-id': 0, 'reset-vector': BASE }, space });
}

describeCpuContract('rv32', {
  interruptPort: 'mtip',
  build(kind): ContractProgram {
    const p = new Program(BASE);
    switch (kind) {
      case 'count':
        p.label('loop').i(A.addi(Reg.a0, Reg.a0, 1), A.addi(Reg.a1, Reg.a1, 1)).jal(Reg.zero, 'loop');
        return { core: core(p), loop: [BASE, BASE + 4, BASE + 8] };
      case 'interrupt':
        setMtvec(p);
        p.i(A.li(Reg.t0, MIP_MTIP), A.csrw(Csr.MIE, Reg.t0), A.csrrsi(0, Csr.MSTATUS, MSTATUS_MIE));
        p.label('wait').i(A.wfi()).jal(Reg.zero, 'wait');
        p.label('trap').i(A.wfi()).jal(Reg.zero, 'trap');
        return { core: core(p), handler: p.address('trap') };
      case 'fault':
        setMtvec(p);
        p.i(A.li(Reg.t0, UNMAPPED), A.lw(Reg.t1, Reg.t0, 0));
        p.label('trap').i(A.wfi()).jal(Reg.zero, 'trap');
        return { core: core(p), faultAddress: UNMAPPED };
      case 'time':
        p.i(A.csrr(Reg.a0, Csr.TIME));
        p.label('loop').jal(Reg.zero, 'loop');
        return { core: core(p), timeRegister: Reg.a0 };
    }
  },
});
