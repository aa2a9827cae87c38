import type { Transport } from '../transport/types';
import type { CaptureTarget } from './live';

/**
 * Where to capture when the asked device cannot be captured. On a data plane built by the real
 * L3/OVS agents (Zed) neutron never brings br-ex up: `tcpdump -i br-ex` exits with "That device
 * is not up" while the external network carries the G-ARPs (issue 15). The frames really pass
 * through the bridge's ports: the uplink (a NIC or veth in the root namespace, seen by the
 * kernel), and the routers' qg-/fg- devices inside their namespaces. Patch ports and internal
 * ports outside the root namespace have no capturable netdev there and are skipped.
 */

export interface LinkState {
  name: string;
  up: boolean;
}

export interface NamespaceDevice {
  namespace: string;
  device: string;
}

export interface DeviceSurvey {
  /** the asked device in the root namespace; undefined = not there */
  device?: LinkState;
  /** `ovs-vsctl list-ports <bridge>` (empty when not an OVS bridge) */
  bridgePorts: string[];
  /** every link of the root namespace */
  rootLinks: LinkState[];
  /** qg-/fg- devices in qrouter-/snat-/fip- namespaces */
  routerDevices: NamespaceDevice[];
}

export interface CapturePlan {
  targets: CaptureTarget[];
  /** what was done instead of the asked capture, and why (shown to the user) */
  note?: string;
}

/** neutron's own device names (ground-truth §0.3) and OVS patch ports: not an uplink */
const NEUTRON_PORT = /^(qg-|qr-|fg-|sg-|ha-|tap|qvo|qvb|int-|phy-|patch-)/;

/** pure: the asked target if it can be captured, else its ports, else the routers' devices */
export function planBridgeFallback(asked: CaptureTarget, survey: DeviceSurvey): CapturePlan {
  // only an OVS bridge is replaced (its ports carry its frames); any other device that is down
  // is captured as asked, and the capture then fails with tcpdump's own words
  if (asked.namespace || !survey.device || survey.device.up || survey.bridgePorts.length === 0) return { targets: [asked] };
  const rootUp = new Map(survey.rootLinks.map((l) => [l.name, l.up]));
  // the uplink(s): what crosses between the node and the external network; a router's own port
  // on the bridge (a qg-/fg- veth end in the lab) would only repeat the same frames
  const ports = survey.bridgePorts.filter((p) => rootUp.get(p) === true && !NEUTRON_PORT.test(p));
  const keep = { snaplen: asked.snaplen, filter: asked.filter };
  if (ports.length > 0) {
    return {
      targets: ports.map((device) => ({ ...keep, device })),
      note: `${asked.device} is down (neutron does not set it up): capturing on its port(s) ${ports.join(', ')} instead`,
    };
  }
  if (survey.routerDevices.length > 0) {
    return {
      targets: survey.routerDevices.map((d) => ({ ...keep, namespace: d.namespace, device: d.device })),
      note: `${asked.device} is down and has no capturable port in the root namespace: capturing on the router devices ${survey.routerDevices.map((d) => `${d.namespace}:${d.device}`).join(', ')} instead`,
    };
  }
  return { targets: [asked] };
}

/** `ip -o link show` → name and whether the UP flag is set ("5: br-ex: <BROADCAST,MULTICAST> …") */
export function parseIpOLink(text: string): LinkState[] {
  const out: LinkState[] = [];
  for (const line of text.split('\n')) {
    const m = /^\d+:\s+([^:@\s]+)(?:@[^:]+)?:\s+<([^>]*)>/.exec(line);
    if (m) out.push({ name: m[1], up: m[2].split(',').includes('UP') });
  }
  return out;
}

const SECTION = '@@haprobe ';
const NAME = /^[A-Za-z0-9_.:@-]{1,64}$/;

/**
 * One round trip: the root links, the bridge's OVS ports, and qg-/fg- devices of the router
 * namespaces. The bridge name is checked against the capture-point name rule before it goes
 * into the command line.
 */
export function surveyCommand(bridge: string): string {
  if (!NAME.test(bridge)) throw new Error(`refusing unsafe name "${bridge}"`);
  return [
    `echo '${SECTION}links'; ip -o link show`,
    `echo '${SECTION}ports'; ovs-vsctl --timeout=5 list-ports ${bridge} 2>/dev/null`,
    `echo '${SECTION}routers'; for ns in $(ip netns list 2>/dev/null | awk '{print $1}' | grep -E '^(qrouter|snat|fip)-'); do ip -n "$ns" -o link show 2>/dev/null | awk -v ns="$ns" -F': ' '$2 ~ /^(qg|fg)-/ {split($2, a, "@"); print ns " " a[1]}'; done`,
  ].join('; ');
}

export function parseSurvey(stdout: string, device: string): DeviceSurvey {
  const sections: Record<string, string[]> = {};
  let cur = '';
  for (const line of stdout.split('\n')) {
    if (line.startsWith(SECTION)) cur = line.slice(SECTION.length).trim();
    else if (cur) (sections[cur] ??= []).push(line);
  }
  const rootLinks = parseIpOLink((sections['links'] ?? []).join('\n'));
  return {
    device: rootLinks.find((l) => l.name === device),
    rootLinks,
    bridgePorts: (sections['ports'] ?? []).map((l) => l.trim()).filter((l) => NAME.test(l)),
    routerDevices: (sections['routers'] ?? [])
      .map((l) => l.trim().split(/\s+/))
      .filter((p) => p.length === 2 && NAME.test(p[0]) && NAME.test(p[1]))
      .map(([namespace, dev]) => ({ namespace, device: dev })),
  };
}

/** I/O edge: survey the node and plan. A root-namespace target only; a failed survey keeps the asked target (its capture error will then say why). */
export async function resolveCaptureTarget(transport: Transport, sudo: boolean | undefined, asked: CaptureTarget): Promise<CapturePlan> {
  if (asked.namespace) return { targets: [asked] };
  const r = await transport.exec(surveyCommand(asked.device), { sudo, timeoutMs: 15_000 });
  if (r.failure) return { targets: [asked] };
  return planBridgeFallback(asked, parseSurvey(r.stdout, asked.device));
}
