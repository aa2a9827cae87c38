import type { Finding } from '../engine/types';
import { escapeXml, escapeXmlAttr } from './escape-xml';
import { formatSubject } from './format-subject';
import type { EvidenceItem, RunResult } from '../result/run-result';
import { shownRowVerdict, type ShownVerdict } from '../result/summarize-result';

/** evidence longer than this (chars) is cut in <system-out> so CI servers do not choke */
const EVIDENCE_MAX = 64 * 1024;

interface Case {
  name: string;
  verdict: ShownVerdict;
  findings: Finding[];
}

/**
 * JUnit XML for CI: one <testsuite> per check, one <testcase> per check × subject (rows), named
 * by formatSubject. fail → <failure>, error → <error>, skip and waived → <skipped> (a waived
 * failure must not turn the pipeline red; its message says until when). Findings no row cites
 * (e.g. an unreachable node) become extra testcases of their check's suite.
 */
export function renderJunit(result: RunResult): string {
  const evidence = new Map(result.evidence.map((e) => [e.id, e]));
  const suites = groupCases(result);
  const total = countAll([...suites.values()].flat());
  const out: string[] = ['<?xml version="1.0" encoding="UTF-8"?>'];
  out.push(
    `<testsuites name="haprobe ${attr(result.profile)}" tests="${total.tests}" failures="${total.failures}" ` +
      `errors="${total.errors}" skipped="${total.skipped}" time="${seconds(result.durationMs)}" timestamp="${attr(result.startedAt)}">`,
  );
  for (const [checkId, cases] of suites) {
    const c = countAll(cases);
    const title = result.checks.find((x) => x.id === checkId)?.title;
    out.push(
      `  <testsuite name="${attr(checkId)}" tests="${c.tests}" failures="${c.failures}" errors="${c.errors}" ` +
        `skipped="${c.skipped}" time="0" timestamp="${attr(result.startedAt)}">`,
    );
    out.push('    <properties>');
    out.push(`      <property name="runId" value="${attr(result.runId)}"/>`);
    out.push(`      <property name="profile" value="${attr(result.profile)}"/>`);
    if (title) out.push(`      <property name="title" value="${attr(title)}"/>`);
    out.push('    </properties>');
    for (const tc of cases) out.push(...renderCase(checkId, tc, evidence));
    out.push('  </testsuite>');
  }
  out.push('</testsuites>');
  return out.join('\n') + '\n';
}

function groupCases(result: RunResult): Map<string, Case[]> {
  const suites = new Map<string, Case[]>(result.checks.map((c) => [c.id, []]));
  const suite = (id: string): Case[] => {
    let s = suites.get(id);
    if (!s) suites.set(id, (s = []));
    return s;
  };
  const cited = new Set<number>();
  for (const row of result.rows) {
    row.findingIndexes.forEach((i) => cited.add(i));
    suite(row.checkId).push({
      name: formatSubject(row.subject),
      verdict: shownRowVerdict(result, row),
      findings: row.findingIndexes.map((i) => result.findings[i]).filter((f): f is Finding => !!f),
    });
  }
  result.findings.forEach((f, i) => {
    if (cited.has(i)) return;
    suite(f.checkId).push({ name: formatSubject(f.subject), verdict: f.waived ? 'waived' : f.verdict, findings: [f] });
  });
  return suites;
}

function renderCase(checkId: string, tc: Case, evidence: Map<string, EvidenceItem>): string[] {
  const head = `    <testcase classname="${attr(checkId)}" name="${attr(tc.name)}" time="0"`;
  const open = tc.findings.filter((f) => f.verdict !== 'pass');
  const body: string[] = [];
  const first = open.find((f) => !f.waived) ?? open[0];
  const more = open.length > 1 ? ` (+${open.length - 1} more)` : '';
  if (tc.verdict === 'fail' || tc.verdict === 'error') {
    const tag = tc.verdict === 'fail' ? 'failure' : 'error';
    const message = (first?.message ?? tc.verdict) + more;
    const type = first?.severity ?? tc.verdict;
    body.push(`      <${tag} message="${attr(message)}" type="${attr(type)}">${text(describe(open))}</${tag}>`);
  } else if (tc.verdict === 'waived') {
    const w = first?.waived;
    const message = w ? `waived until ${w.expires} (${w.waiverId}): ${w.justification}` : 'waived';
    body.push(`      <skipped message="${attr(message)}"/>`);
  } else if (tc.verdict === 'skip') {
    body.push(`      <skipped message="${attr(first?.message ?? 'skipped')}"/>`);
  }
  const out = renderEvidence(open, evidence);
  if (tc.verdict === 'warn') out.unshift(`warning: ${describe(open)}`);
  if (out.length > 0) body.push(`      <system-out>${text(out.join('\n'))}</system-out>`);
  if (body.length === 0) return [head + '/>'];
  return [head + '>', ...body, '    </testcase>'];
}

function describe(findings: Finding[]): string {
  return findings
    .map((f) => {
      const lines = [`[${f.severity}] ${f.message}`];
      if (f.expected !== undefined) lines.push(`expected: ${f.expected}`);
      if (f.actual !== undefined) lines.push(`actual:   ${f.actual}`);
      if (f.waived) lines.push(`waived until ${f.waived.expires} (${f.waived.waiverId}): ${f.waived.justification}`);
      if (f.evidence.length > 0) lines.push(`evidence: ${f.evidence.join(', ')}`);
      return lines.join('\n');
    })
    .join('\n\n');
}

function renderEvidence(findings: Finding[], evidence: Map<string, EvidenceItem>): string[] {
  const ids = [...new Set(findings.flatMap((f) => f.evidence))];
  return ids.map((id) => {
    const e = evidence.get(id);
    if (!e) return `--- ${id}: (evidence not recorded)`;
    const output = e.output.length > EVIDENCE_MAX ? e.output.slice(0, EVIDENCE_MAX) + `\n… (${e.output.length - EVIDENCE_MAX} more characters in the run file)` : e.output;
    return `--- ${id} on ${e.node}: ${e.command} (exit ${e.exitCode ?? 'none'})\n${output}`;
  });
}

function countAll(cases: Case[]): { tests: number; failures: number; errors: number; skipped: number } {
  return {
    tests: cases.length,
    failures: cases.filter((c) => c.verdict === 'fail').length,
    errors: cases.filter((c) => c.verdict === 'error').length,
    skipped: cases.filter((c) => c.verdict === 'skip' || c.verdict === 'waived').length,
  };
}

const attr = escapeXmlAttr;
const text = escapeXml;

function seconds(ms: number): string {
  return (ms / 1000).toFixed(3);
}
