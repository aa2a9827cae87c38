import { expect } from 'chai';
import * as fs from 'fs';
import * as path from 'path';
import { configFileOf, isLiveProcessState, parseKeepalivedProcesses, processesOfRouter } from '../../src/parse/parse-keepalived-procs';
import { splitCorpusSample } from '../helpers/corpus';

const FIXTURE = path.resolve(__dirname, '../../../test/parse/fixtures/keepalived-procs-l3ha-lab-zed.txt');
const ROUTER = 'b7b1f8e9-2245-40a1-8575-d7dfa585cfa0';

/** the collector's keepalived-procs section (issue 12): keepalived processes by /proc stat and cmdline */
describe('parse: keepalived processes (/proc stat + cmdline)', () => {
  it('reads the lab\'s real section: parent and VRRP child running this router\'s keepalived.conf', () => {
    const { value, warnings } = parseKeepalivedProcesses(splitCorpusSample(fs.readFileSync(FIXTURE, 'utf8')).body);
    expect(warnings).to.deep.equal([]);
    expect(value.map(({ pid, ppid, state }) => ({ pid, ppid, state }))).to.deep.equal([{ pid: 68, ppid: 1, state: 'S' }, { pid: 70, ppid: 68, state: 'S' }]);
    expect(value[0]!.argv.slice(0, 2)).to.deep.equal(['keepalived', '-P']);
    expect(value[0]!.configFile).to.equal(`/var/lib/neutron/ha_confs/${ROUTER}/keepalived.conf`);
    expect(processesOfRouter(value, ROUTER).map((p) => p.pid)).to.deep.equal([68, 70]);
    expect(processesOfRouter(value, 'b7b1f8e9')).to.deep.equal([]);
  });

  it('reads the real L3 agent\'s keepalived (real-Neutron engine): the same command line, matched to its router', () => {
    const file = path.resolve(__dirname, '../../../test/parse/fixtures/keepalived-procs-real-neutron-l3ha.txt');
    const { value, warnings } = parseKeepalivedProcesses(splitCorpusSample(fs.readFileSync(file, 'utf8')).body);
    expect(warnings).to.deep.equal([]);
    expect(value.map((p) => `${p.pid}/${p.ppid}/${p.state}`)).to.deep.equal(['172/1/S', '173/172/S']);
    expect(value.every((p) => p.argv.join(' ').startsWith('keepalived -P -f /var/lib/neutron/ha_confs/7f1e11f9-a358-4d14-9f94-32da19efeaf3/keepalived.conf -p '))).to.equal(true);
    expect(processesOfRouter(value, '7f1e11f9-a358-4d14-9f94-32da19efeaf3')).to.have.length(2);
  });

  it('a comm with spaces and parentheses, a zombie without cmdline, a stopped process', () => {
    const text = [
      '@stat 7 (keep (a) live) T 1 7', 'keepalived', '-f', '/x/r1/keepalived.conf', '',
      '@stat 8 (keepalived) Z 1 8', '',
      '@stat 9 (keepalived) S 1 9', 'keepalived', '--use-file=/etc/kolla/ha_confs/r1/keepalived.conf', '',
    ].join('\n');
    const { value, warnings } = parseKeepalivedProcesses(text);
    expect(warnings).to.deep.equal([]);
    expect(value.map((p) => `${p.pid}:${p.state}:${p.configFile ?? '-'}`)).to.deep.equal(['7:T:/x/r1/keepalived.conf', '8:Z:-', '9:S:/etc/kolla/ha_confs/r1/keepalived.conf']);
    expect(processesOfRouter(value, 'r1').filter((p) => isLiveProcessState(p.state)).map((p) => p.pid)).to.deep.equal([9]);
  });

  it('total: garbage gives warnings, never a throw', () => {
    const { value, warnings } = parseKeepalivedProcesses('stray\n@stat nonsense\n-f\n');
    expect(value).to.deep.equal([]);
    expect(warnings.length).to.equal(3);
  });

  it('configFileOf: -f X, -fX, --use-file X, --use-file=X', () => {
    expect(configFileOf(['k', '-f', 'a'])).to.equal('a');
    expect(configFileOf(['k', '-fa'])).to.equal('a');
    expect(configFileOf(['k', '--use-file', 'a'])).to.equal('a');
    expect(configFileOf(['k', '-P', '--use-file=a'])).to.equal('a');
    expect(configFileOf(['k', '-P'])).to.equal(undefined);
  });
});
