import { check } from '../../checks/nova-network-spof';
import { runCheckCases, type CheckCases } from './fixtures/cases';
import { novaCloud } from './fixtures/nova';

export const cases: CheckCases = {
  check,
  valid: [{ name: 'multi_host network: no single network host', cloud: novaCloud('nova-multihost') }],
  invalid: [
    {
      name: 'single-host FlatDHCP: net1 is a single point of failure (seed 000)',
      cloud: novaCloud('nova-flatdhcp'),
      findings: [{ verdict: 'fail', subject: { node: 'net1', device: 'br100' } }],
    },
  ],
};

runCheckCases(cases);
