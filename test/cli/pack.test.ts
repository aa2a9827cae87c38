import { expect } from 'chai';
import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { CHECK_IDS } from '../../checks';
import { writeRunFile } from '../../src/report/write-run-file';
import { makeHistory } from '../report/fixtures';

/** the repository root: this file runs from dist/test/cli/ */
const ROOT = path.resolve(__dirname, '../../..');
const NPM = process.platform === 'win32' ? 'npm.cmd' : 'npm';

/** npm failures that mean "no registry and nothing in the cache", not a packaging bug */
const NETWORK_ERRORS = /ENOTCACHED|EAI_AGAIN|ENOTFOUND|ECONNREFUSED|ETIMEDOUT|ENETUNREACH|ECONNRESET/;

/** npm without the caller's HAPROBE_* or npm_config_* overrides (mocha may run under `npm test`) */
function cleanEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (!/^(HAPROBE_|npm_)/i.test(k)) env[k] = v;
  return env;
}

function npm(args: string[], cwd: string, timeout = 120_000): SpawnSyncReturns<string> {
  return spawnSync(NPM, args, { cwd, encoding: 'utf8', timeout, env: cleanEnv() });
}

/**
 * Issue 13 "installable": the tarball `npm pack` makes installs into a fresh prefix and its
 * `haprobe` finds its own profiles, checks and run-file schema from any cwd. The build itself is
 * not repeated here (this file runs from dist/, so it exists): the tarball is packed with
 * --ignore-scripts, and a separate assertion pins that prepack is the clean build.
 * Dependencies come from npm's cache when it has them, else the registry (--prefer-offline);
 * with neither, the install test is skipped and says why.
 */
describe('cli: npm pack → npm install -g → haprobe (issue 13)', function () {
  this.timeout(180_000);
  let tmp: string;
  let tarball: string;
  let files: string[];
  let bin: string;
  let outside: string;
  let installError: string | undefined;

  before(function () {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'hp-pack-'));
    outside = path.join(tmp, 'elsewhere');
    fs.mkdirSync(outside);
    for (const built of ['dist/src/cli/bin.js', 'dist/checks/index.js', 'dist/reports/run-result.schema.json'])
      expect(fs.existsSync(path.join(ROOT, built)), `${built} is built`).to.equal(true);
    const pack = npm(['pack', '--ignore-scripts', '--json', '--pack-destination', tmp], ROOT);
    expect(pack.status, pack.stderr).to.equal(0);
    const [info] = JSON.parse(pack.stdout) as { filename: string; files: { path: string }[] }[];
    tarball = path.join(tmp, info!.filename);
    files = info!.files.map((f) => f.path);
    const prefix = path.join(tmp, 'prefix');
    const install = npm(['install', '-g', '--prefix', prefix, tarball, '--prefer-offline', '--no-audit', '--no-fund'], outside);
    if (install.status !== 0) installError = `${install.stderr}${install.error ? String(install.error) : ''}`;
    bin = path.join(prefix, 'bin', 'haprobe');
  });
  after(() => fs.rmSync(tmp, { recursive: true, force: true }));

  /** the installed command, from a cwd outside the repository, without HAPROBE_PROFILES_DIR */
  const haprobe = (args: string[]): SpawnSyncReturns<string> =>
    spawnSync(bin, args, { cwd: outside, encoding: 'utf8', timeout: 30_000, env: cleanEnv() });

  function requireInstalled(ctx: Mocha.Context): void {
    if (installError === undefined) return;
    if (NETWORK_ERRORS.test(installError)) ctx.skip();
    expect.fail(`npm install -g of the tarball failed:\n${installError}`);
  }

  it('prepack is the clean build, so a packed tarball never ships a stale dist', () => {
    const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> };
    expect(pkg.scripts['prepack']).to.equal('npm run clean && npm run build');
    // tsc, then the precompiled schema validators (issue 10: no ajv compile in a run)
    expect(pkg.scripts['build']).to.equal('tsc -p tsconfig.json && node scripts/build-validators.js');
    expect(pkg.scripts['clean']).to.include("rmSync('dist'");
  });

  it('the tarball holds the runtime (dist/src, dist/checks, schema, profiles) and no tests, bench or maps', () => {
    for (const f of ['package.json', 'dist/src/cli/bin.js', 'dist/checks/index.js', 'dist/reports/run-result.schema.json', 'reports/run-result.schema.json', 'profiles/base.yaml', 'profiles/neutron-l3ha.yaml', 'examples/sudoers.d/haprobe'])
      expect(files, f).to.include(f);
    for (const id of CHECK_IDS) expect(files, id).to.include(`dist/checks/${id}.js`);
    // built by `npm run build` (a plain tsc build has none, and the code then compiles the schemas)
    for (const f of ['dist/src/model/facts-validator.generated.js', 'dist/src/model/run-result-validator.generated.js'])
      if (fs.existsSync(path.join(ROOT, f))) expect(files, f).to.include(f);
    expect(files.filter((f) => /^dist\/(test|bench)\/|\.map$|\.ts$|^test\/|^src\//.test(f))).to.deep.equal([]);
  });

  it('haprobe --version and run --help work from the installed prefix', function () {
    requireInstalled(this);
    const version = haprobe(['--version']);
    expect(version.status, version.stderr).to.equal(0);
    const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { version: string };
    expect(version.stdout.trim()).to.equal(pkg.version);
    const help = haprobe(['run', '--help']);
    expect(help.status, help.stderr).to.equal(0);
    expect(help.stdout).to.include('--inventory').and.include('--profile');
  });

  it('haprobe checks, explain and profiles find the checks and profiles inside the installed package', function () {
    requireInstalled(this);
    const checks = haprobe(['checks', '--format', 'json']);
    expect(checks.status, checks.stderr).to.equal(0);
    const ids = (JSON.parse(checks.stdout) as { id: string }[]).map((c) => c.id);
    expect(ids).to.include.members([...CHECK_IDS]);
    const profiles = haprobe(['profiles', '--format', 'json']);
    expect(profiles.status, profiles.stderr).to.equal(0);
    const list = JSON.parse(profiles.stdout) as { id: string; file: string; checks: string[] }[];
    expect(list.map((p) => p.id)).to.include.members(['neutron-legacy', 'neutron-l3ha', 'neutron-dvr', 'neutron-dvr-snat-ha']);
    const installed = fs.realpathSync(path.join(tmp, 'prefix'));
    for (const p of list) expect(fs.realpathSync(p.file).startsWith(installed), p.file).to.equal(true);
    for (const p of list) expect(p.checks.length, p.id).to.be.greaterThan(0);
    const explain = haprobe(['explain', 'l3ha-vrid-unique']);
    expect(explain.status, explain.stderr).to.equal(0);
    expect(explain.stdout).to.include('What it reads').and.include('https://bugs.launchpad.net/bugs/1823314');
    const table = haprobe(['profiles']);
    expect(table.status, table.stderr).to.equal(0);
    expect(table.stdout).to.include('neutron-l3ha');
  });

  it('haprobe report validates run files against the schema shipped in the package', function () {
    requireInstalled(this);
    const history = path.join(outside, 'history');
    for (const r of makeHistory()) writeRunFile(history, r);
    const report = haprobe(['report', '--history', history, '--format', 'md']);
    expect(report.status, report.stderr).to.equal(0);
    expect(report.stderr).to.not.match(/skipp|invalid/i);
    expect(report.stdout).to.include('run4');
  });
});
