import { expect } from 'chai';
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { labDown, labUp } from '../../src/lab';
import type { Facts } from '../../src/model/facts';
import type { RunResult } from '../../src/report/result';
import { subjectKey } from '../../checks/lib/finding';
import { renderTable } from '../../src/report';
import { useLabSuite } from '../helpers/lab-suite';
import { startApiServer, type ApiServer } from './api-server';
import { apiBodiesFromFacts } from './bodies-from-facts';
import { makeTestPki } from './make-certs';

const CLI = path.resolve(__dirname, '../../src/cli/bin.js');

function runCli(args: string[], env: NodeJS.ProcessEnv): Promise<{ code: number; result: RunResult; stderr: string }> {
  return new Promise((resolve, reject) => {
    execFile(process.execPath, [CLI, ...args], { timeout: 150_000, maxBuffer: 256 * 1024 * 1024, env: { ...process.env, CI: '1', ...env } }, (err, stdout, stderr) => {
      const code = err ? (typeof (err as { code?: unknown }).code === 'number' ? (err as { code: number }).code : 99) : 0;
      try {
        resolve({ code, result: JSON.parse(stdout) as RunResult, stderr });
      } catch {
        reject(new Error(`haprobe ${args.join(' ')} printed no JSON (exit ${code}): ${stderr.slice(0, 2000)}`));
      }
    });
  });
}

const verdicts = (r: RunResult): string[] => r.findings.map((f) => `${f.checkId} ${f.verdict} ${subjectKey(f.subject)}`).sort();
const bad = (r: RunResult): string[] => r.findings.filter((f) => f.verdict !== 'pass').map((f) => `${f.checkId} ${f.verdict} ${subjectKey(f.subject)}: ${f.message}`);

/**
 * `run --cloud` (facts read from a Keystone + Neutron API over HTTPS, serving bodies equivalent
 * to the lab's facts, made from the api-ref samples) gives the same verdicts as `run --facts`
 * on the same lab; disagreements put into the API (two actives, a stale FIP binding) are caught
 * by api-dataplane-agreement on the live lab.
 */
for (const profile of ['neutron-l3ha', 'neutron-dvr']) {
  describe(`run --cloud vs run --facts on the ${profile} lab @lab`, function () {
    this.timeout(300_000);
    const stateDir = `/var/tmp/haprobe-cloudtest-${profile}`;
    let server: ApiServer;
    let facts: Facts;
    // made when the suite starts, not when mocha loads the file (a --grep that skips it leaves nothing)
    let dir = '';
    const env = { OS_CLIENT_CONFIG_FILE: '', OS_CLOUD: 'lab' };
    const base = ['run', '-q', '--format', 'json', '-i', path.join(stateDir, 'inventory.yaml'), '-p', profile];

    useLabSuite(
      async () => {
        dir = mkdtempSync(path.join(os.tmpdir(), 'haprobe-cloud-lab-'));
        env.OS_CLIENT_CONFIG_FILE = path.join(dir, 'clouds.yaml');
        await labDown({ stateDir }).catch(() => undefined);
        await labUp({ profile, stateDir, renderer: 'silent' });
        facts = JSON.parse(readFileSync(path.join(stateDir, 'facts.json'), 'utf8')) as Facts;
        const pki = makeTestPki();
        server = await startApiServer({ tls: { key: pki.key, cert: pki.cert }, cloud: apiBodiesFromFacts(facts), credentials: { username: 'haprobe', password: 'lab-Pa55-word' }, pageSize: 3, tokenUses: 4 });
        writeFileSync(env.OS_CLIENT_CONFIG_FILE, [
          'clouds:', '  lab:', '    auth:', `      auth_url: ${server.authUrl}`, '      username: haprobe', '      password: lab-Pa55-word',
          '      project_name: admin', '      user_domain_name: Default', '      project_domain_name: Default', `    cacert: ${pki.caFile}`, '    region_name: RegionOne', '',
        ].join('\n'));
        return stateDir;
      },
      async () => {
        await server?.close();
        if (dir) rmSync(dir, { recursive: true, force: true });
        await labDown({ stateDir });
      },
      { upMs: 240_000, downMs: 120_000 },
    );

    it('healthy: the same verdicts from --facts and --cloud', async () => {
      const byFacts = await runCli([...base, '-f', path.join(stateDir, 'facts.json')], {});
      const byCloud = await runCli([...base, '--cloud', 'lab'], env);
      expect(bad(byFacts.result), 'facts run').to.deep.equal([]);
      expect(bad(byCloud.result), 'cloud run').to.deep.equal([]);
      expect(verdicts(byCloud.result)).to.deep.equal(verdicts(byFacts.result));
      expect(byCloud.code).to.equal(0);
      expect(byCloud.result.facts?.source).to.equal('cloud:lab');
      // pagination and a token that expires mid-read were both exercised against the real run
      expect(server.requests.some((r) => /marker=/.test(r.query))).to.equal(true);
      expect(server.requests.some((r) => r.status === 401), 'a token expired mid-read').to.equal(true);
      expect(byCloud.stderr).to.not.contain('lab-Pa55-word');
    });

    if (profile === 'neutron-l3ha')
      it('the API reports the router active on both agents (lp#1731595): api-dataplane-agreement fails, naming the stale API', async () => {
        const r = facts.routers[0]!;
        const saved = JSON.stringify(server.cloud.l3AgentsByRouter![r.id]);
        for (const a of server.cloud.l3AgentsByRouter![r.id]) a.ha_state = 'active';
        try {
          const { code, result } = await runCli([...base, '--cloud', 'lab'], env);
          expect(code).to.equal(1);
          const hit = result.findings.find((f) => f.checkId === 'api-dataplane-agreement' && f.verdict === 'fail' && f.subject.router === r.id && !f.subject.node);
          expect(hit, bad(result).join('\n')).to.not.equal(undefined);
          expect(hit!.message).to.match(/the API's ha_state is stale/);
          // the operator's view of it (docs/cloud-api.md quotes this output)
          console.log(renderTable({ ...result, findings: result.findings.filter((f) => f.checkId === 'api-dataplane-agreement') }, { color: false, failuresOnly: true }));
        } finally {
          server.cloud.l3AgentsByRouter![r.id] = JSON.parse(saved);
        }
      });

    it('the API binds a FIP\'s port to another compute: api-dataplane-agreement fails on that FIP', async () => {
      const fip = facts.floatingIps[0]!;
      const port = server.cloud.ports.find((p: { id: string }) => p.id === fip.portId);
      const other = facts.instances.map((i) => i.host).find((h) => h !== fip.host) ?? facts.agents.find((a) => a.host !== fip.host && a.type === 'ovs')!.host;
      const savedHost = port['binding:host_id'];
      port['binding:host_id'] = other;
      try {
        const { code, result } = await runCli([...base, '--cloud', 'lab'], env);
        expect(code).to.equal(1);
        const hit = result.findings.find((f) => f.checkId === 'api-dataplane-agreement' && f.verdict === 'fail' && f.subject.floatingIp === fip.floatingIp);
        expect(hit, bad(result).join('\n')).to.not.equal(undefined);
        expect(hit!.message).to.contain(`to ${other}`);
        console.log(renderTable({ ...result, findings: result.findings.filter((f) => f.checkId === 'api-dataplane-agreement') }, { color: false, failuresOnly: true }));
      } finally {
        port['binding:host_id'] = savedHost;
      }
    });
  });
}
