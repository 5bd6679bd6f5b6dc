/**
 * Runs one benchmark child process with a time limit, its standard output drained into the sink every
 * child shares (a pipe this process reads, counting lines), and measures wall time and peak RSS.
 */
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const GNU_TIME = '/usr/bin/time';
const TAIL_BYTES = 4096;

export interface ChildSpec {
  /** What the child is, for messages. */
  readonly label: string;
  /** A Node script and its arguments: run as `node <args>`. */
  readonly args: readonly string[];
  readonly timeoutSeconds: number;
  /** Keep the first `keepBytes` bytes of standard output (the rest is only counted). */
  readonly keepBytes?: number;
  /** Hash standard output (SHA-1), to compare two runs' output without keeping it. */
  readonly digest?: boolean;
}

export interface ChildOutcome {
  readonly label: string;
  /** Exited with code 0 within the time limit. */
  readonly ok: boolean;
  readonly exitCode: number | null;
  readonly signal: string | null;
  readonly timedOut: boolean;
  readonly seconds: number;
  /** Peak resident set size in bytes, when the child lived to report it. */
  readonly peakRss?: number;
  /** User plus system CPU seconds, when the child lived to report them. */
  readonly cpuSeconds?: number;
  readonly stdoutBytes: number;
  /** With `digest`: SHA-1 of standard output, hex. */
  readonly stdoutDigest?: string;
  /** Newline-terminated lines of standard output, plus a last unterminated one if any. */
  readonly stdoutLines: number;
  /** The last line of standard output. */
  readonly lastLine: string;
  /** The first `keepBytes` bytes of standard output. */
  readonly head: string;
  readonly stderrTail: string;
}

/** One folder per benchmark process for the children's resource reports, removed at exit. */
let reports: { dir: string; next: number } | undefined;
function reportFile(): string {
  if (!reports) {
    const dir = mkdtempSync(join(tmpdir(), 'ambient-bench-child-'));
    process.on('exit', () => rmSync(dir, { recursive: true, force: true }));
    reports = { dir, next: 0 };
  }
  return join(reports.dir, `report-${reports.next++}`);
}

/** Peak RSS and CPU time come from GNU time when installed, else from a hook that reports `process.resourceUsage()` at exit. */
function measured(spec: ChildSpec): { command: string; args: string[]; rssFile: string } {
  const rssFile = reportFile();
  if (existsSync(GNU_TIME)) return { command: GNU_TIME, args: ['-f', '%U %S %M', '-o', rssFile, process.execPath, ...spec.args], rssFile };
  const hook = `import { writeFileSync } from 'node:fs'; process.on('exit', () => { const u = process.resourceUsage(); writeFileSync(${JSON.stringify(rssFile)}, [u.userCPUTime / 1e6, u.systemCPUTime / 1e6, u.maxRSS].join(' ')); });`;
  return { command: process.execPath, args: [`--import=data:text/javascript,${encodeURIComponent(hook)}`, ...spec.args], rssFile };
}

/** The report's last line is "user system maxRSS-in-KB"; GNU time writes "Command terminated by signal N" above it when the child died of a signal. */
function readReport(file: string): { peakRss?: number; cpuSeconds?: number; signal?: string } {
  if (!existsSync(file)) return {};
  const text = readFileSync(file, 'utf8').trim();
  const figures = (text.split('\n').pop() ?? '').trim().split(/\s+/).map(Number);
  const [user, system, kb] = figures;
  const signal = /terminated by signal (\d+)/.exec(text)?.[1];
  return {
    ...(figures.length === 3 && figures.every(Number.isFinite) ? { peakRss: (kb as number) * 1024, cpuSeconds: (user as number) + (system as number) } : {}),
    ...(signal !== undefined ? { signal: `signal ${signal}` } : {}),
  };
}

