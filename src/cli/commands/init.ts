import type { Command } from 'commander';
import { Option } from 'commander';
import * as os from 'node:os';
import * as path from 'node:path';
import { HaprobeError } from '../../errors';
import { draftFromFile, renderInventoryYaml, writeInventoryFile, type InitDraft, type InitSourceKind } from '../../init';
import { checkOutputFile } from '../options';

export interface InitFlags {
  from?: 'kolla' | 'osa' | 'tripleo' | 'ssh-config';
  sshConfig?: string | boolean;
  output?: string;
  force?: boolean;
  role?: string[];
  cloud?: string | boolean;
}

const KIND: Record<NonNullable<InitFlags['from']>, InitSourceKind> = { kolla: 'kolla-ini', osa: 'osa-json', tripleo: 'tripleo-yaml', 'ssh-config': 'ssh-config' };

const collect = (value: string, previous: string[] = []): string[] => [...previous, value];

export function registerInitCommand(program: Command): void {
  program
    .command('init')
    .summary('write an inventory from a kolla/OSA/TripleO inventory, ~/.ssh/config or the Neutron agent list')
    .description(
      'Derive a haprobe inventory from what the deployment already has: a kolla-ansible multinode INI, ' +
        'openstack-ansible\'s openstack_inventory.json, TripleO\'s tripleo-ansible-inventory.yaml, or an ssh ' +
        'client config, or with --cloud the Neutron agent list (L3 agents by agent_mode, OVS agents). Roles come from the groups (network/compute/control, neutron_l3_agent/nova_compute, ' +
        'Controller/Compute/Networker), user, key, port and jump host are carried over. The result is printed ' +
        'for review; it is written only with -o (validated by the inventory loader first; an existing file only with --force). ' +
        'See docs/init-and-doctor.md.',
    )
    .argument('[source]', 'inventory file of the deployment tool (kind detected from its content)')
    .addOption(new Option('--from <kind>', 'the kind of source, when detection guesses wrong').choices(Object.keys(KIND)))
    .option('--ssh-config [file]', 'read an ssh client config (default ~/.ssh/config) instead of an inventory')
    .option('--cloud [name]', 'read neutron\'s agent list (clouds.yaml entry NAME, else $OS_CLOUD / OS_* variables): roles from agent_type and agent_mode')
    .option('--role <pattern=role>', 'ssh config: give roles by alias glob (net*=network); repeat', collect)
    .option('-o, --output <file>', 'write the inventory here (atomically) after validating it')
    .option('--force', 'replace an existing -o file')
    .addHelpText('after', '\nExamples:\n  haprobe init /etc/kolla/multinode\n  haprobe init /etc/openstack_deploy/openstack_inventory.json -o inventory.yaml\n  haprobe init ~/overcloud-deploy/overcloud/tripleo-ansible-inventory.yaml -o inventory.yaml\n  haprobe init --ssh-config --role \'ctl*=controller,network\' -o inventory.yaml\n  haprobe init --cloud mycloud -o inventory.yaml\n\nExit codes: 0 written/printed · 2 usage or source error · 4 internal error')
    .action(async (source: string | undefined, flags: InitFlags) => {
      await initCommand(source, flags);
    });
}

/** (--cloud loads the openstack client only when used: it is not on every command's start-up path) */
export async function initCommand(source: string | undefined, flags: InitFlags): Promise<void> {
  const sshConfig = flags.sshConfig === true ? path.join(os.homedir(), '.ssh', 'config') : flags.sshConfig || undefined;
  const sources = [source, sshConfig, flags.cloud].filter((x) => x !== undefined && x !== false);
  if (sources.length > 1) throw new HaprobeError('usage', 'give one source: a file, --ssh-config or --cloud', { where: 'init' });
  const file = source ?? sshConfig;
  if (!file && flags.cloud === undefined) throw new HaprobeError('usage', 'no source: give an inventory file or --ssh-config', { where: 'init', hint: 'haprobe init --help' });
  if (flags.role && !sshConfig && flags.from !== 'ssh-config') throw new HaprobeError('usage', '--role applies to an ssh config source', { where: '--role' });
  if (flags.output !== undefined) checkOutputFile(flags.output, '-o');
  const kind: InitSourceKind | undefined = sshConfig ? 'ssh-config' : flags.from ? KIND[flags.from] : undefined;
  const draft: InitDraft = file ? draftFromFile(file, { kind, roles: flags.role }) : await (await import('../../init/draft-from-cloud')).draftFromCloud(typeof flags.cloud === 'string' ? flags.cloud : undefined);
  const text = renderInventoryYaml(draft);
  process.stdout.write(text);
  if (flags.output === undefined) {
    process.stderr.write(`haprobe: ${draft.inventory.nodes.length} node(s) derived; review the roles above, then write with -o FILE\n`);
    return;
  }
  writeInventoryFile(flags.output, text, draft.inventory, { force: flags.force });
  process.stderr.write(`haprobe: inventory with ${draft.inventory.nodes.length} node(s) written to ${flags.output}; next: haprobe doctor -i ${flags.output}\n`);
}
