import { describeRunAgainstLab } from './run-faults';

describeRunAgainstLab('neutron-dvr-snat-ha', ['split-brain', 'stale-namespace', 'missing-dnat']);
