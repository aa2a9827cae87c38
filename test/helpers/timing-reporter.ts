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
    // a file's top-level describes run one after another: its time is printed when the next file starts
    const started = new Map<string, number>();
    const took = new Map<string, number>();
    const runStart = Date.now();
    let current: string | undefined;
    let lastEnd = Date.now();
    const flush = (): void => {
      if (current === undefined) return;
      const ms = lastEnd - (started.get(current) ?? lastEnd);
      took.set(current, ms);
      if (ms >= 1000) process.stdout.write(`  ⏱ ${shortName(current)}: ${seconds(ms)}\n`);
    };
    // before the spec reporter prints the next file's title
    runner.prependListener('suite', (suite: Mocha.Suite) => {
      if (!suite.file || !suite.parent?.root || suite.file === current) return;
      flush();
      current = suite.file;
      if (!started.has(suite.file)) started.set(suite.file, Date.now());
    });
    runner.on('suite end', (suite: Mocha.Suite) => {
      if (suite.file && suite.parent?.root) lastEnd = Date.now();
    });
    runner.once('end', () => {
      flush();
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
