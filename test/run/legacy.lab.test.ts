import { describeRunAgainstLab } from './run-faults';

describeRunAgainstLab('neutron-legacy', [
  'missing-garp',
  'wrong-sender-garp',
  'missing-dnat',
  'stale-namespace',
  'missing-namespace',
  'mac-mismatch',
  'missing-antispoof-flow',
  'node-unreachable',
]);
