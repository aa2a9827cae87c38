import type { Command } from 'commander';

/**
 * The docs/ page that documents each command (issue 13: `--help` links the docs). Keyed by the
 * command path as typed ("garp watch"); a subcommand without its own entry inherits its parent's.
 * Commands registered later by other modules (init, doctor, analyze, …) add their page here; a
 * command without an entry gets no docs line (test/docs/doc-entries.test.ts wants one for each).
 */
export const DOC_PAGES: Readonly<Record<string, string>> = {
  run: 'docs/run.md',
  report: 'docs/reports-and-scheduling.md',
  diff: 'docs/reports-and-scheduling.md',
  garp: 'docs/garp.md',
  'garp watch': 'docs/garp.md#garp-watch--live-or-offline',
  'garp verify': 'docs/garp.md#garp-verify--the-verdict-for-one-floating-ip',
  drill: 'docs/drills.md',
  lab: 'docs/lab.md',
  'lab faults': 'docs/faults.md#commands',
  'lab fault': 'docs/faults.md#commands',
  'lab heal': 'docs/faults.md#commands',
  demo: 'docs/lab.md',
  checks: 'docs/checks.md',
  profiles: 'docs/profiles.md',
  explain: 'docs/checks.md',
  init: 'docs/init-and-doctor.md',
  doctor: 'docs/init-and-doctor.md',
  analyze: 'docs/analyze-and-where.md#haprobe-analyze-path--p-profile--f-facts--i-inventory',
  where: 'docs/analyze-and-where.md#haprobe-where-addressmac-path--i-inventory--f-facts',
  facts: 'docs/cloud-api.md#haprobe-facts',
  merge: 'docs/scale.md#sharded-runs-haprobe-run---shard-kn-and-haprobe-merge',
};

/** "garp watch" for the watch subcommand of garp */
export function commandPath(cmd: Command): string {
  const names: string[] = [];
  for (let c: Command | null = cmd; c && c.parent; c = c.parent) names.unshift(c.name());
  return names.join(' ');
}

/** the page of a command path, or of its nearest parent that has one */
export function docPageOf(path: string): string | undefined {
  const parts = path.split(' ');
  for (let n = parts.length; n > 0; n--) {
    const page = DOC_PAGES[parts.slice(0, n).join(' ')];
    if (page) return page;
  }
  return undefined;
}

/** adds "docs: docs/<page>.md" after the help of every command (and subcommand) that has a page */
export function linkHelpToDocs(program: Command): void {
  const walk = (cmd: Command): void => {
    for (const sub of cmd.commands) {
      const page = docPageOf(commandPath(sub));
      if (page) sub.addHelpText('after', `\ndocs: ${page}`);
      walk(sub);
    }
  };
  walk(program);
}
