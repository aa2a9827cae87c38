import { expect } from 'chai';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { RunResult } from '../../src/report/result';
import { subjectKey } from '../../src/engine/evaluate';
import { startApiServer, type ApiServer } from '../openstack/api-server';
import { apiBodiesFromFacts } from '../openstack/bodies-from-facts';
import { factsOf, sosDirsOf, SOS_FIXTURES } from './sos-fixtures';

/**
 * `analyze --cloud NAME`: the expected state from the cloud's API (real HTTP, the recorded-API
 * test server serving the api-ref sample bodies with the lab's values, paginated, a token that
 * expires mid-read), the observed state from the lab's real sosreports. The verdicts must equal
 * those of `analyze -f facts.json` on the same sosreports (what the API cannot tell — haVrId,
 * upstream — is judged the same way `run --cloud` judges it).
 */
const CLI = path.resolve(__dirname, '../../src/cli/bin.js');

function runCli(args: string[], env: NodeJS.ProcessEnv = {}): Promise<{ code: number; result?: RunResult; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [CLI, ...args], { timeout: 60_000, maxBuffer: 64 * 1024 * 1024, env: { ...process.env, CI: '1', ...env } }, (err, stdout, stderr) => {
      const code = err ? (typeof (err as { code?: unknown }).code === 'number' ? (err as { code: number }).code : 99) : 0;
      let result: RunResult | undefined;
      try {
        result = JSON.parse(stdout) as RunResult;
      } catch {
        result = undefined;
      }
      resolve({ code, result, stderr });
    });
  });
}

const verdicts = (r: RunResult): string[] => r.findings.map((f) => `${f.checkId} ${f.verdict} ${subjectKey(f.subject)}`).sort();

describe('haprobe analyze --cloud (recorded-API server, real sosreports)', function () {
  this.timeout(120_000);
  let server: ApiServer;
  let dir: string;
  let env: NodeJS.ProcessEnv;

  for (const state of ['l3ha-healthy', 'l3ha-split-brain']) {
    describe(state, () => {
      before(async () => {
        server = await startApiServer({ cloud: apiBodiesFromFacts(factsOf(state)), credentials: { username: 'admin', password: 'lab-Pa55' }, pageSize: 3, tokenUses: 4 });
        dir = mkdtempSync(path.join(os.tmpdir(), 'haprobe-analyze-cloud-'));
        writeFileSync(path.join(dir, 'clouds.yaml'), `clouds:\n  lab:\n    auth:\n      auth_url: ${server.authUrl}\n      username: admin\n      password: lab-Pa55\n      project_name: admin\n      user_domain_name: Default\n      project_domain_name: Default\n`);
        env = { HOME: dir, OS_CLIENT_CONFIG_FILE: path.join(dir, 'clouds.yaml') };
      });
      after(async () => {
        await server.close();
        rmSync(dir, { recursive: true, force: true });
      });

      it('the same verdicts as analyze --facts, facts read from the API (paginated, token renewed)', async () => {
        const base = ['analyze', '-q', '--format', 'json', '-p', 'neutron-l3ha', ...sosDirsOf(state)];
        const byFacts = await runCli([...base, '-f', path.join(SOS_FIXTURES, state, 'facts.json')]);
        const byCloud = await runCli([...base, '--cloud', 'lab'], env);
        expect(byCloud.result, byCloud.stderr).to.not.equal(undefined);
        expect(byCloud.result!.facts?.source).to.equal('cloud:lab');
        expect(verdicts(byCloud.result!)).to.deep.equal(verdicts(byFacts.result!));
        expect(byCloud.code).to.equal(byFacts.code);
        expect(byCloud.code).to.equal(state === 'l3ha-healthy' ? 0 : 1);
        expect(server.requests.some((r) => /marker=/.test(r.query)), 'pagination').to.equal(true);
        expect(server.requests.some((r) => r.status === 401), 'a token expired mid-read').to.equal(true);
      });
    });
  }

  it('--facts with --cloud is a usage error; an API that answers 503 is exit 2 with one line', async () => {
    const both = await runCli(['analyze', '-p', 'neutron-l3ha', '-f', 'x.json', '--cloud', 'x', ...sosDirsOf('l3ha-healthy')]);
    expect(both.code).to.equal(2);
    expect(both.stderr).to.match(/--facts and --cloud/);
    const s = await startApiServer({ cloud: apiBodiesFromFacts(factsOf('l3ha-healthy')), credentials: { username: 'admin', password: 'lab-Pa55' } });
    const d = mkdtempSync(path.join(os.tmpdir(), 'haprobe-analyze-cloud-'));
    try {
      s.faults.push({ match: /GET .*\/v2\.0\/routers$/, status: 503 });
      writeFileSync(path.join(d, 'clouds.yaml'), `clouds:\n  lab:\n    auth:\n      auth_url: ${s.authUrl}\n      username: admin\n      password: lab-Pa55\n      project_name: admin\n      user_domain_name: Default\n      project_domain_name: Default\n`);
      const r = await runCli(['analyze', '-q', '-p', 'neutron-l3ha', '--cloud', 'lab', ...sosDirsOf('l3ha-healthy')], { HOME: d, OS_CLIENT_CONFIG_FILE: path.join(d, 'clouds.yaml') });
      expect(r.code).to.equal(2);
      expect(r.stderr).to.match(/503/);
    } finally {
      await s.close();
      rmSync(d, { recursive: true, force: true });
    }
  });
});
