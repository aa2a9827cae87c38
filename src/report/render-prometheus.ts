import { formatSubject } from './format-subject';
import type { DrillResult, RunResult } from '../result/run-result';
import { shownFindingVerdict, shownRowVerdict } from '../result/summarize-result';
import { writeFileAtomic } from './write-file-atomic';

/**
 * Which haprobe_check_status series per subject (issue 10: one per check × subject is 100,000
 * series for a 1,000-node cloud): all of them (default, what existing alerts read), only the
 * failing ones (bounded by the findings; `haprobe_check_status == 0` still alerts), or none
 * (per-check aggregates only).
 */
export type SubjectSeries = 'all' | 'failing' | 'none';
export const SUBJECT_SERIES: readonly SubjectSeries[] = ['all', 'failing', 'none'];

export interface PrometheusOptions {
  /** the last failover drill(s) to export; default: result.drills */
  drill?: DrillResult | DrillResult[];
  /** per-subject haprobe_check_status series; default 'all' */
  subjects?: SubjectSeries;
}

const VERDICTS = ['pass', 'fail', 'warn', 'skip', 'error', 'waived'] as const;

type Labels = Record<string, string>;
interface Family {
  name: string;
  help: string;
  samples: { labels: Labels; value: number }[];
}

const SEVERITIES = ['critical', 'major', 'minor', 'info'] as const;

/**
 * node_exporter textfile-collector format (exposition format 0.0.4), every metric a gauge.
 * haprobe_check_status is 1 when the check × subject is fine for alerting — pass, warn, skip or
 * waived — and 0 on an unwaived fail/error, so `haprobe_check_status == 0` is the alert.
 * A drill that never recovered exports +Inf seconds (an unbounded outage), not a missing series.
 * Labels: check, subject (formatSubject), node, namespace, router, floating_ip, device; absent
 * subject fields are empty labels, which Prometheus treats as absent.
 */
export function renderPrometheus(result: RunResult, opts: PrometheusOptions = {}): string {
  const families: Family[] = [];
  const add = (name: string, help: string, samples: Family['samples']): void => {
    families.push({ name, help, samples });
  };

  const status = new Map<string, { labels: Labels; value: number }>();
  // rows, then findings no row cites (e.g. an unreachable node), as table and JUnit do
  const cited = new Set(result.rows.flatMap((r) => r.findingIndexes));
  const units = [
    ...result.rows.map((row) => ({ checkId: row.checkId, subject: row.subject, verdict: shownRowVerdict(result, row) })),
    ...result.findings.flatMap((f, i) => (cited.has(i) ? [] : [{ checkId: f.checkId, subject: f.subject, verdict: shownFindingVerdict(f) }])),
  ];
  for (const unit of units) {
    const v = unit.verdict;
    const labels: Labels = {
      check: unit.checkId,
      subject: formatSubject(unit.subject),
      node: unit.subject.node ?? '',
      namespace: unit.subject.namespace ?? '',
      router: unit.subject.router ?? '',
      floating_ip: unit.subject.floatingIp ?? '',
      device: unit.subject.device ?? '',
    };
    const value = v === 'fail' || v === 'error' ? 0 : 1;
    // two rows with the same identity would be a duplicate series (promtool rejects it): worst wins
    const key = labelString(labels);
    const prev = status.get(key);
    status.set(key, { labels, value: prev ? Math.min(prev.value, value) : value });
  }
  const subjects = opts.subjects ?? 'all';
  if (subjects !== 'none') {
    const series = [...status.values()].filter((s) => subjects === 'all' || s.value === 0);
    add('haprobe_check_status', 'Check verdict per subject: 1 pass/warn/skip/waived, 0 unwaived fail or error.', series);
  }
  // per-check aggregates: checks × verdicts series whatever the size of the cloud
  const checkIds = [...new Set([...result.checks.map((c) => c.id), ...units.map((u) => u.checkId)])];
  const count = new Map<string, number>();
  for (const u of units) count.set(`${u.checkId}\u0000${u.verdict}`, (count.get(`${u.checkId}\u0000${u.verdict}`) ?? 0) + 1);
  add('haprobe_check_subjects', 'Subjects per check and shown verdict (pass, fail, warn, skip, error, waived) in the last run.',
    checkIds.flatMap((check) => VERDICTS.map((verdict) => ({ labels: { check, verdict }, value: count.get(`${check}\u0000${verdict}`) ?? 0 }))));
  add('haprobe_check_ok', 'Per check: 1 when no subject has an unwaived fail or error, else 0.',
    checkIds.map((check) => ({ labels: { check }, value: (count.get(`${check}\u0000fail`) ?? 0) + (count.get(`${check}\u0000error`) ?? 0) > 0 ? 0 : 1 })));

  const open = result.findings.filter((f) => !f.waived && (f.verdict === 'fail' || f.verdict === 'error' || f.verdict === 'warn'));
  add('haprobe_findings', 'Unwaived non-passing findings of the last run, by severity.',
    SEVERITIES.map((s) => ({ labels: { severity: s }, value: open.filter((f) => f.severity === s).length })));
  add('haprobe_findings_waived', 'Findings of the last run covered by a live waiver.', [{ labels: {}, value: result.findings.filter((f) => f.waived).length }]);
  add('haprobe_waivers_expired', 'Waivers of the waivers file that have expired.', [{ labels: {}, value: result.waivers?.expired.length ?? 0 }]);
  add('haprobe_run_success', '1 when the last run passed (no unwaived failure, every node reached).', [{ labels: { profile: result.profile }, value: result.verdict === 'pass' ? 1 : 0 }]);
  add('haprobe_run_duration_seconds', 'Wall time of the last run.', [{ labels: {}, value: result.durationMs / 1000 }]);
  add('haprobe_last_run_timestamp_seconds', 'Unix time the last run finished.', [{ labels: {}, value: Date.parse(result.finishedAt) / 1000 }]);
  add('haprobe_nodes', 'Nodes in the inventory of the last run.', [{ labels: {}, value: result.nodes.length }]);
  add('haprobe_nodes_unreachable', 'Nodes the last run could not read.', [{ labels: {}, value: result.nodes.filter((n) => !n.reachable).length }]);
  add('haprobe_node_reachable', '1 when the node was read, 0 when not (reason label).',
    result.nodes.map((n) => ({ labels: { node: n.name, reason: n.reachable ? '' : (n.reason ?? 'unknown') }, value: n.reachable ? 1 : 0 })));

  const drills = opts.drill === undefined ? lastDrillPerRouter(result.drills ?? []) : lastDrillPerRouter(([] as DrillResult[]).concat(opts.drill));
  if (drills.length > 0) {
    const dl = (d: DrillResult): Labels => ({ router: d.router, fault: d.fault });
    add('haprobe_drill_failover_seconds', 'Last failover drill: traffic outage (+Inf: never recovered).', drills.map((d) => ({ labels: dl(d), value: secondsOrInf(d.outageMs) })));
    add('haprobe_drill_new_primary_seconds', 'Last failover drill: time until a new primary held the VIPs.', drills.map((d) => ({ labels: dl(d), value: secondsOrInf(d.newPrimaryMs) })));
    add('haprobe_drill_first_garp_seconds', 'Last failover drill: time until the first gratuitous ARP of the new primary.', drills.map((d) => ({ labels: dl(d), value: secondsOrInf(d.firstGarpMs) })));
    add('haprobe_drill_budget_seconds', 'Failover budget of the profile.', drills.map((d) => ({ labels: dl(d), value: d.budgetMs / 1000 })));
    add('haprobe_drill_success', '1 when the last drill stayed within budget.', drills.map((d) => ({ labels: dl(d), value: d.verdict === 'pass' ? 1 : 0 })));
    add('haprobe_drill_timestamp_seconds', 'Unix time the last drill started.', drills.map((d) => ({ labels: dl(d), value: Date.parse(d.startedAt) / 1000 })));
  }
  if (result.garp && result.garp.length > 0) {
    add('haprobe_garp_verify_success', '1 when the gratuitous ARPs for the floating IP were right.',
      dedupe(result.garp.map((g) => ({ labels: { floating_ip: g.fip }, value: g.verdict === 'pass' ? 1 : 0 }))));
  }

  return families.map(renderFamily).join('');
}

