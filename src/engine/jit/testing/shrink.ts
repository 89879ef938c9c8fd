// Shrinking a failing generated program (both ISAs' property tests): statements are left out,
// halves first, then quarters… then one at a time, keeping every leaving-out that still fails.
// A program generated with statements dropped still draws their random numbers, so the rest of it
// is what it was.

/** What a generator returns: how many statements the program has and which were left out. */
export interface ShrinkableProgram {
  statements: number;
  dropped: ReadonlySet<number>;
}

/**
 * The smallest failing program found within `attempts` tries, and its failure; undefined when the
 * full program passes. `generate(drop)` makes the program without the statements in `drop`;
 * `fails` runs one and says how it failed (undefined: it passed).
 */
export function shrinkProgram<P extends ShrinkableProgram>(generate: (drop?: ReadonlySet<number>) => P, fails: (program: P) => string | undefined, attempts: number): { program: P; failure: string } | undefined {
  let best = generate();
  let failure = fails(best);
  if (failure === undefined) return undefined;
  const total = best.statements;
  let tried = 0;
  for (let chunk = Math.max(1, total >> 1); chunk >= 1 && tried < attempts; chunk = chunk === 1 ? 0 : chunk >> 1) {
    for (let start = 0; start < total && tried < attempts; start += chunk) {
      const drop = new Set(best.dropped);
      for (let i = start; i < Math.min(total, start + chunk); i++) drop.add(i);
      if (drop.size === best.dropped.size) continue;
      tried++;
      const candidate = generate(drop);
      const candidateFailure = fails(candidate);
      if (candidateFailure !== undefined) {
        best = candidate;
        failure = candidateFailure;
      }
    }
  }
  return { program: best, failure };
}
