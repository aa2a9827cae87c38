import { expect } from 'chai';
import { HaprobeError } from '../../src/errors';
import type { Facts } from '../../src/model/facts';
import { refuseHwGatewayWithVlan } from '../../src/profile/refuse-hw-gateway';

/** seed 000: "The hardware gateway option is not available when running in VLAN mode" (issue 9) */
describe('nova-hw-gateway refused with VlanManager facts', () => {
  const nova = (networkManager: 'vlan' | 'flatdhcp'): Pick<Facts, 'nova'> => ({ nova: { networkManager, networkHosts: [], networks: [] } });

  it('nova-hw-gateway + networkManager vlan: a usage error that says why', () => {
    let err: unknown;
    try {
      refuseHwGatewayWithVlan('nova-hw-gateway', nova('vlan'));
    } catch (e) {
      err = e;
    }
    expect(err).to.be.instanceOf(HaprobeError);
    expect((err as HaprobeError).code).to.equal('usage');
    expect((err as HaprobeError).message).to.match(/VlanManager/).and.match(/one per network/);
  });

  it('flatdhcp facts, no facts, or another profile: no refusal', () => {
    expect(() => refuseHwGatewayWithVlan('nova-hw-gateway', nova('flatdhcp'))).not.to.throw();
    expect(() => refuseHwGatewayWithVlan('nova-hw-gateway', undefined)).not.to.throw();
    expect(() => refuseHwGatewayWithVlan('nova-flatdhcp', nova('vlan'))).not.to.throw();
  });
});
