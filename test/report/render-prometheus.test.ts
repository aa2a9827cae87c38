import { expect } from 'chai';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { applyWaivers } from '../../src/report/apply-waivers';
import { parseWaivers } from '../../src/report/load-waivers';
import { renderPrometheus, writePrometheusFile } from '../../src/report/render-prometheus';
import { DNAT_MISSING, DRILL, makeHistory, makeRun, WAIVERS_YAML } from './fixtures';

function promtool(): string | undefined {
  try {
    return execFileSync('sh', ['-c', 'command -v promtool']).toString().trim() || undefined;
  } catch {
    return undefined;
  }
}

describe('report: renderPrometheus', () => {
  const run4 = applyWaivers(makeHistory()[3], parseWaivers(WAIVERS_YAML, 'w.yaml'), new Date('2024-05-04T03:00:00Z'));

  it('exports status per check × subject, findings by severity, run and drill gauges', () => {
    const text = renderPrometheus(makeHistory()[1]);
    expect(text).to.include('# TYPE haprobe_check_status gauge');
    expect(text).to.include(
      'haprobe_check_status{check="nat-fip-rules",subject="net1/qrouter-5d2c1e8a-7b3f-4c1d-9e2a-0f6b8c4d2a11/fip 203.0.113.10",node="net1",namespace="qrouter-5d2c1e8a-7b3f-4c1d-9e2a-0f6b8c4d2a11",router="5d2c1e8a-7b3f-4c1d-9e2a-0f6b8c4d2a11",floating_ip="203.0.113.10",device=""} 0',
    );
    expect(text).to.include('haprobe_findings{severity="critical"} 1');
    expect(text).to.include('haprobe_run_success{profile="neutron-l3ha"} 0');
    expect(text).to.include('haprobe_run_duration_seconds 4.2');
    expect(text).to.include('haprobe_last_run_timestamp_seconds 1714615204.2');
    expect(text).not.to.include('haprobe_drill_');
    const drills = renderPrometheus(run4);
    expect(drills).to.include('haprobe_drill_failover_seconds{router="5d2c1e8a-7b3f-4c1d-9e2a-0f6b8c4d2a11",fault="kill-keepalived net1"} 6.22');
    expect(drills).to.include('haprobe_findings_waived 1');
    expect(drills).to.include('haprobe_waivers_expired 1');
  });

  it('escapes label values and shows an unrecovered drill as +Inf', () => {
    const odd = makeRun('x', '2024-05-04T02:00:00.000Z', [{ ...DNAT_MISSING, subject: { node: 'n"1\\x\ny' } }]);
    const text = renderPrometheus(odd, { drill: { ...DRILL, outageMs: null } });
    expect(text).to.include('node="n\\"1\\\\x\\ny"');
    expect(text).to.match(/haprobe_drill_failover_seconds\{[^}]*\} \+Inf/);
  });

  it('passes promtool check metrics', function () {
    const bin = promtool();
    if (!bin) {
      console.warn('    (promtool not installed: Debian package prometheus) — skipped');
      this.skip();
    }
    for (const run of [makeHistory()[1], run4]) {
      const res = spawnSync(bin!, ['check', 'metrics'], { input: renderPrometheus(run), encoding: 'utf8' });
      expect(res.status, res.stdout + res.stderr).to.equal(0);
      expect(res.stdout + res.stderr).to.equal('');
    }
  });

  describe('cardinality (issue 10): per-check aggregates, per-subject series optional', () => {
    /** a 200-node run: 100 rows per node (node × namespace × check), one failing subject */
    const big = (): ReturnType<typeof makeRun> => {
      const r = makeRun('big', '2024-05-04T02:00:00.000Z', [DNAT_MISSING]);
      const rows = [...r.rows];
      for (let n = 0; n < 200; n++) for (let k = 0; k < 100; k++) rows.push({ checkId: `check-${k % 10}`, subject: { node: `cmp${n}`, namespace: `qrouter-${k}` }, verdict: 'pass', findingIndexes: [] });
      return { ...r, rows };
    };
    const series = (text: string, name: string): number => text.split('\n').filter((l) => l.startsWith(name + '{') || l.startsWith(name + ' ')).length;

    it('writes haprobe_check_subjects (check × verdict) and haprobe_check_ok (per check) in every mode', () => {
      const text = renderPrometheus(makeHistory()[1]);
      expect(text).to.include('haprobe_check_subjects{check="nat-fip-rules",verdict="fail"} 1');
      expect(text).to.include('haprobe_check_ok{check="nat-fip-rules"} 0');
      expect(text).to.match(/haprobe_check_ok\{check="[^"]+"\} 1/);
    });

    it('20,000 subjects: all → 20,000+ status series; failing → only the failing one; none → aggregates only', () => {
      const r = big();
      const all = renderPrometheus(r);
      expect(series(all, 'haprobe_check_status')).to.be.greaterThan(20_000);
      const failing = renderPrometheus(r, { subjects: 'failing' });
      expect(series(failing, 'haprobe_check_status')).to.equal(1);
      expect(failing).to.match(/haprobe_check_status\{check="nat-fip-rules",[^}]*\} 0/);
      const none = renderPrometheus(r, { subjects: 'none' });
      expect(none).not.to.include('haprobe_check_status');
      expect(none.split('\n').length, 'lines without per-subject series').to.be.below(200);
      expect(none).to.include('haprobe_check_subjects{check="check-3",verdict="pass"} 2000');
    });

    it('each mode passes promtool check metrics', function () {
      const bin = promtool();
      if (!bin) this.skip();
      for (const subjects of ['all', 'failing', 'none'] as const) {
        const res = spawnSync(bin!, ['check', 'metrics'], { input: renderPrometheus(run4, { subjects }), encoding: 'utf8' });
        expect(res.status, subjects + res.stdout + res.stderr).to.equal(0);
        expect(res.stdout + res.stderr, subjects).to.equal('');
      }
    });
  });

  it('writes the textfile atomically without leaving a temp file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'haprobe-prom-'));
    try {
      const path = join(dir, 'haprobe.prom');
      writePrometheusFile(path, renderPrometheus(run4));
      expect(readdirSync(dir)).to.deep.equal(['haprobe.prom']);
      expect(readFileSync(path, 'utf8')).to.include('haprobe_check_status');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
