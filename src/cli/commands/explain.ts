import type { Command } from 'commander';
import { Option } from 'commander';
import { CHECKS } from '../../../checks';
import { EXPLANATIONS } from '../../../checks/lib/explanations';
import type { CheckExplanation } from '../../../checks/lib/explanation-types';
import type { Check, CheckReference } from '../../engine/types';
import { publicLinksOf, publicLinksOfAll, type PublicLink } from '../../report/public-references';
import { NODE_REACHABLE_CHECK } from '../../engine/evaluate';
import { HaprobeError } from '../../errors';
import { listProfiles, loadProfile } from '../../profile';

type CheckMeta = Pick<Check, 'id' | 'title' | 'description' | 'severity' | 'references'>;

/** Everything `explain` prints about one check: registry metadata + explanation data. */
export interface CheckExplainView {
  id: string;
  title: string;
  severity: string;
  description: string;
  /** non-abstract profiles that run the check */
  profiles: string[];
  reads: string[];
  findings: CheckExplanation['findings'];
  /** what an operator can open: Launchpad bugs, OpenStack docs, source files at a tag (internal design notes left out) */
  references: PublicLink[];
}

const WIDTH = 100;

/** the checks `haprobe checks` lists, in its order */
function knownChecks(): CheckMeta[] {
  return [NODE_REACHABLE_CHECK, ...CHECKS];
}

/** a URL an operator can open, where the reference names one (lp#N → Launchpad, a mapped source → its first public link) */
export function referenceUrl(ref: CheckReference): string | undefined {
  return publicLinksOf(`${ref.kind}:${ref.ref}`)[0]?.url;
}

export function assembleExplainView(check: CheckMeta, explanation: CheckExplanation | undefined, profiles: string[]): CheckExplainView {
  return {
    id: check.id,
    title: check.title,
    severity: check.severity,
    description: check.description,
    profiles,
    reads: explanation?.reads ?? [],
    findings: explanation?.findings ?? [],
    references: publicLinksOfAll(check.references.map((r) => `${r.kind}:${r.ref}`)),
  };
}

/** greedy word wrap; `first` prefixes the first line, `rest` the following ones */
function wrap(text: string, first: string, rest: string, width = WIDTH): string[] {
  const lines: string[] = [];
  let line = first;
  let empty = true;
  for (const word of text.split(/\s+/).filter(Boolean)) {
    if (!empty && line.length + 1 + word.length > width) {
      lines.push(line);
      line = rest + word;
    } else line += (empty ? '' : ' ') + word;
    empty = false;
  }
  lines.push(line);
  return lines;
}

/** The plain-text page of one check (no colour: it is read in a terminal or pasted in a ticket). */
export function renderExplanation(v: CheckExplainView): string {
  const out: string[] = [`${v.id} — ${v.title}`, `severity: ${v.severity} · run by: ${v.profiles.length ? v.profiles.join(', ') : 'no profile'}`, ''];
  out.push('What it checks', ...wrap(v.description, '  ', '  '), '');
  if (v.reads.length) {
    out.push('What it reads');
    for (const r of v.reads) out.push(...wrap(r, '  - ', '    '));
    out.push('');
  }
  if (v.findings.length) {
    out.push('What its findings mean, and the fix');
    for (const f of v.findings) {
      out.push(...wrap(f.finding, `  ${f.verdict.padEnd(4)}  `, '        '));
      out.push(...wrap(f.means, '        means: ', '               '));
      out.push(...wrap(f.fix, '        fix:   ', '               '));
    }
    out.push('');
  }
  out.push('Bug reports and references');
  for (const r of v.references) out.push(...wrap(`${r.label}  ${r.url}`, '  - ', '    '));
  if (v.references.length === 0) out.push('  (none published)');
  return out.join('\n') + '\n';
}

/** profiles (not abstract) whose resolved check list holds the id */
function profilesRunning(id: string): string[] {
  return listProfiles()
    .filter((p) => !p.abstract)
    .filter((p) => id === NODE_REACHABLE_CHECK.id || loadProfile(p.id).checks.some((c) => c.id === id))
    .map((p) => p.id);
}

/** `haprobe explain CHECK`: what a check reads, what its findings mean, the fix, the bug reports. */
export function registerExplainCommand(program: Command): void {
  program
    .command('explain')
    .summary('explain a check: what it reads, what each finding means, how to fix it, the bug reports behind it')
    .argument('<check>', 'check id (see `haprobe checks`)')
    .addOption(new Option('--format <format>', 'output').choices(['text', 'json']).default('text'))
    .action((id: string, flags: { format: string }) => {
      const checks = knownChecks();
      const check = checks.find((c) => c.id === id);
      if (!check)
        throw new HaprobeError('usage', `unknown check "${id}"; known checks: ${checks.map((c) => c.id).join(', ')}`, { hint: 'haprobe checks lists them with their titles' });
      const view = assembleExplainView(check, EXPLANATIONS[check.id], profilesRunning(check.id));
      process.stdout.write(flags.format === 'json' ? JSON.stringify(view, null, 2) + '\n' : renderExplanation(view));
    });
}
