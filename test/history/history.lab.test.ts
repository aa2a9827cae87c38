import { expect } from 'chai';
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { applyFault, healFaults, labDown, labUp } from '../../src/lab';
import type { LabFaultRecord } from '../../src/lab';
import type { RunResult } from '../../src/report/result';
import { parseLabSubject, runCli } from '../run/run-helpers';
import { useLabSuite } from '../helpers/lab-suite';

const PROFILE = 'neutron-legacy';
const CHROMIUM = '/usr/bin/chromium';
const ARTIFACTS = path.resolve(__dirname, '../../test-artifacts');

/**
 * The nightly use on a real lab: four runs into one history folder — healthy, a fault injected,
 * healed, a second fault waived — then `haprobe report` (Markdown, HTML in headless Chromium),
 * `haprobe diff`, and the Prometheus textfile through promtool.
 */
describe('history, report, diff and metrics over lab runs @lab', function () {
  this.timeout(240_000);
  const stateDir = '/var/tmp/haprobe-historytest';
  // made when the suite starts, not when mocha loads the file (a --grep that skips it leaves nothing)
  let work = '';
  let history = '';
  const runFiles: string[] = [];
  let dnatFault: LabFaultRecord;
  let macFault: LabFaultRecord;

  const run = async (extra: string[] = []): Promise<{ code: number; file: string; result: RunResult }> => {
    const before = new Set(existsSync(history) ? readdirSync(history) : []);
    const r = await runCli([
      'run', '-q', '--format', 'json', '-i', path.join(stateDir, 'inventory.yaml'), '-f', path.join(stateDir, 'facts.json'),
      '-p', PROFILE, '--output', history, ...extra,
    ]);
    const added = readdirSync(history).filter((f) => !before.has(f) && f.endsWith('.json'));
    expect(added, r.stderr).to.have.length(1);
    const file = path.join(history, added[0]);
    runFiles.push(file);
    return { code: r.code, file, result: JSON.parse(readFileSync(file, 'utf8')) as RunResult };
  };

  useLabSuite(
    async () => {
      work = mkdtempSync(path.join(tmpdir(), 'haprobe-history-'));
      history = path.join(work, 'history');
      await labDown({ stateDir }).catch(() => undefined);
      await labUp({ profile: PROFILE, stateDir, renderer: 'silent' });
      return stateDir;
    },
    async () => {
      try {
        await labDown({ stateDir });
      } finally {
        if (work) rmSync(work, { recursive: true, force: true });
      }
    },
    { upMs: 240_000, downMs: 120_000 },
  );

  it('builds a history: healthy, fault, healed, waived', async () => {
    expect((await run()).code, 'run 1 healthy').to.equal(0);

    dnatFault = await applyFault({ stateDir, name: 'missing-dnat' });
    const second = await run(['--prometheus', path.join(work, 'haprobe.prom')]);
    expect(second.code, 'run 2 with missing-dnat').to.equal(1);
    await healFaults({ stateDir, name: 'missing-dnat' });

    expect((await run()).code, 'run 3 healed').to.equal(0);

    macFault = await applyFault({ stateDir, name: 'mac-mismatch' });
    const want = parseLabSubject(macFault.subject);
    writeFileSync(
      path.join(work, 'waivers.yaml'),
      `waivers:\n  - id: W-MAC\n    check: device-mac\n    subject: { node: "${want.node}", device: "${want.device}" }\n` +
        `    justification: replacement NIC on order, CHG-42\n    expires: 2099-01-01\n  - id: W-NONE\n    check: nat-rules\n` +
        `    subject: { node: "nowhere" }\n    justification: matches nothing\n    expires: 2099-01-01\n`,
    );
    const fourth = await run(['--waivers', path.join(work, 'waivers.yaml')]);
    await healFaults({ stateDir, name: 'mac-mismatch' });
    expect(fourth.code, 'run 4: the only failure is waived').to.equal(0);
    const waived = fourth.result.findings.filter((f) => f.waived);
    expect(waived.length).to.be.greaterThan(0);
    expect(waived.every((f) => f.checkId === 'device-mac' && f.subject.node === want.node)).to.equal(true);
    expect(fourth.result.waivers?.unmatched).to.include('W-NONE');
  });

  it('haprobe diff lists exactly the changed findings and exits 1 on a regression', async () => {
    const regress = await runCli(['diff', runFiles[0], runFiles[1], '--format', 'json']);
    expect(regress.code).to.equal(1);
    const d = JSON.parse(regress.stdout) as { appeared: { checkId: string; subject: Record<string, string> }[]; disappeared: unknown[]; changed: unknown[] };
    expect(d.appeared.length).to.be.greaterThan(0);
    expect(d.appeared.every((e) => e.checkId === 'nat-rules'), JSON.stringify(d.appeared)).to.equal(true);
    expect(d.disappeared).to.deep.equal([]);
    const fixed = await runCli(['diff', runFiles[1], runFiles[2], '--format', 'json']);
    expect(fixed.code).to.equal(0);
    const f = JSON.parse(fixed.stdout) as { appeared: unknown[]; disappeared: { checkId: string }[] };
    expect(f.appeared).to.deep.equal([]);
    expect(f.disappeared.map((e) => e.checkId)).to.include('nat-rules');
  });

  it('haprobe report (Markdown) shows the regression, the fix and the waived finding with its expiry', async () => {
    const md = path.join(work, 'report.md');
    const r = await runCli(['report', '--history', history, '--format', 'md', '--out', md]);
    expect(r.code, r.stderr).to.equal(0);
    const text = readFileSync(md, 'utf8');
    expect(text).to.include('## Trend (last 4 runs)');
    expect(text).to.include('device-mac').and.include('CHG-42').and.include('2099-01-01');
    const fourRuns = text.match(/\| `[0-9a-f-]{8,}` \| (✔ pass|✘ fail)/g) ?? [];
    expect(fourRuns.length).to.equal(4);
  });

  it('the HTML report opens in headless Chromium without console errors (screenshot kept)', function () {
    if (!existsSync(CHROMIUM)) this.skip();
    const html = path.join(ARTIFACTS, 'lab-report.html');
    const png = path.join(ARTIFACTS, 'lab-report.png');
    mkdirSync(ARTIFACTS, { recursive: true });
    execFileSync(process.execPath, [path.resolve(__dirname, '../../src/cli/bin.js'), 'report', '--history', history, '--format', 'html', '--out', html]);
    const profile = mkdtempSync(path.join(tmpdir(), 'haprobe-chromium-'));
    try {
      const flags = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
        '--disable-component-update', '--disable-sync', `--user-data-dir=${profile}`, '--enable-logging=stderr', '--v=0'];
      const shot = spawnSync(CHROMIUM, [...flags, `--screenshot=${png}`, '--window-size=1400,2400', `file://${html}`], { encoding: 'utf8', timeout: 90_000 });
      expect(`${shot.stdout}\n${shot.stderr}`).not.to.match(/Uncaught|ERROR:CONSOLE|CONSOLE\(\d+\)/);
      expect(statSync(png).size).to.be.greaterThan(20_000);
      const dom = execFileSync(CHROMIUM, [...flags, '--dump-dom', `file://${html}`], { encoding: 'utf8', timeout: 90_000, stdio: ['ignore', 'pipe', 'ignore'] });
      expect(dom).to.include('<table class="matrix">').and.include('<svg');
    } finally {
      rmSync(profile, { recursive: true, force: true });
    }
  });

  it('the Prometheus textfile of the failing run passes promtool check metrics', function () {
    const which = spawnSync('sh', ['-c', 'command -v promtool'], { encoding: 'utf8' });
    if (!which.stdout.trim()) this.skip();
    const text = readFileSync(path.join(work, 'haprobe.prom'), 'utf8');
    const r = spawnSync('promtool', ['check', 'metrics'], { input: text, encoding: 'utf8' });
    expect(r.status, r.stdout + r.stderr).to.equal(0);
    expect(text).to.match(/haprobe_check_status\{[^}]*check="nat-rules"[^}]*\} 0/);
  });
});
