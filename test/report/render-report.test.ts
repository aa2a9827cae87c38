import { expect } from 'chai';
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { applyWaivers } from '../../src/report/apply-waivers';
import { buildReportModel } from '../../src/report/build-report-model';
import { parseWaivers } from '../../src/report/load-waivers';
import type { RunResult } from '../../src/report/result';
import { renderHtml } from '../../src/report/render-html';
import { renderMarkdown } from '../../src/report/render-markdown';
import { parseXml } from './check-xml';
import { DRILL, makeHistory, R1, R2, WAIVERS_YAML } from './fixtures';

const CHROMIUM = '/usr/bin/chromium';
/** dist/test/report → dist/test-artifacts */
const ARTIFACTS = resolve(__dirname, '../../test-artifacts');

/** the nightly history with the waivers file applied to each run as of its start */
function judgedHistory(): RunResult[] {
  const waivers = parseWaivers(WAIVERS_YAML, 'waivers.yaml');
  return makeHistory().map((r) => applyWaivers(r, waivers, new Date(r.startedAt)));
}

describe('report: report model over a history', () => {
  const history = judgedHistory();

  it('regression shows in run2, fix in run3, waived finding in run4', () => {
    const at = (n: number) => buildReportModel(history.slice(0, n));
    const m2 = at(2);
    expect(m2.sincePrevious!.appeared.map((e) => e.checkId)).to.deep.equal(['nat-fip-rules']);
    expect(m2.failing.map((f) => f.finding.checkId)).to.deep.equal(['nat-fip-rules']);
    const m3 = at(3);
    expect(m3.sincePrevious!.disappeared.map((e) => e.checkId)).to.deep.equal(['nat-fip-rules']);
    expect(m3.sincePrevious!.appeared).to.deep.equal([]);
    expect(m3.failing).to.deep.equal([]);
    const m4 = at(4);
    expect(m4.failing).to.deep.equal([]);
    expect(m4.waived.map((v) => [v.finding.checkId, v.finding.waived!.expires])).to.deep.equal([['keepalived-config', '2024-06-01']]);
    expect(m4.waiverProblems.map((p) => `${p.waiverId} ${p.status}`)).to.deep.equal(['W-2 unmatched', 'W-OLD expired']);
    expect(m4.trend.map((t) => t.verdict)).to.deep.equal(['pass', 'fail', 'pass', 'pass']);
  });

  it('matrix: nodes × routers from topology and subjects, cells coloured by verdict', () => {
    const m = buildReportModel(history.slice(0, 2));
    expect(m.matrix.routers).to.deep.equal([R1, R2].sort());
    expect(m.matrix.rows.map((r) => r.node)).to.deep.equal(['net1', 'net2', 'cmp1', '(cluster)']);
    const net1 = m.matrix.rows[0];
    expect(net1.cells[R1]).to.deep.equal({ namespaces: [`qrouter-${R1}`], verdict: 'fail', findings: 1 });
    expect(net1.cells[R2].verdict).to.equal('pass');
    expect(net1.otherNamespaces).to.deep.equal(['qdhcp-1f0e']);
    expect(m.matrix.rows[2].cells).to.deep.equal({});
    expect(buildReportModel(history).matrix.rows[1].cells[R2].verdict).to.equal('waived');
  });

  it('--last keeps the newest runs', () => {
    expect(buildReportModel(history, { last: 2 }).runs.map((r) => r.runId)).to.deep.equal(['run3', 'run4']);
  });
});

describe('report: renderMarkdown', () => {
  it('has every section, the waiver with its expiry, and the drill timeline', () => {
    const md = renderMarkdown(judgedHistory());
    for (const h of ['## Trend (last 4 runs)', '## Nodes × routers', '## Failing findings (0)', '## Since the previous run', '## Waived findings (1)', '## Failover drills', '## G-ARP verification']) {
      expect(md).to.include(h);
    }
    expect(md).to.include('| `W-1` | 2024-06-01 | netops | net2 is replaced next sprint, CHG-1234 |');
    expect(md).to.include('expired on 2024-04-01');
    expect(md).to.include('| 6.13 s | first-garp | net2 |');
    const run2 = renderMarkdown(judgedHistory().slice(0, 2));
    expect(run2).to.include('### Regressions (1)').and.include('<details>').and.include('\\x1B[0m');
  });
});

