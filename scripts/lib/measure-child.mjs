// Runs a command as a child process and measures its wall time and peak RSS.
//
//   const r = await measureChild(process.execPath, ['packages/cli/dist/bin.js', ...], { cwd });
//   // -> { seconds, peakRssBytes, exitCode, signal, stdout, stderr, rssMethod, cpuSeconds }
//
// Peak RSS, two methods:
// - Node children (cmd is `node` or process.execPath): the child is started
//   as `node --import rss-hook.mjs <args>`; the hook writes
//   process.resourceUsage().maxRSS (getrusage ru_maxrss, KiB) to a temp file
//   on exit. That is the kernel's exact high-water mark of the process's
//   resident memory (JS heap + native DuckDB allocations, all threads).
//   rssMethod: 'getrusage'.
// - Otherwise, or if the child died without running its exit handlers
//   (signal, OOM kill, native crash): the parent polls VmHWM ("peak resident
//   set size", itself a kernel high-water mark) in /proc/<pid>/status every
//   `pollMs` (Linux only). Growth in the last interval before exit can be
//   missed, so this is a lower bound. rssMethod: 'vmhwm-poll'.
// The /proc poll also runs for Node children; its figure is kept as
// `polledPeakRssBytes` as a cross-check.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { formatBytes, formatSeconds } from './report.mjs';

export const RSS_HOOK = fileURLToPath(new URL('./rss-hook.mjs', import.meta.url));

function isNode(cmd) {
  return cmd === process.execPath || basename(cmd) === 'node' || basename(cmd) === 'node.exe';
}

function readVmHwmBytes(pid) {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const m = /^VmHWM:\s+(\d+)\s+kB/m.exec(status);
    return m ? Number(m[1]) * 1024 : undefined;
  } catch {
    return undefined; // exited already, or no /proc
  }
}

/**
 * @param {string} cmd
 * @param {string[]} args
 * @param {{cwd?: string, env?: Record<string,string|undefined>, pollMs?: number,
 *          stderr?: 'pipe'|'inherit', stdin?: 'ignore'|'inherit', maxOutputBytes?: number}} [opts]
 * @returns {Promise<{seconds:number, peakRssBytes:number|null, exitCode:number|null, signal:string|null,
 *          stdout:string, stderr:string, rssMethod:'getrusage'|'vmhwm-poll'|'none',
 *          polledPeakRssBytes:number|null, cpuSeconds:number|null}>}
 */
export async function measureChild(cmd, args, opts = {}) {
  const pollMs = opts.pollMs ?? 50;
  const maxOutput = opts.maxOutputBytes ?? 16 * 2 ** 20;
  const node = isNode(cmd);
  const dir = mkdtempSync(join(tmpdir(), 'farmscope-bench-'));
  const rusageFile = join(dir, 'rusage.json');
  const env = { ...process.env, ...(opts.env ?? {}) };
  let fullArgs = args;
  if (node) {
    env.FARMSCOPE_BENCH_RUSAGE_FILE = rusageFile;
    fullArgs = ['--import', pathToFileURL(RSS_HOOK).href, ...args];
  }

  const started = process.hrtime.bigint();
  const child = spawn(cmd, fullArgs, {
    cwd: opts.cwd,
    env,
    stdio: [opts.stdin ?? 'ignore', 'pipe', opts.stderr ?? 'pipe'],
  });
  let polled;
  const poll = () => {
    const v = child.pid ? readVmHwmBytes(child.pid) : undefined;
    if (v !== undefined && (polled === undefined || v > polled)) polled = v;
  };
  const timer = setInterval(poll, pollMs);
  const out = [];
  const err = [];
  let outBytes = 0;
  let errBytes = 0;
  child.stdout.on('data', (chunk) => {
    if (outBytes < maxOutput) out.push(chunk);
    outBytes += chunk.length;
  });
  child.stderr?.on('data', (chunk) => {
    if (errBytes < maxOutput) err.push(chunk);
    errBytes += chunk.length;
  });

  const { exitCode, signal } = await new Promise((resolve, reject) => {
    child.on('error', (error) => {
      clearInterval(timer);
      rmSync(dir, { recursive: true, force: true });
      reject(error);
    });
    // 'exit' (not 'close'): the process is gone; a last poll is impossible after reaping,
    // so poll once more right away on each stdout/stderr end too.
    child.on('exit', (code, sig) => resolve({ exitCode: code, signal: sig }));
    child.stdout.on('end', poll);
  });
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  clearInterval(timer);
  // Let the pipes drain.
  await new Promise((resolve) => (child.stdout.readableEnded ? resolve() : child.stdout.on('end', resolve)));
  if (child.stderr && !child.stderr.readableEnded) await new Promise((resolve) => child.stderr.on('end', resolve));

  let usage;
  try {
    usage = JSON.parse(readFileSync(rusageFile, 'utf8'));
  } catch {
    usage = undefined;
  }
  rmSync(dir, { recursive: true, force: true });

  let peakRssBytes = null;
  let rssMethod = 'none';
  if (usage && typeof usage.maxRssKiB === 'number') {
    peakRssBytes = usage.maxRssKiB * 1024;
    rssMethod = 'getrusage';
  } else if (polled !== undefined) {
    peakRssBytes = polled;
    rssMethod = 'vmhwm-poll';
  }
  return {
    seconds,
    peakRssBytes,
    exitCode,
    signal,
    stdout: Buffer.concat(out).toString('utf8'),
    stderr: Buffer.concat(err).toString('utf8'),
    rssMethod,
    polledPeakRssBytes: polled ?? null,
    cpuSeconds: usage ? (usage.userCpuMicros + usage.systemCpuMicros) / 1e6 : null,
  };
}

/**
 * A runner of the farmscope CLI at `cliPath` in measured children (cwd
 * `cwd`): each call logs its time and peak RSS through `log`, and on a
 * non-zero exit prints the child's stderr and ends the benchmark (exit 1).
 */
export function measuredCli(cliPath, cwd, log) {
  return async function cli(what, cliArgs, env = {}) {
    const run = await measureChild(process.execPath, [cliPath, ...cliArgs], { cwd, env });
    if (run.exitCode !== 0) {
      process.stderr.write(run.stderr);
      log(`${what}: failed (exit ${run.exitCode ?? run.signal})`);
      process.exit(1);
    }
    log(`${what}: ${formatSeconds(run.seconds)} s, peak RSS ${formatBytes(run.peakRssBytes)}`);
    return run;
  };
}
