import * as path from 'node:path';
import { HaprobeError } from '../errors';
import { parseAnsibleIni } from '../inventory/parse-ansible-ini';
import { readInventoryText } from '../inventory/read-inventory-text';
import { buildDraftFromGroups, hostsUnder } from './build-from-groups';
import { parseAnsibleYaml } from './parse-ansible-yaml';
import { parseOsaInventory } from './parse-osa-inventory';
import { draftFromSshConfig, type SshConfigDraftOptions } from './draft-from-ssh-config';
import { KOLLA_GROUPS, OSA_GROUPS, TRIPLEO_GROUPS } from './role-groups';
import type { InitDraft, InitSourceKind } from './types';

export interface DraftOptions extends SshConfigDraftOptions {
  /** force the source kind instead of detecting it from the content */
  kind?: InitSourceKind;
}

/** Read one source file and derive the draft inventory (the pure parts are below). */
export function draftFromFile(file: string, opts: DraftOptions = {}): InitDraft {
  const text = readInventoryText(file);
  const kind = opts.kind ?? detectSourceKind(text, file);
  return draftFromText(text, file, kind, opts);
}

/** Pure: source text → draft. */
export function draftFromText(text: string, source: string, kind: InitSourceKind, opts: DraftOptions = {}): InitDraft {
  switch (kind) {
    case 'kolla-ini':
    case 'ansible-ini':
      return buildDraftFromGroups(parseAnsibleIni(text, source), KOLLA_GROUPS, kind, source, opts);
    case 'tripleo-yaml':
      return buildDraftFromGroups(parseAnsibleYaml(text, source), TRIPLEO_GROUPS, kind, source, opts);
    case 'osa-json':
      return draftFromOsa(text, source, opts);
    case 'ssh-config':
      return draftFromSshConfig(text, source, opts);
    default:
      throw new HaprobeError('usage', `source kind ${kind} is not read from a file`, { where: source });
  }
}

/**
 * openstack-ansible: neutron_server runs in an LXC container, but the node haprobe must read is
 * its physical host; an L3 agent in a container (neutron_agents_container, older releases) keeps
 * its namespaces in that container, so it stays the node. Ironic computes (nova_compute in an
 * ironic_compute container) have no OVS and are left out.
 */
function draftFromOsa(text: string, source: string, opts: DraftOptions): InitDraft {
  const { groups, hosts } = parseOsaInventory(text, source);
  const exclude = new Set(hostsUnder(groups, 'ironic_compute'));
  const controllers = hostsUnder(groups, 'neutron_server').map((h) => {
    const f = hosts.get(h);
    return f && !f.metal && f.physicalHost ? f.physicalHost : h;
  });
  const table = { ...OSA_GROUPS, exact: Object.fromEntries(Object.entries(OSA_GROUPS.exact).filter(([g]) => g !== 'neutron_server')) };
  const draft = buildDraftFromGroups(groups, table, 'osa-json', source, { ...opts, exclude, extraRoleHosts: { controller: [...new Set(controllers)] } });
  if (exclude.size > 0) draft.notes.push(`Ironic compute container(s) left out (no OVS agent there): ${[...exclude].join(', ')}`);
  return draft;
}

/**
 * By content, then name: JSON with _meta → OSA; an INI `[group]` file → Ansible INI (kolla
 * multinode); YAML whose top level is groups with hosts/children → TripleO/Ansible YAML; `Host`
 * lines → ssh client config.
 */
export function detectSourceKind(text: string, file: string): InitSourceKind {
  const head = text.replace(/^\uFEFF/, '').trimStart();
  if (head.startsWith('{')) return 'osa-json';
  const meaningful = head.split(/\r?\n/).map((l) => l.trim()).filter((l) => l !== '' && !l.startsWith('#') && !l.startsWith(';'));
  if (meaningful.some((l) => /^\[[^\]]+\]$/.test(l))) return 'kolla-ini';
  if (meaningful.some((l) => /^(Host|Match)\s+\S/i.test(l)) || path.basename(file) === 'config') return 'ssh-config';
  if (meaningful.some((l) => /^\s*(hosts|children):\s*$/.test(l)) || /^[^\s:#][^:]*:\s*$/m.test(head)) return 'tripleo-yaml';
  throw new HaprobeError('usage', 'cannot tell what kind of inventory this is', {
    where: file,
    hint: 'name it with --from kolla|osa|tripleo|ssh-config',
  });
}