describe('report: renderHtml', () => {
  const html = renderHtml(judgedHistory());
  const run2Html = renderHtml(judgedHistory().slice(0, 2));

  it('is self-contained: no script, no external resource', () => {
    for (const page of [html, run2Html]) {
      expect(page).not.to.match(/<script/i);
      expect(page).not.to.match(/<link\b/i);
      expect(page).not.to.match(/@import|url\(/i);
      // links a reader may follow (issue 13: the bug reports and sources of a check) load nothing; anything else would
      const urls = page.replace(/<a href="https:\/\/[^"]+">/g, '<a>').match(/https?:\/\/[^\s"'<>)]+/g) ?? [];
      expect(urls.filter((u) => u !== 'http://www.w3.org/2000/svg')).to.deep.equal([]);
    }
  });

  it('holds trend, matrix, findings with evidence disclosures, waivers and timelines', () => {
    expect(html).to.include('<table class="matrix">').and.include('class="timeline drill"').and.include('class="timeline garp"');
    expect(html).to.include('waiver <code>W-1</code> until <b>2024-06-01</b>');
    expect(run2Html).to.include('<details class="evidence">').and.include('no DNAT rule for 203.0.113.10');
    expect(run2Html).to.include('<h3>Regressions (1)</h3>');
    expect(run2Html).not.to.include('class="timeline');
    // every SVG is well-formed XML on its own
    for (const svg of html.match(/<svg[\s\S]*?<\/svg>/g) ?? []) expect(parseXml(svg).name).to.equal('svg');
    expect((html.match(/<svg/g) ?? []).length).to.equal(3);
  });

  it('survives hostile text: markup in messages and evidence is escaped', () => {
    const [r] = judgedHistory().slice(1, 2);
    r.findings[0].message = '<img src=x onerror=alert(1)> & </details>';
    const page = renderHtml(r);
    expect(page).not.to.include('<img src=x');
    expect(page).to.include('&lt;img src=x onerror=alert(1)&gt; &amp; &lt;/details&gt;');
  });

  it('drill that never recovered still renders', () => {
    const [r] = judgedHistory().slice(3);
    r.drills = [{ ...DRILL, outageMs: null, verdict: 'fail', events: DRILL.events.filter((e) => e.kind !== 'ping-recovered') }];
    expect(renderHtml(r)).to.include('not recovered');
  });

  it('opens in headless Chromium without console errors; screenshot in dist/test-artifacts/report.png', function () {
    if (!existsSync(CHROMIUM)) {
      console.warn(`    (${CHROMIUM} not installed) — skipped`);
      this.skip();
    }
    this.timeout(90_000);
    mkdirSync(ARTIFACTS, { recursive: true });
    const page = join(ARTIFACTS, 'report.html');
    const png = join(ARTIFACTS, 'report.png');
    // a failing latest run with a drill and a G-ARP verification, so every section shows
    const runs = judgedHistory();
    runs[3] = { ...runs[3], findings: [...runs[3].findings, runs[1].findings[0]] };
    runs[3].rows = runs[3].rows.map((row) => (row.checkId === 'nat-fip-rules' && row.subject.node === 'net1' ? { ...row, verdict: 'fail', findingIndexes: [1] } : row));
    runs[3] = { ...runs[3], evidence: [...runs[3].evidence, ...runs[1].evidence], verdict: 'fail', summary: { ...runs[3].summary, pass: runs[3].summary.pass - 1, fail: 1 } };
    writeFileSync(page, renderHtml(runs));
    const profile = mkdtempSync(join(tmpdir(), 'haprobe-chromium-'));
    const flags = [
      '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', `--user-data-dir=${profile}`, '--enable-logging=stderr', '--v=0',
    ];
    try {
      const shot = spawnSync(CHROMIUM, [...flags, `--screenshot=${png}`, '--window-size=1400,2000', `file://${page}`], { encoding: 'utf8', timeout: 60_000 });
      const log = `${shot.stdout}\n${shot.stderr}`;
      expect(log, 'console errors').not.to.match(/Uncaught|ERROR:CONSOLE|CONSOLE\(\d+\)/);
      expect(existsSync(png), log).to.equal(true);
      expect(statSync(png).size).to.be.greaterThan(20_000);
      const dom = execFileSync(CHROMIUM, [...flags, '--dump-dom', `file://${page}`], { encoding: 'utf8', timeout: 60_000, stdio: ['ignore', 'pipe', 'ignore'] });
      expect(dom).to.include('<table class="matrix">').and.include('class="timeline drill"').and.include('<svg');
    } finally {
      rmSync(profile, { recursive: true, force: true });
    }
  });
});
