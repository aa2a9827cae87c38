import type { NovaNodeState } from '../model/nova-types';
import { parseEbtables } from '../parse/parse-ebtables';
import { parseDnsmasqProcesses, parseListeningSockets, parseNovaConfKeys, parseNovaOptsFiles } from '../parse/parse-nova';
import type { ParseResult } from '../parse/types';

/**
 * The nova sections of one node (nova-script.ts) → NovaNodeState, or undefined when none was
 * read. `take` is snapshot.ts's section reader (exit status, warnings, parser isolation).
 */
export function readNovaSections(
  has: (key: string) => boolean,
  take: <T>(key: string, parse: (text: string) => ParseResult<T>) => T | undefined,
): NovaNodeState | undefined {
  if (!['nova-dnsmasq', 'nova-opts', 'nova-listen', 'nova-conf', 'nova-ha', 'nova-dnsmasq-conf', 'nova-ebtables'].some(has)) return undefined;
  const out: NovaNodeState = {};
  const dnsmasq = take('nova-dnsmasq', parseDnsmasqProcesses);
  if (dnsmasq) out.dnsmasq = dnsmasq;
  const opts = take('nova-opts', parseNovaOptsFiles);
  if (opts) out.optsFiles = opts;
  const listeners = take('nova-listen', parseListeningSockets);
  if (listeners) out.listeners = listeners;
  const ha = take('nova-ha', parseDnsmasqProcesses);
  if (ha) out.clusterManager = ha;
  // the same `@file <path>` framing as nova-opts: the dhcp-option lines of each --conf-file
  const dnsmasqConf = take('nova-dnsmasq-conf', parseNovaOptsFiles);
  if (dnsmasqConf) out.dnsmasqConfFiles = dnsmasqConf;
  const ebtables = take('nova-ebtables', parseEbtables);
  if (ebtables) out.ebtables = ebtables;
  const conf = take('nova-conf', parseNovaConfKeys);
  if (conf) out.conf = conf;
  return out;
}
