import type { Command } from 'commander';
import { Option } from 'commander';
import Table from 'cli-table3';
import { CHECKS } from '../../../checks';
import { listProfiles, loadProfile } from '../../profile';
import { NODE_REACHABLE_CHECK } from '../../engine/evaluate';
import { publicLinksOfAll } from '../../report/public-references';

/** `haprobe checks` and `haprobe profiles`: what haprobe knows, without touching any node. */
export function registerCatalogCommands(program: Command): void {
  program
    .command('checks')
    .summary('list the checks (id, severity, what it guards against, references)')
    .option('-p, --profile <id>', 'only the checks this profile runs, with their parameters')
    .addOption(new Option('--format <format>', 'output').choices(['table', 'json', 'md']).default('table'))
    .action((flags: { profile?: string; format: string }) => {
      const profile = flags.profile ? loadProfile(flags.profile) : undefined;
      const all = [NODE_REACHABLE_CHECK, ...CHECKS];
      const selected = profile ? all.filter((c) => c.id === NODE_REACHABLE_CHECK.id || profile.checks.some((p) => p.id === c.id)) : all;
      const rows = selected.map((c) => ({
        id: c.id,
        severity: c.severity,
        title: c.title,
        description: c.description,
        // what an operator can open (issue 13); the design notes the checks cite internally stay out
        references: publicLinksOfAll(c.references.map((r) => `${r.kind}:${r.ref}`)),
        ...(profile ? { params: profile.checks.find((p) => p.id === c.id)?.params ?? {} } : {}),
      }));
      if (flags.format === 'json') {
        process.stdout.write(JSON.stringify(rows, null, 2) + '\n');
      } else if (flags.format === 'md') {
        const lines = ['| check | severity | what it checks | guards against |', '|---|---|---|---|'];
        for (const r of rows) lines.push(`| \`${r.id}\` | ${r.severity} | ${r.description.replace(/\|/g, '\\|')} | ${r.references.map((l) => `[${l.label}](${l.url})`).join(', ')} |`);
        process.stdout.write(lines.join('\n') + '\n');
      } else {
        const table = new Table({ head: ['check', 'severity', 'title', 'references'], wordWrap: true, colWidths: [22, 10, 50, 40], style: { head: [], border: [] } });
        for (const r of rows) {
          // bug numbers fit the column; the sources (docs pages, source files) are one `haprobe explain` away
          const bugs = r.references.filter((l) => /^(LP|RHBZ) /.test(l.label)).map((l) => l.label);
          const sources = r.references.length - bugs.length;
          table.push([r.id, r.severity, r.title, [...bugs, ...(sources > 0 ? [`+${sources} source(s): haprobe explain ${r.id}`] : [])].join(', ')]);
        }
        process.stdout.write(table.toString() + '\n');
      }
    });

  program
    .command('profiles')
    .summary('list the HA profiles haprobe can judge against')
    .addOption(new Option('--format <format>', 'output').choices(['table', 'json']).default('table'))
    .action((flags: { format: string }) => {
      const profiles = listProfiles().filter((p) => !p.abstract).map((p) => {
        const resolved = loadProfile(p.id);
        return { id: p.id, title: p.title, checks: resolved.checks.map((c) => c.id), failoverBudgetSeconds: resolved.garp.failoverBudgetSeconds, file: p.file };
      });
      if (flags.format === 'json') {
        process.stdout.write(JSON.stringify(profiles, null, 2) + '\n');
        return;
      }
      const table = new Table({ head: ['profile', 'title', 'checks', 'failover budget'], wordWrap: true, colWidths: [22, 50, 12, 17], style: { head: [], border: [] } });
      for (const p of profiles) table.push([p.id, p.title, String(p.checks.length), p.failoverBudgetSeconds !== undefined ? `${p.failoverBudgetSeconds} s` : '']);
      process.stdout.write(table.toString() + '\n');
    });
}

