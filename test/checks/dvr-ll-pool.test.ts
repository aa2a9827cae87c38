import { expect } from 'chai';
import { countLinkLocalPairs, LL_POOLS } from '../../checks/dvr-fip-namespace';
import { parseIpAddr } from '../../src/parse';
import type { Device, NamespaceSnapshot } from '../../src/model/types';
import { readCorpusBody } from '../helpers/corpus';

/** §7 #26, lp#1562110: the rfp-/fpr- /31 pairs of a node counted against DVR_FIP_LL_CIDR (issue 12) */
const nsOf = (devices: Device[]): NamespaceSnapshot => ({ name: 'fip-2f00f5f1', devices, routes: [], rules: [], neighbours: [], sysctls: {} });

describe('dvr-fip-namespace: link-local pool (lp#1562110)', () => {
  it('the pools are neutron\'s: 169.254.64.0/18 = 8192 /31 pairs, the pre-Newton 169.254.30.0/23 = 256', () => {
    expect(LL_POOLS).to.deep.equal([{ cidr: '169.254.64.0/18', pairs: 8192 }, { cidr: '169.254.30.0/23', pairs: 256 }]);
  });

  it('counts the one fpr- /31 of a real Liberty fip namespace in the /23 pool (169.254.31.29/31), fg- not counted', () => {
    const devs = parseIpAddr(readCorpusBody('ns-addr-route/hustcat-dvr-compute1-fip-ns-ip-a.txt')).value;
    const used = countLinkLocalPairs([nsOf(devs)]);
    expect([...used.keys()]).to.deep.equal(['169.254.30.0/23']);
    expect([...used.get('169.254.30.0/23')!]).to.have.length(1);
  });

  it('counts 256 distinct /31s when every pair of the /23 is taken, across two fip namespaces of one node', () => {
    // pure code: the real fpr- device above, renamed and readdressed once per /31 of the pool
    const real = parseIpAddr(readCorpusBody('ns-addr-route/hustcat-dvr-compute1-fip-ns-ip-a.txt')).value.find((d) => d.name.startsWith('fpr-'))!;
    const fprs = Array.from({ length: 256 }, (_, k): Device => {
      const ip = `169.254.${30 + Math.floor((2 * k + 1) / 256)}.${(2 * k + 1) % 256}`;
      return { ...real, name: `fpr-${k.toString(16).padStart(10, '0')}`, addresses: [{ ...real.addresses[0]!, address: ip, label: undefined }] };
    });
    const used = countLinkLocalPairs([nsOf(fprs.slice(0, 100)), { ...nsOf(fprs.slice(100)), name: 'fip-other' }]);
    expect(used.get('169.254.30.0/23')!.size).to.equal(256);
  });
});
