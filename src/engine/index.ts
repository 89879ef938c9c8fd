// src/engine: builds and runs resolved boards. No DOM, no React.
export { Machine, MachineError, imageFiles, type MachineExit, type MachineOptions } from './machine.ts';
export type { ConsoleStream } from './cpu/contract.ts';
export { AddressSpace, BusFault, type AccessSize, type MmioHandler } from './memory.ts';
export { type Device } from './devices/device.ts';
export { engineModules } from './registry.ts';
export { type LifecycleState } from './machine.ts';
export { StateError, describeState, loadState, saveState, type SavedState, type StateDescriptor, type Stateful } from './state.ts';
export { describeTrap, faultLine, noFirmwareLine, stuckForGood, type GuestFault, type GuestFaultKind, type HartReport, type HartStatus, type TrapInfo } from './guest-status.ts';
export { type TrapEvent, type TrapListener } from './trap-events.ts';
