// RV32 programs that more than one compiling-tier test runs.

/**
 * Two loops on one page. The page is compiled for its first loop; the second loop is entered only
 * through a jump the translator cannot follow (jr), so its entry is found after the page compiled.
 */
export const SECOND_LOOP = `
  .text
_start:
  li t1, 2000
first:
  addi t1, t1, -1
  bnez t1, first
  la t0, second
  li t1, 20000
  jr t0
  wfi
second:
  addi a0, a0, 1
  addi t1, t1, -1
  bnez t1, second
  wfi
`;
