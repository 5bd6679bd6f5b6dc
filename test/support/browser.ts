import { existsSync } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';

/** Debian's Chromium (`apt-get install chromium`), which the browser tests drive; playwright downloads no browser. */
export const CHROMIUM = process.env['AMBIENT_BENCH_CHROMIUM'] ?? '/usr/bin/chromium';

/** Without Chromium, browser tests are skipped on a developer's machine, and fail in CI (CI=true). */
export const skipWithoutBrowser = !existsSync(CHROMIUM) && process.env['CI'] !== 'true';

/** What to do when Chromium is missing. */
export const MISSING_BROWSER = `the browser tests need Chromium at ${CHROMIUM} (Debian: apt-get install -y chromium; .ci/run installs it), or AMBIENT_BENCH_CHROMIUM naming another`;

/** Whether the browser the tests drive is installed. */
export const hasBrowser = (): boolean => existsSync(CHROMIUM);

/** Starts headless Chromium, or fails saying how to install it. */
export async function launchChromium(): Promise<Browser> {
  if (!hasBrowser()) throw new Error(MISSING_BROWSER);
  return chromium.launch({ executablePath: CHROMIUM });
}
