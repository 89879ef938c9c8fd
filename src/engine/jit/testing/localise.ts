// Locating a difference between the tiers inside one run(): the property tests compare after every
// run(), so a failure first names a run of up to thousands of instructions. Replaying the same
// program from the start with the same earlier runs and a smaller budget for the failing one finds
// the smallest budget at which the two sides already differ: the instruction that budget's run
// ends on is the first one the tiers disagree about.

/**
 * The smallest budget in [1, budget] for which `differs` holds, given that it holds for `budget`
 * (bisection: it assumes a run that differs at some budget differs at every larger one, which a
 * state that once differs keeps doing in practice).
 */
export function firstDifferingBudget(budget: number, differs: (budget: number) => boolean): number {
  let low = 0; // differs(low) is false (0: nothing ran)
  let high = budget; // differs(high) is true
  while (high - low > 1) {
    const middle = (low + high) >>> 1;
    if (differs(middle)) high = middle;
    else low = middle;
  }
  return high;
}
