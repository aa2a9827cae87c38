import { expect } from 'chai';
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Command } from 'commander';
import { registerReportCommand } from '../../src/cli/commands/report';
import { parseWaivers } from '../../src/report/load-waivers';

/** dist/test/report → repo/examples/scheduling */
const DIR = resolve(__dirname, '../../../examples/scheduling');
const read = (name: string): string => readFileSync(join(DIR, name), 'utf8');

function directives(unit: string, key: string): string[] {
  return unit
    .split('\n')
    .filter((l) => l.startsWith(`${key}=`))
    .map((l) => l.slice(key.length + 1));
}

function systemdAnalyze(): string | undefined {
  const r = spawnSync('sh', ['-c', 'command -v systemd-analyze'], { encoding: 'utf8' });
  return r.status === 0 ? r.stdout.trim() : undefined;
}

const CRON_FIELD = /^(\*|\d+(-\d+)?)(\/\d+)?(,(\*|\d+(-\d+)?)(\/\d+)?)*$/;

describe('report: scheduling examples', () => {
  const service = read('haprobe-nightly.service');
  const timer = read('haprobe-nightly.timer');

  it('service runs haprobe run with --output and --prometheus, then refreshes the report', () => {
    const [start] = directives(service, 'ExecStart');
    expect(start).to.match(/^\/\S+\/haprobe run /);
    expect(start).to.include('--output /var/lib/haprobe/history').and.include('--prometheus /var/lib/node_exporter/textfile/haprobe.prom');
    const [post] = directives(service, 'ExecStartPost');
    expect(post).to.match(/^\/\S+\/haprobe report --history \/var\/lib\/haprobe\/history /);
    expect(directives(service, 'SuccessExitStatus')).to.deep.equal(['1 3']);
    expect(directives(service, 'Type')).to.deep.equal(['oneshot']);
  });

  it('timer has an OnCalendar and points at the service', () => {
    expect(directives(timer, 'OnCalendar')).to.deep.equal(['*-*-* 02:30:00']);
    expect(directives(timer, 'Unit')).to.deep.equal(['haprobe-nightly.service']);
    expect(directives(timer, 'WantedBy')).to.deep.equal(['timers.target']);
  });

  it('the report command line in the examples is accepted by `haprobe report`', () => {
    const program = new Command('haprobe');
    registerReportCommand(program);
    const known = new Set(program.commands[0].options.map((o) => o.long));
    const lines = [...directives(service, 'ExecStartPost'), read('haprobe.crontab').split('; ')[1]];
    for (const line of lines) {
      const flags = line.split(/\s+/).filter((w) => w.startsWith('--'));
      expect(flags.filter((f) => !known.has(f)), line).to.deep.equal([]);
    }
  });

  it('cron line: five time fields, absolute paths, run then report', () => {
    const entries = read('haprobe.crontab').split('\n').filter((l) => l.trim() && !l.startsWith('#'));
    expect(entries).to.have.length(1);
    const fields = entries[0].split(/\s+/);
    fields.slice(0, 5).forEach((f) => expect(f).to.match(CRON_FIELD));
    expect(fields[5]).to.match(/^\/\S+\/haprobe$/);
    expect(fields[6]).to.equal('run');
    expect(entries[0]).to.include('--prometheus /var/lib/node_exporter/textfile/haprobe.prom').and.include('haprobe report --history');
  });

  it('the waivers example loads', () => {
    expect(parseWaivers(read('waivers.example.yaml'), 'waivers.example.yaml').map((w) => w.id)).to.deep.equal(['W-7', 'W-8']);
  });

  it('systemd-analyze verify accepts the units (haprobe replaced by a stub)', function () {
    const bin = systemdAnalyze();
    if (!bin) {
      console.warn('    (systemd-analyze not installed) — skipped; the parse tests above still ran');
      this.skip();
    }
    this.timeout(30_000);
    const tmp = mkdtempSync(join(tmpdir(), 'haprobe-units-'));
    try {
      // verify checks that ExecStart binaries exist: point them at a stub haprobe
      const stub = join(tmp, 'haprobe');
      writeFileSync(stub, '#!/bin/sh\nexit 0\n');
      chmodSync(stub, 0o755);
      for (const name of ['haprobe-nightly.service', 'haprobe-nightly.timer']) {
        writeFileSync(join(tmp, name), read(name).replace(/\/usr\/local\/bin\/haprobe/g, stub));
      }
      const r = spawnSync(bin!, ['verify', join(tmp, 'haprobe-nightly.service'), join(tmp, 'haprobe-nightly.timer')], { encoding: 'utf8' });
      expect(r.status, r.stderr).to.equal(0);
      // only warnings about haprobe's own units count: verify also loads the host's installed units, and
      // Debian's OpenStack packages (setup.sh --with-openstack) ship some it warns about
      // ("keystone.service: Dependency After=keystone.service is dropped")
      const ours = r.stderr.split('\n').filter((l) => l.trim() !== '' && /haprobe/.test(l));
      expect(ours, 'warnings').to.deep.equal([]);
      const cal = spawnSync(bin!, ['calendar', directives(timer, 'OnCalendar')[0]], { encoding: 'utf8' });
      expect(cal.status, cal.stderr).to.equal(0);
    } finally {
      rmSync(tmp, { recursive: true, force: true });
    }
    expect(existsSync(tmp)).to.equal(false);
  });
});
