import { expect } from 'chai';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

const BIN = path.resolve(__dirname, '../../src/cli/bin.js');

/** seed 000's warning as the CLI says it: `run -p nova-hw-gateway` with VlanManager facts is exit 2 before any node is contacted */
describe('haprobe run -p nova-hw-gateway with VlanManager facts (issue 9)', () => {
  let dir: string;
  before(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hp-hwgw-'));
    // port 1 on loopback: a run that did start would end in ~1 s with exit 3, not 2
    fs.writeFileSync(path.join(dir, 'inventory.yaml'), 'knownHosts: false\nnodes:\n  - { name: net1, address: 127.0.0.1, port: 1, roles: [network] }\n');
    const nova = (networkManager: string): object => ({
      version: 1, release: 'juno',
      nova: { networkManager, networkHosts: ['net1'], networks: [{ label: 'private', cidr: '10.0.0.0/24', bridge: 'br100', multiHost: false, vlan: 100, hardwareGateway: '10.0.0.254' }] },
    });
    fs.writeFileSync(path.join(dir, 'vlan.json'), JSON.stringify(nova('vlan')));
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('exit 2, one line naming VlanManager and why', () => {
    const r = spawnSync(process.execPath, [BIN, 'run', '-q', '-i', path.join(dir, 'inventory.yaml'), '-p', 'nova-hw-gateway', '-f', path.join(dir, 'vlan.json'), '--timeout', '5'], { encoding: 'utf8', timeout: 30_000 });
    expect(r.status, r.stderr).to.equal(2);
    expect(r.stderr).to.match(/nova-hw-gateway cannot judge a VlanManager cloud/).and.match(/one per network/);
    expect(r.stderr).to.not.match(/\n\s+at /);
  });
});
