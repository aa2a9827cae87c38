import { isUpdatingRouter, judgeHaReadiness } from '../../src/lab/neutron/build';
import { expect } from 'chai';
import { parseVrId, factsPortOf } from '../../src/lab/neutron/facts';
import { neutronLabPaths, NLAB_NET, NEUTRON_LAB_DIR, upNeutronStateDir } from '../../src/lab/neutron/names';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { renderAgentNeutronConf, renderKeystoneUwsgi, renderL3AgentIni, renderOvsAgentIni, renderServerConf } from '../../src/lab/neutron/render-config';
import { renderNeutronHostSetup } from '../../src/lab/neutron/render-host';
import { NEUTRON_PROFILES, topologyOf } from '../../src/lab/neutron/topology';

/** pure parts of the real-Neutron lab engine (issue 16): topology, rendered configs, facts from API bodies */
describe('real-Neutron lab engine: pure parts', () => {
  it('profiles stay small: at most 3 nodes besides the upstream, names of the hand-built lab', () => {
    for (const p of NEUTRON_PROFILES) {
      const t = topologyOf(p);
      expect(t.nodes.filter((n) => n.kind !== 'gateway').length).to.be.at.most(3);
      expect(t.nodes[0].name).to.equal('upstream');
      for (const n of t.nodes) expect(n.mgmtIp.startsWith('198.18.8.')).to.equal(true);
    }
    expect(() => topologyOf('nope')).to.throw(/unknown real-engine profile/);
  });

  it('the external range is never on a host interface: only hq-mgmt gets an address on the host', () => {
    const script = renderNeutronHostSetup(topologyOf('neutron-l3ha'));
    const hostAddrs = script.split('\n').filter((l) => /^ip addr add/.test(l));
    expect(hostAddrs).to.deep.equal([`ip addr add ${NLAB_NET.mgmtHost}/24 dev hq-mgmt`]);
    expect(script).not.to.match(/203\.0\.113/);
    // tx checksum offload off on both ends of every veth (userspace datapath drops TCP otherwise)
    expect(script.match(/ethtool -K/g)!.length).to.equal(script.match(/ip link add \S+ (netns \S+ )?type veth/g)!.length * 2);
  });

  it('configs: netdev datapath, l2population (DVR needs it), own host=, rem-header kept, HA/DVR flags per mode', () => {
    const dvr = topologyOf('neutron-dvr').nodes.find((n) => n.name === 'cmp1')!;
    const ovs = renderOvsAgentIni(dvr, 'dvr');
    expect(ovs).to.match(/datapath_type = netdev/).and.match(/l2_population = true/).and.match(/enable_distributed_routing = true/).and.match(/local_ip = 198\.18\.9\.21/);
    expect(renderAgentNeutronConf(dvr)).to.match(/^host = cmp1$/m);
    expect(renderL3AgentIni(dvr)).to.match(/agent_mode = dvr$/m);
    const p = neutronLabPaths('/tmp/x');
    expect(renderKeystoneUwsgi(p)).to.match(/rem-header = Content-Length/);
    expect(renderServerConf(p, 'ha')).to.match(/l3_ha = true/).and.match(/router_distributed = false/);
    expect(renderServerConf(p, 'dvr-ha')).to.match(/l3_ha = true/).and.match(/router_distributed = true/);
  });

  it('ha_vr_id from a real Zed keepalived.conf (not in the API body)', () => {
    const conf = 'global_defs {\n    router_id neutron\n}\nvrrp_instance VR_137 {\n    state BACKUP\n    interface ha-1870d418-59\n    virtual_router_id 137\n    priority 50\n}';
    expect(parseVrId(conf)).to.equal(137);
    expect(parseVrId('')).to.equal(undefined);
  });

  it('a facts port from a Neutron port body', () => {
    const fp = factsPortOf({
      id: 'p1', device_owner: 'network:ha_router_replicated_interface', device_id: 'r1', network_id: 'n1', mac_address: 'fa:16:3e:48:94:7a',
      fixed_ips: [{ subnet_id: 's1', ip_address: '10.0.0.1' }], 'binding:host_id': 'net2', admin_state_up: true, port_security_enabled: false, allowed_address_pairs: [],
    }, { s1: 24 });
    expect(fp).to.deep.equal({ id: 'p1', deviceOwner: 'network:ha_router_replicated_interface', deviceId: 'r1', networkId: 'n1', mac: 'fa:16:3e:48:94:7a',
      fixedIps: ['10.0.0.1'], prefixLen: 24, host: 'net2', portSecurityEnabled: false });
  });
});

