import { existsSync } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';

/** Debian's Chromium (`apt-get install chromium`), which the browser tests drive; playwright downloads no browser. */
export const CHROMIUM = process.env['AMBIENT_BENCH_CHROMIUM'] ?? '/usr/bin/chromium';

/** Without Chromium, browser tests are skipped on a developer's machine, and fail in CI (CI=true). */
export const skipWithoutBrowser = !existsSync(CHROMIUM) && process.env['CI'] !== 'true';

/** Starts headless Chromium, or fails saying how to install it. */
export async function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) {
    throw new Error(`the browser tests need Chromium at ${CHROMIUM} (Debian: apt-get install -y chromium; .ci/run installs it), or AMBIENT_BENCH_CHROMIUM naming another`);
  }
  return chromium.launch({ executablePath: CHROMIUM });
}