/**
 * Writes the textfile atomically: node_exporter reads `*.prom`, the temp name does not end so.
 * Mode 0644 by default, unlike run files: it holds only counts and verdicts, and node_exporter
 * usually runs as another user that must read it.
 */
export function writePrometheusFile(path: string, text: string, opts: { mode?: number } = {}): void {
  writeFileAtomic(path, text, { mode: opts.mode ?? 0o644 });
}

function renderFamily(f: Family): string {
  const lines = [`# HELP ${f.name} ${escapeHelp(f.help)}`, `# TYPE ${f.name} gauge`];
  for (const s of f.samples) {
    const labels = labelString(s.labels);
    lines.push(`${f.name}${labels ? `{${labels}}` : ''} ${formatValue(s.value)}`);
  }
  return lines.join('\n') + '\n';
}

function labelString(labels: Labels): string {
  return Object.entries(labels)
    .map(([k, v]) => `${k}="${escapeLabel(v)}"`)
    .join(',');
}

/** exposition format: label values escape backslash, double quote and newline */
export function escapeLabel(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
}

function escapeHelp(text: string): string {
  return text.replace(/\\/g, '\\\\').replace(/\n/g, '\\n');
}

function formatValue(v: number): string {
  if (Number.isNaN(v)) return 'NaN';
  if (v === Infinity) return '+Inf';
  if (v === -Infinity) return '-Inf';
  return String(v);
}

function secondsOrInf(ms: number | null): number {
  return ms === null ? Infinity : ms / 1000;
}

function lastDrillPerRouter(drills: DrillResult[]): DrillResult[] {
  const last = new Map<string, DrillResult>();
  for (const d of drills) {
    const key = `${d.router}\u0000${d.fault}`;
    const prev = last.get(key);
    if (!prev || Date.parse(d.startedAt) >= Date.parse(prev.startedAt)) last.set(key, d);
  }
  return [...last.values()];
}

function dedupe(samples: Family['samples']): Family['samples'] {
  const m = new Map<string, Family['samples'][number]>();
  for (const s of samples) {
    const key = labelString(s.labels);
    const prev = m.get(key);
    m.set(key, prev ? { labels: s.labels, value: Math.min(prev.value, s.value) } : s);
  }
  return [...m.values()];
}
