import type { Command } from 'commander';
import path from 'node:path';
import { HaprobeError } from '../../errors';
import { EXIT } from '../exit-codes';
import { reportExitCode } from '../context';
import { labUp, labDown, applyFault, healFaults, findProfile, PROFILES } from '../../lab';
import { runCommand, exitCodeOf, RUN_DEFAULTS } from './run';
import type { RunResult } from '../../report/result';

interface DemoFlags {
  profile: string;
  fault?: string | false;
  keep?: boolean;
  stateDir?: string;
}

/** The fault each profile's demo shows being caught. */
const DEMO_FAULT: Record<string, string> = {
  'neutron-legacy': 'missing-dnat',
  'neutron-l3ha': 'split-brain',
  'neutron-dvr': 'mac-mismatch',
  'neutron-dvr-snat-ha': 'split-brain',
};

export function registerDemoCommand(program: Command): void {
  program
    .command('demo')
    .summary('build the lab, validate it, inject a fault, show haprobe catching it, tear down')
    .description(
      'haprobe\'s main job end to end on this machine (root): `lab up` of the chosen profile, `haprobe run` on the ' +
        'healthy lab (every check must pass), one fault injected (`lab fault`), `haprobe run` again (it must name ' +
        'the fault), `lab heal`, and `lab down` (unless --keep). Exit 0 when both runs judged as expected.',
    )
    .option('-p, --profile <id>', `lab profile: ${PROFILES.map((p) => p.id).join(', ')}`, 'neutron-l3ha')
    .option('--fault <name>', 'fault to inject (default: one that fits the profile)')
    .option('--no-fault', 'only the healthy run')
    .option('--keep', 'leave the lab up afterwards (then: haprobe lab down)')
    .option('--state-dir <dir>', 'lab state dir', '/var/tmp/haprobe-demo')
    .action(async (flags: DemoFlags) => {
      reportExitCode(await runDemo(flags));
    });
}

/**
 * The fault counts as caught when its check judged something fail or warn. A skip (node not
 * judged) or an error (the check crashed) is not haprobe catching the fault.
 */
export function faultCaught(result: Pick<RunResult, 'findings'>, checkId: string): boolean {
  return result.findings.some((f) => f.checkId === checkId && (f.verdict === 'fail' || f.verdict === 'warn'));
}

async function runDemo(flags: DemoFlags): Promise<typeof EXIT[keyof typeof EXIT]> {
  if (!findProfile(flags.profile)) {
    throw new HaprobeError('usage', `unknown lab profile "${flags.profile}"`, { where: '--profile', hint: PROFILES.map((p) => p.id).join(', ') });
  }
  const stateDir = path.resolve(flags.stateDir ?? '/var/tmp/haprobe-demo');
  const say = (line: string): void => void process.stderr.write(`\n== ${line}\n`);
  let ok = true;
  try {
    say(`lab up --profile ${flags.profile} (real netns, sshd, Open vSwitch, iptables, keepalived)`);
    const up = await labUp({ profile: flags.profile, stateDir });
    const runFlags = {
      inventory: up.inventory,
      facts: up.facts,
      profile: flags.profile,
      format: 'table' as const,
      ...RUN_DEFAULTS,
      failuresOnly: false,
      quiet: false,
    };
    say(`haprobe run -i ${up.inventory} -f ${up.facts} -p ${flags.profile}`);
    const healthy = await runCommand(runFlags);
    if (exitCodeOf(healthy) !== EXIT.OK) {
      ok = false;
      process.stderr.write('demo: the healthy lab did not pass every check (see the table above)\n');
    }
    const fault = flags.fault === false ? undefined : (flags.fault ?? DEMO_FAULT[flags.profile]);
    if (fault) {
      say(`haprobe lab fault ${fault}`);
      const rec = await applyFault({ stateDir, name: fault });
      process.stderr.write(`injected ${rec.name} on ${rec.subject}; expected finding: ${rec.check}\n`);
      say(`haprobe run … again (failures only)`);
      const faulty = await runCommand({ ...runFlags, failuresOnly: true });
      const caught = faultCaught(faulty, rec.check);
      process.stderr.write(caught ? `demo: haprobe caught ${fault} with check ${rec.check}\n` : `demo: ${fault} was NOT caught by ${rec.check}\n`);
      ok = ok && caught;
      say(`haprobe lab heal ${fault}`);
      await healFaults({ stateDir, name: fault });
    }
  } finally {
    if (!flags.keep) {
      say('lab down');
      await labDown({ stateDir });
    } else {
      process.stderr.write(`lab kept: state in ${stateDir}; remove with: haprobe lab --state-dir ${stateDir} down\n`);
    }
  }
  return ok ? EXIT.OK : EXIT.FINDINGS;
}
