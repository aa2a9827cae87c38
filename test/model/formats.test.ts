import { expect } from 'chai';
import { isCidr, isHostname, isHostOrIp, isInterfaceName, isIp, isMac, isNamespaceName, isUuid } from '../../src/model/formats';

/** [predicate, accepted, refused] */
const CASES: [string, (s: string) => boolean, string[], string[]][] = [
  ['isUuid', isUuid, ['b7b1f8e9-2245-40a1-8575-d7dfa585cfa0', 'B7B1F8E9-2245-40A1-8575-D7DFA585CFA0'], ['', 'b7b1f8e9', 'b7b1f8e9-2245-40a1-8575-d7dfa585cfa0;id', '$(touch X)']],
  ['isIp', isIp, ['10.0.0.1', '::1', 'fe80::f816:3eff:fe00:1', '2001:db8::1'], ['10.0.0.256', '010.0.0.1', '10.0.0.1 ', 'fe80::1%eth0', '`id`', '']],
  ['isCidr', isCidr, ['10.0.0.0/24', '0.0.0.0/0', '2001:db8::/64', '::/0'], ['10.0.0.0', '10.0.0.0/33', '2001:db8::/129', '10.0.0.0/24/1', 'x/8']],
  ['isMac', isMac, ['fa:16:3e:00:00:01', 'FA:16:3E:AA:BB:CC'], ['zz', 'fa:16:3e:00:00', 'fa-16-3e-00-00-01', 'fa:16:3e:00:00:01:02']],
  // the kernel's dev_valid_name(): vlan#10 is legal (issue 8), 16 bytes is not
  ['isInterfaceName', isInterfaceName, ['eth0', 'vlan#10', 'qg-6c791549-3c', 'br-ex', 'a', '123456789012345', 'eth0@x'], ['', '.', '..', 'a/b', 'eth0:1', 'has space', 'tab\tx', '1234567890123456', 'é'.repeat(8)]],
  ['isNamespaceName', isNamespaceName, ['qrouter-b7b1f8e9-2245-40a1-8575-d7dfa585cfa0', 'fip-x', 'up'], ['', '.', '..', 'a/b', '*  x', 'a\nb']],
  ['isHostname', isHostname, ['net1', 'compute-01.example.com', 'node_1', 'x.'], ['', 'net 1', '-net', 'net-', 'a..b', 'net1;id', `${'a'.repeat(64)}`]],
  ['isHostOrIp', isHostOrIp, ['net1', '192.0.2.1', '2001:db8::1'], ['net1 -oProxyCommand=x', '-oProxyCommand=x', '']],
];

describe('formats (issue 8): one rule per kind of value', () => {
  for (const [name, test, good, bad] of CASES) {
    it(`${name} accepts ${good.length} and refuses ${bad.length} values`, () => {
      for (const s of good) expect(test(s), `${name}(${JSON.stringify(s)})`).to.equal(true);
      for (const s of bad) expect(test(s), `${name}(${JSON.stringify(s)})`).to.equal(false);
    });
  }
});
