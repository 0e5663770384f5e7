// A one-line progress display on stderr, shown only when stderr is a terminal
// (and not with --quiet), so piped or captured output never gets it. It polls
// DuckDB's own progress for the statement that is running.
import type { CaseFile } from '@farmscope/casefile';

export interface Progress {
  update(label: string): void;
  done(): void;
}

const SILENT: Progress = { update: () => undefined, done: () => undefined };

export async function createProgress(caseFile: CaseFile, enabled: boolean): Promise<Progress> {
  if (!enabled || !process.stderr.isTTY) return SILENT;
  // DuckDB tracks query progress only with its progress bar on; its own printing stays off.
  await caseFile.run('SET enable_progress_bar = true');
  await caseFile.run('SET enable_progress_bar_print = false');
  let label = '';
  const draw = () => {
    let pct = '';
    try {
      const p = caseFile.connection.progress.percentage;
      if (p >= 0) pct = ` ${p.toFixed(0).padStart(3)}%`;
    } catch {
      // No statement is running.
    }
    // A pseudo-terminal may report 0 columns: draw 80 then.
    const width = (process.stderr.columns ?? 0) > 20 ? process.stderr.columns : 80;
    process.stderr.write(`\r\x1b[2K${`${label}${pct}`.slice(0, width - 1)}`);
  };
  const timer = setInterval(draw, 200);
  timer.unref();
  return {
    update(next: string) {
      label = next;
      draw();
    },
    done() {
      clearInterval(timer);
      process.stderr.write('\r\x1b[2K');
    },
  };
}
