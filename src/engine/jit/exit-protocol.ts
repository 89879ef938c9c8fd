// How compiled code and its core talk, for every architecture's translator.
//
// A compiled unit is one guest page: a wasm function `run(vbase, slot, remaining) → remaining`
// entered at an instruction (its halfword slot in the page) with the run's remaining budget.
// It retires whole blocks only when the budget covers them, and returns the budget left, having
// written the guest pc to continue at into the hart context's NEXT_PC word. Registers live in
// the hart context (a block of the guest arena); compiled code keeps them in wasm locals and
// writes back the ones it changed before it returns and before every call to a core helper
// (helpers may take a trap, whose observers read registers).
//
// Helpers (imported functions) do what compiled code cannot: a load or store outside the RAM
// window, a store into decoded code. A helper that did not complete normally sets the context's
// STATUS word and NEXT_PC, and compiled code returns at once:
//   STATUS_TRAPPED:   the instruction trapped; the hart is at the handler (NEXT_PC); it took a step.
//   STATUS_ATTENTION: the instruction completed, and the core must look at interrupts or a stop
//                     request before the next one (NEXT_PC is the next instruction).

/** Word indices in a hart context shared by the translators (after the architecture's registers). */
export const CTX_NEXT_PC = 96;
export const CTX_STATUS = 97;
/** First word an architecture may use for its own fields (RAM windows). */
export const CTX_ARCH_FIELDS = 98;
/** Bytes of a hart context. */
export const CTX_BYTES = 512;

export const STATUS_OK = 0;
export const STATUS_TRAPPED = 1;
export const STATUS_ATTENTION = 2;

/** Entries into a page before it is compiled (the core's `jitThreshold` option overrides it). */
export const DEFAULT_JIT_THRESHOLD = 200;
