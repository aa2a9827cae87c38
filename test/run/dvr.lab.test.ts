import { describeRunAgainstLab } from './run-faults';

describeRunAgainstLab('neutron-dvr', ['missing-garp', 'missing-dnat', 'missing-namespace', 'mac-mismatch', 'missing-antispoof-flow']);
