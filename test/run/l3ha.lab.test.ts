import { describeRunAgainstLab } from './run-faults';

describeRunAgainstLab('neutron-l3ha', [
  'split-brain',
  'missing-garp',
  'missing-dnat',
  'stale-namespace',
  'missing-namespace',
  'mac-mismatch',
  'missing-antispoof-flow',
  'node-unreachable',
]);
