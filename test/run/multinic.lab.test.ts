import { describeRunAgainstLab } from './run-faults';

// issue 9, neutron-multinic-aa (seed 001): healthy run clean, each lab fault caught by its check, clean after heal
describeRunAgainstLab('neutron-multinic-aa', ['mn-same-node', 'mn-no-policy-rule', 'mn-backend-down']);
