// Preloaded into a measured Node child with `node --import <this file> ...`
// (see measure-child.mjs). On exit it writes the process's own resource usage
// to the file named by FARMSCOPE_BENCH_RUSAGE_FILE. `maxRSS` is the kernel's
// peak resident set size of the whole process (getrusage(RUSAGE_SELF)
// ru_maxrss, in KiB), so it includes DuckDB's native memory and all its
// threads, not just the JS heap.
import { writeFileSync } from 'node:fs';

const file = process.env.FARMSCOPE_BENCH_RUSAGE_FILE;
if (file) {
  // Children of the measured process must not overwrite its figures.
  delete process.env.FARMSCOPE_BENCH_RUSAGE_FILE;
  process.on('exit', (code) => {
    const usage = process.resourceUsage();
    try {
      writeFileSync(
        file,
        JSON.stringify({
          maxRssKiB: usage.maxRSS,
          userCpuMicros: usage.userCPUTime,
          systemCpuMicros: usage.systemCPUTime,
          exitCode: code,
        }),
      );
    } catch {
      // Nothing useful to do in an exit handler; the caller falls back to /proc polling.
    }
  });
}
