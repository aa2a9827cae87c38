import type { Inventory } from './types';
import { type LoadOptions, parseInventoryYaml } from './load-inventory';
import { sshConfigResolver } from './ssh-config';
import { parseAnsibleIni } from './parse-ansible-ini';
import { buildAnsibleInventory } from './build-ansible-inventory';
import { readInventoryText } from './read-inventory-text';

/**
 * haprobe YAML or Ansible INI, picked by content: an INI inventory's first meaningful line is a
 * `[group]` header or a host line with key=value vars; a YAML inventory's is a `key:` line.
 */
export function loadInventoryAuto(file: string, opts: LoadOptions = {}): Inventory {
  const text = readInventoryText(file);
  if (looksLikeIni(text)) return buildAnsibleInventory(parseAnsibleIni(text, file), file);
  return parseInventoryYaml(text, file, opts.sshConfig ? { sshConfig: sshConfigResolver(opts.sshConfig) } : {});
}

export function looksLikeIni(text: string): boolean {
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#') || line.startsWith(';') || line === '---') continue;
    if (/^\[[^\]]+\]$/.test(line)) return true;
    return /^\S+(\s+\S+=\S*)+$/.test(line) || /^[^\s:]+$/.test(line);
  }
  return false;
}
