import type { CapturedFrame } from '../capture/types';
import type { PointRole } from './capture-points';

/**
 * Which frames the judge sees. Origin captures (each candidate's own outbound frames) go in
 * whole. Wire and receiver captures repeat those same frames once per node they flood to, so
 * from them only claims of the FIP (sender IP = FIP) by a MAC none of the candidates owns go in:
 * another box answering for the address is what makes a cache flip (ip-claimed-by-two-macs).
 * ARP requests *for* the FIP from other hosts (upstream resolving it) are normal and stay out.
 */
export function judgeSees(frame: CapturedFrame, role: PointRole | undefined, fip: string, candidateMacs: ReadonlySet<string>): boolean {
  if (role === 'origin') return true;
  const arp = frame.arp;
  if (frame.kind !== 'arp' || !arp || arp.spa !== fip) return false;
  const mac = (arp.sha ?? frame.ethSrc ?? '').toLowerCase();
  return mac !== '' && !candidateMacs.has(mac);
}
