// Makes sure Debian's Chromium is installed before the tests, which open
// report.html in it (through playwright-core, no browser download). On a
// fresh machine, as root, it installs the `chromium` package with apt-get;
// otherwise it says what to do. FARMSCOPE_CHROMIUM overrides the path.
import { existsSync } from 'node:fs';
import { spawnSync } from 'node:child_process';

const path = process.env.FARMSCOPE_CHROMIUM ?? '/usr/bin/chromium';
if (existsSync(path)) process.exit(0);

const root = typeof process.getuid === 'function' && process.getuid() === 0;
if (!root || !existsSync('/usr/bin/apt-get')) {
  process.stderr.write(`ensure-chromium: ${path} is missing; install Debian's chromium package (apt-get install chromium) to run the report tests in a browser\n`);
  process.exit(0);
}
process.stderr.write('ensure-chromium: installing Debian\'s chromium package for the report tests\n');
const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
for (const args of [['update'], ['install', '-y', '--no-install-recommends', 'chromium']]) {
  const r = spawnSync('apt-get', args, { stdio: ['ignore', 'ignore', 'inherit'], env });
  if (r.status !== 0) {
    process.stderr.write(`ensure-chromium: apt-get ${args.join(' ')} failed (exit ${r.status})\n`);
    process.exit(1);
  }
}
