import { expect } from 'chai';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { check, judgeCmsColumns } from '../../checks/ovn-gateway-chassis';
import { parseOvnSb } from '../../src/parse/parse-ovn-sb';
import type { OvnChassis } from '../../src/model/ovn-types';
import { runCheckCases, type CheckCases } from './fixtures/cases';
import { GW1_LRP, R1, labCloud, ovnCloud } from './fixtures/ovn';

export const cases: CheckCases = {
  check,
  valid: [
    { name: 'the live OVN lab (i11-ovnlab: OVN 23.03, neutron Zed, distributed FIPs whose external_mac is the FIP port MAC)', cloud: labCloud(), withFacts: false },{ name: 'healthy OVN 23.03 NB/SB (Gateway_Chassis 3/2/1, HA_Chassis_Group 32767…)', cloud: ovnCloud(), withFacts: false }],
  invalid: [
    {
      name: 'six gateway chassis, gw2 sharing priority 3 with gw1, gwx unregistered, computes unmarked (made with ovn-nbctl)',
      cloud: ovnCloud({ db: 'gw-priorities' }),
      withFacts: false,
      findings: [
        { verdict: 'fail', subject: { router: R1, port: GW1_LRP } },
        { verdict: 'warn', subject: { router: R1, port: GW1_LRP } },
      ],
    },
  ],
};

runCheckCases(cases);

describe('ovn-gateway-chassis: ovn-cms-options in SB other_config and external_ids (judgeCmsColumns)', () => {
  // real SB Chassis tables: the lab (OVN 23.03.1 writes other_config; the lab copies the option into
  // external_ids for neutron Zed, docs/ovn-lab.md found 1) and the healthy fixture (other_config only)
  const read = (f: string): string => fs.readFileSync(path.resolve(__dirname, '../../../test/fixtures/ovn', f), 'utf8').split('\n').filter((l) => !l.startsWith('#')).join('\n');
  const lab = parseOvnSb(read('lab/sb-chassis-encap.txt')).value.chassis;
  const healthy = parseOvnSb(read('healthy/sb.txt')).value.chassis;
  const gw = (list: OvnChassis[], n: string): OvnChassis => list.find((c) => c.name === n)!;

  it('reads both columns as written: the lab\'s gw1 in both, cmp1 "" in other_config only; healthy gw1 other_config only', () => {
    expect(gw(lab, 'gw1')).to.include.keys('cmsOptionsOtherConfig', 'cmsOptionsExternalIds');
    expect(gw(lab, 'gw1').cmsOptionsExternalIds).to.deep.equal(['enable-chassis-as-gw']);
    expect(gw(lab, 'cmp1').cmsOptionsOtherConfig).to.deep.equal([]);
    expect(gw(lab, 'cmp1').cmsOptionsExternalIds).to.equal(undefined);
    expect(gw(healthy, 'gw1').cmsOptionsExternalIds).to.equal(undefined);
  });

  it('no false alarm: agreeing columns, other_config only on 2023.1+ or an unknown release, computes unmarked', () => {
    for (const c of lab) expect(judgeCmsColumns(c, 'zed'), c.name).to.equal(undefined);
    for (const c of healthy) {
      expect(judgeCmsColumns(c, '2023.1'), c.name).to.equal(undefined);
      expect(judgeCmsColumns(c, undefined), c.name).to.equal(undefined);
    }
  });

  it('other_config only with neutron Zed: a gateway neutron cannot see', () => {
    expect(judgeCmsColumns(gw(healthy, 'gw1'), 'zed')).to.match(/only in other_config, and neutron zed .* does not see this gateway/);
  });

  it('the columns disagree: warned whatever the release, saying which neutron reads which', () => {
    const staleCopy: OvnChassis = { ...gw(lab, 'cmp1'), cmsOptionsExternalIds: ['enable-chassis-as-gw'] };
    expect(judgeCmsColumns(staleCopy, undefined)).to.match(/disagree .*read by neutron 2023\.1\+.*read by neutron ≤ Zed.*only a copy in external_ids/);
    const dropped: OvnChassis = { ...gw(lab, 'gw1'), cmsOptionsExternalIds: [] };
    expect(judgeCmsColumns(dropped, '2024.1')).to.match(/ovn-controller marks it a gateway/);
  });
});
