import Mocha = require('mocha');

/**
 * Mocha reporter for the README test command: the spec reporter's output, plus the wall time of
 * every test file, printed as each file ends (so a run cut at CI's time limit still says where its
 * time went) and as a table, slowest first, at the end. The suite has a 60-minute budget; this is
 * how each suite's share of it is measured and reported on the issues.
 */
class TimingReporter extends Mocha.reporters.Spec {
  constructor(runner: Mocha.Runner, options?: Mocha.MochaOptions) {
    super(runner, options);
    const started = new Map<string, number>();
    const took = new Map<string, number>();
    const open = new Map<string, number>();
    const runStart = Date.now();
    runner.on('suite', (suite: Mocha.Suite) => {
      if (!suite.file || !suite.parent?.root) return;
      if (!started.has(suite.file)) started.set(suite.file, Date.now());
      open.set(suite.file, (open.get(suite.file) ?? 0) + 1);
    });
    runner.on('suite end', (suite: Mocha.Suite) => {
      if (!suite.file || !suite.parent?.root) return;
      const left = (open.get(suite.file) ?? 1) - 1;
      open.set(suite.file, left);
      if (left > 0) return;
      const ms = Date.now() - (started.get(suite.file) ?? Date.now());
      took.set(suite.file, ms);
      if (ms >= 1000) process.stdout.write(`  ⏱ ${shortName(suite.file)}: ${seconds(ms)}\n`);
    });
    runner.once('end', () => {
      const rows = [...took.entries()].sort((a, b) => b[1] - a[1]).filter(([, ms]) => ms >= 1000);
      process.stdout.write(`\n  Time per test file (≥ 1 s), total ${seconds(Date.now() - runStart)}:\n`);
      for (const [file, ms] of rows) process.stdout.write(`    ${seconds(ms).padStart(7)}  ${shortName(file)}\n`);
    });
  }
}

function shortName(file: string): string {
  return file.replace(/^.*\/dist\/test\//, '');
}

function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(0)} s`;
}

export = TimingReporter;
