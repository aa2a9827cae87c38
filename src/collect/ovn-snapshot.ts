import type { OvnNodeState } from '../model/ovn-types';
import { parseOvnNb } from '../parse/parse-ovn-nb';
import { parseOvnSb } from '../parse/parse-ovn-sb';
import { parseOvnChassis, parseOvnControllerStatus } from '../parse/parse-ovn-chassis';
import type { ParseResult } from '../parse/types';

export const OVN_SECTIONS = ['ovn-chassis', 'ovn-controller', 'ovn-nb', 'ovn-sb'] as const;

/**
 * The OVN sections of one node (ovn-script.ts) → OvnNodeState, or undefined when none was read
 * (a non-OVN node). `take` is snapshot.ts's section reader (exit status, warnings, isolation):
 * a section that failed (NB not answering) leaves its field undefined = unknown.
 */
export function readOvnSections(
  has: (key: string) => boolean,
  take: <T>(key: string, parse: (text: string) => ParseResult<T>) => T | undefined,
): OvnNodeState | undefined {
  if (!OVN_SECTIONS.some(has)) return undefined;
  const out: OvnNodeState = {};
  const local = take('ovn-chassis', parseOvnChassis);
  if (local) out.local = local;
  const status = take('ovn-controller', parseOvnControllerStatus);
  if (status?.version) out.version = status.version;
  if (status?.running !== undefined) out.controllerRunning = status.running;
  const nb = take('ovn-nb', parseOvnNb);
  if (nb) out.nb = nb;
  const sb = take('ovn-sb', parseOvnSb);
  if (sb) out.sb = sb;
  return out;
}