describe('real engine: HA router readiness (API vs keepalived state files)', () => {
  it('ready when the API has one active and the rest standby', () => {
    expect(judgeHaReadiness([{ host: 'net1', ha_state: 'active' }, { host: 'net2', ha_state: 'standby' }], {})).to.deep.equal({ ready: true, apiStale: false });
  });
  it('API stale: keepalived settled (net2 primary) but the API says unknown/standby (the clean-clone dvr-snat-ha failure)', () => {
    expect(judgeHaReadiness([{ host: 'net1', ha_state: 'standby' }, { host: 'net2', ha_state: 'unknown' }], { net1: 'backup', net2: 'primary' }))
      .to.deep.equal({ ready: false, apiStale: true });
  });
  it('not stale while keepalived itself has not settled (no state file, or two primaries)', () => {
    expect(judgeHaReadiness([{ host: 'net1', ha_state: 'standby' }, { host: 'net2', ha_state: 'unknown' }], { net1: 'backup' }).apiStale).to.equal(false);
    expect(judgeHaReadiness([{ host: 'net1', ha_state: 'standby' }, { host: 'net2', ha_state: 'standby' }], { net1: 'primary', net2: 'primary' }).apiStale).to.equal(false);
  });
});

describe('real engine: is an L3 agent still processing the router (its log)', () => {
  // real lines of neutron-l3-agent (Zed) on net2 of a loaded neutron-dvr-snat-ha lab, 2026-11-30
  const rid = '95a83abf-a8b6-4ce1-a6ab-8317364501e8';
  const finished = `2026-11-30 20:01:40.444 50 INFO neutron.agent.l3.agent [-] Finished a router update for ${rid}, update_id 502bbbad-9cbe-45de-b414-79c794a1986f. Time elapsed: 130.412\n`;
  const started = `2026-11-30 20:01:40.444 50 INFO neutron.agent.l3.agent [-] Starting router update for ${rid}, action 3, priority 1, update_id 7d59bce9-1a6f-4ff7-8357-b344b912134a. Wait time elapsed: 124.439\n`;
  it('busy after a start with no finish after it; idle after the finish; idle with no line about it', () => {
    expect(isUpdatingRouter(finished + started, rid)).to.equal(true);
    expect(isUpdatingRouter(started + finished, rid)).to.equal(false);
    expect(isUpdatingRouter(started, 'another-router')).to.equal(false);
  });
});

describe('real engine: which lab down/fault/failover act on', () => {
  const saved = process.env.HAPROBE_NEUTRON_LAB_DIR;
  let dir = '';
  beforeEach(() => {
    delete process.env.HAPROBE_NEUTRON_LAB_DIR;
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hq-owner-'));
  });
  afterEach(() => {
    if (saved === undefined) delete process.env.HAPROBE_NEUTRON_LAB_DIR; else process.env.HAPROBE_NEUTRON_LAB_DIR = saved;
    fs.rmSync(dir, { recursive: true, force: true });
  });
  it("the lab the owner file names (a suite's own --state-dir left by a killed run), when that dir exists", () => {
    const lab = path.join(dir, 'haprobe-neutron-test');
    fs.mkdirSync(lab);
    fs.writeFileSync(path.join(dir, 'owner'), lab + '\n');
    expect(upNeutronStateDir(undefined, path.join(dir, 'owner'))).to.equal(lab);
  });
  it('the default without an owner file, or when the named dir is gone or not absolute', () => {
    expect(upNeutronStateDir(undefined, path.join(dir, 'none'))).to.equal(NEUTRON_LAB_DIR);
    fs.writeFileSync(path.join(dir, 'owner'), path.join(dir, 'gone') + '\n');
    expect(upNeutronStateDir(undefined, path.join(dir, 'owner'))).to.equal(NEUTRON_LAB_DIR);
    fs.writeFileSync(path.join(dir, 'owner'), 'relative/dir\n');
    expect(upNeutronStateDir(undefined, path.join(dir, 'owner'))).to.equal(NEUTRON_LAB_DIR);
  });
  it('--state-dir and $HAPROBE_NEUTRON_LAB_DIR win over the owner file', () => {
    fs.writeFileSync(path.join(dir, 'owner'), dir + '\n');
    expect(upNeutronStateDir('/var/tmp/x', path.join(dir, 'owner'))).to.equal('/var/tmp/x');
    process.env.HAPROBE_NEUTRON_LAB_DIR = '/var/tmp/y';
    expect(upNeutronStateDir(undefined, path.join(dir, 'owner'))).to.equal('/var/tmp/y');
  });
});