/** Process groups of the children still running: an interrupted benchmark takes them down with it. */
const running = new Set<number>();
const killGroup = (pid: number): void => {
  try {
    process.kill(-pid, 'SIGKILL');
  } catch {
    // The group has already exited.
  }
};
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    for (const pid of running) killGroup(pid);
    process.exit(130);
  });
}

/** Runs the child to its end, or kills its whole process group at the time limit; never rejects for the child's failure. */
export function runChild(spec: ChildSpec): Promise<ChildOutcome> {
  const { command, args, rssFile } = measured(spec);
  const keep = spec.keepBytes ?? 0;
  const started = performance.now();
  const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  let bytes = 0;
  let newlines = 0;
  let head = '';
  let lastLine: Buffer = Buffer.alloc(0);
  let pending: Buffer[] = [];
  let stderr = Buffer.alloc(0);
  let timedOut = false;
  const hash = spec.digest ? createHash('sha1') : undefined;
  child.stdout.on('data', (chunk: Buffer) => {
    bytes += chunk.length;
    hash?.update(chunk);
    for (let i = chunk.indexOf(10); i !== -1; i = chunk.indexOf(10, i + 1)) newlines++;
    if (head.length < keep) head += chunk.toString('utf8', 0, Math.min(chunk.length, keep - head.length));
    // The last complete line, however long (a summary line can carry every diagnostic), and what follows it.
    const end = chunk.lastIndexOf(10);
    if (end === -1) {
      pending.push(chunk);
      return;
    }
    const start = end === 0 ? -1 : chunk.lastIndexOf(10, end - 1);
    lastLine = start === -1 ? Buffer.concat([...pending, chunk.subarray(0, end)]) : chunk.subarray(start + 1, end);
    pending = end + 1 < chunk.length ? [chunk.subarray(end + 1)] : [];
  });
  child.on('error', (e) => {
    stderr = Buffer.from(`${command} could not be started: ${e.message}`);
  });
  child.stderr.on('data', (chunk: Buffer) => {
    stderr = Buffer.concat([stderr, chunk]).subarray(-TAIL_BYTES);
  });
  const pid = child.pid as number;
  running.add(pid);
  const timer = setTimeout(() => {
    timedOut = true;
    killGroup(pid);
  }, spec.timeoutSeconds * 1000);
  return new Promise((resolve) => {
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      running.delete(pid);
      const seconds = (performance.now() - started) / 1000;
      const report = readReport(rssFile);
      rmSync(rssFile, { force: true });
      const unterminated = Buffer.concat(pending);
      resolve({
        label: spec.label, ok: code === 0 && !timedOut, exitCode: code, signal: signal ?? report.signal ?? null, timedOut, seconds,
        ...(report.peakRss !== undefined ? { peakRss: report.peakRss } : {}),
        ...(report.cpuSeconds !== undefined ? { cpuSeconds: report.cpuSeconds } : {}),
        stdoutBytes: bytes, ...(hash ? { stdoutDigest: hash.digest('hex') } : {}), stdoutLines: newlines + (unterminated.length > 0 ? 1 : 0),
        lastLine: (unterminated.length > 0 ? unterminated : lastLine).toString('utf8'), head, stderrTail: stderr.toString('utf8').trim(),
      });
    });
  });
}

/** One line saying how a child failed: its exit code or signal, or the time limit, and the end of its stderr. */
export function describeFailure(outcome: ChildOutcome, timeoutSeconds: number): string {
  const how = outcome.timedOut ? `did not finish within the ${timeoutSeconds} s limit and was killed`
    : outcome.signal ? `was killed by ${outcome.signal}` : `exited with code ${outcome.exitCode}`;
  const stderr = outcome.stderrTail.split('\n').slice(-6).map((l) => `    ${l}`).join('\n');
  return `${outcome.label} ${how} after ${outcome.seconds.toFixed(1)} s${stderr.trim() ? `; stderr ends:\n${stderr}` : ' (no stderr)'}`;
}
