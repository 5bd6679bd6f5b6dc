import fc from 'fast-check';
import { vi } from 'vitest';

/**
 * How much the fuzz suite runs. By default every generator runs a fixed number of cases from a fixed
 * seed, so `npm test` repeats itself; fast-check prints the seed and path of a failing case. To fuzz
 * longer locally:
 *
 *   FUZZ_RUNS=20000 FUZZ_SEED=123 npx vitest run test/fuzz
 *
 * FUZZ_RUNS replaces each generator's default number of cases; FUZZ_SEED replaces the seed (any
 * integer; `FUZZ_SEED=random` takes a new one each run, printed on failure). FUZZ_CLI_RUNS sets the
 * command-line runs per generator of test/fuzz/cli.test.ts. The README's "Fuzz testing" says the same.
 */
const runsFromEnv = Number(process.env['FUZZ_RUNS'] ?? '');
const seedText = process.env['FUZZ_SEED'];

export const FUZZ_SEED: number = seedText === 'random' ? Date.now() % 2 ** 31 : seedText && Number.isInteger(Number(seedText)) ? Number(seedText) : 16_2026;

/** Cases to run for a generator whose default is `runs`. */
export function fuzzRuns(runs: number): number {
  return Number.isInteger(runsFromEnv) && runsFromEnv > 0 ? runsFromEnv : runs;
}

/** fast-check parameters for a generator whose default is `runs` cases. */
export function fuzzParameters<T>(runs: number): fc.Parameters<T> {
  return { numRuns: fuzzRuns(runs), seed: FUZZ_SEED };
}

/** The vitest timeout for a test of `runs` default cases: generous by default, grown with FUZZ_RUNS. */
export function fuzzTimeout(runs: number): number {
  return 60_000 + Math.max(0, fuzzRuns(runs) - runs) * 50;
}

/**
 * A hang guard, not a timing assertion: a case that takes longer than this is reported (with its
 * seed) as a hang. Every case is expected to take milliseconds; the limit leaves room for a loaded machine.
 */
export const HANG_GUARD_MS = 10_000;

/**
 * Catches what a case prints outside its diagnostics (a process warning, console output): the
 * loaders print nothing; what they have to say is a diagnostic, escaped by the renderers.
 */
function watchPrinting(): () => string[] {
  const printed: string[] = [];
  const spies = [
    vi.spyOn(process, 'emitWarning').mockImplementation((w: string | Error) => void printed.push(`process warning: ${String(w)}`)),
    ...(['log', 'warn', 'error'] as const).map((m) => vi.spyOn(console, m).mockImplementation((...a: unknown[]) => void printed.push(`console.${m}: ${a.join(' ')}`))),
  ];
  return () => {
    for (const s of spies) s.mockRestore();
    return printed;
  };
}

function expectNothingPrinted(printed: readonly string[]): void {
  if (printed.length > 0) throw new Error(`the case printed outside its diagnostics: ${printed[0]}`);
}

/** Runs one case; fails it if it printed anything, or as a hang if it ran past the guard. */
export function guarded<T>(run: () => T): T {
  const started = performance.now();
  const stop = watchPrinting();
  let result: T;
  try {
    result = run();
  } catch (e) {
    stop();
    throw e;
  }
  expectNothingPrinted(stop());
  const ms = performance.now() - started;
  if (ms > HANG_GUARD_MS) throw new Error(`the case ran for ${Math.round(ms)} ms, past the ${HANG_GUARD_MS} ms hang guard`);
  return result;
}

/** The same for a case that is a promise. */
export async function guardedAsync<T>(run: () => Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const hang = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`the case did not finish within the ${HANG_GUARD_MS} ms hang guard`)), HANG_GUARD_MS);
  });
  const stop = watchPrinting();
  let result: T;
  try {
    result = await Promise.race([run(), hang]);
  } catch (e) {
    stop();
    throw e;
  } finally {
    clearTimeout(timer);
  }
  expectNothingPrinted(stop());
  return result;
}
