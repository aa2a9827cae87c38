import type { Finding, Subject } from '../../src/engine/types';
import type { CheckSummary, DrillResult, EvidenceItem, GarpVerification, ResultRow, RunResult } from '../../src/report/result';
import { summarizeResult } from '../../src/report/summarize-result';

/**
 * A small cloud as pure data: two L3-HA network nodes and one compute, two routers.
 * History (nightly runs):
 *   run1 healthy · run2 fault injected (DNAT rule for 203.0.113.10 missing on net1) · run3 healed ·
 *   run4 a keepalived config finding on net2 that the waivers file waives (plus drill and G-ARP data).
 */
export const R1 = '5d2c1e8a-7b3f-4c1d-9e2a-0f6b8c4d2a11';
export const R2 = '9a7e3b21-4f5c-4d8e-b1a0-3c2d1e0f9b77';
export const FIP = '203.0.113.10';

export const CHECKS: CheckSummary[] = [
  { id: 'l3ha-single-primary', title: 'Exactly one VRRP primary per HA router', severity: 'critical', description: 'Split brain check.', references: ['ground-truth §2'] },
  { id: 'nat-fip-rules', title: 'DNAT/SNAT rules for every floating IP', severity: 'critical', description: 'neutron-l3-agent-PREROUTING/float-snat rules.', references: ['lp#1639315'] },
  { id: 'keepalived-config', title: 'keepalived configured as neutron renders it', severity: 'minor', description: 'garp_master_delay etc.', references: ['ground-truth §2c'] },
];

const NODES: RunResult['nodes'] = [
  { name: 'net1', address: '198.18.0.11', roles: ['network'], reachable: true, collectMs: 420 },
  { name: 'net2', address: '198.18.0.12', roles: ['network'], reachable: true, collectMs: 390 },
  { name: 'cmp1', address: '198.18.0.21', roles: ['compute'], reachable: true, collectMs: 210 },
];

const TOPOLOGY: RunResult['topology'] = [
  { node: 'net1', namespaces: [`qrouter-${R1}`, `qrouter-${R2}`, 'qdhcp-1f0e'] },
  { node: 'net2', namespaces: [`qrouter-${R1}`, `qrouter-${R2}`] },
  { node: 'cmp1', namespaces: [] },
];

function subjects(): { checkId: string; subject: Subject }[] {
  const out: { checkId: string; subject: Subject }[] = [];
  for (const r of [R1, R2]) out.push({ checkId: 'l3ha-single-primary', subject: { router: r } });
  for (const n of ['net1', 'net2']) {
    out.push({ checkId: 'nat-fip-rules', subject: { node: n, namespace: `qrouter-${R1}`, router: R1, floatingIp: FIP } });
    for (const r of [R1, R2]) out.push({ checkId: 'keepalived-config', subject: { node: n, namespace: `qrouter-${r}`, router: r } });
  }
  return out;
}

export const DNAT_MISSING: Finding = {
  checkId: 'nat-fip-rules',
  severity: 'critical',
  verdict: 'fail',
  subject: { node: 'net1', namespace: `qrouter-${R1}`, router: R1, floatingIp: FIP },
  message: `no DNAT rule for ${FIP} in neutron-l3-agent-PREROUTING`,
  expected: `-A neutron-l3-agent-PREROUTING -d ${FIP}/32 -j DNAT --to-destination 10.0.0.5`,
  actual: '(no rule)',
  evidence: ['net1:iptables-save:qrouter-5d2c'],
};

export const GARP_DELAY: Finding = {
  checkId: 'keepalived-config',
  severity: 'minor',
  verdict: 'fail',
  subject: { node: 'net2', namespace: `qrouter-${R2}`, router: R2 },
  message: 'garp_master_delay 5 differs from neutron\'s 60',
  expected: 'garp_master_delay 60',
  actual: 'garp_master_delay 5',
  evidence: ['net2:keepalived.conf:9a7e'],
};

const EVIDENCE: EvidenceItem[] = [
  {
    id: 'net1:iptables-save:qrouter-5d2c',
    node: 'net1',
    command: `ip netns exec qrouter-${R1} iptables-save -t nat`,
    exitCode: 0,
    output: '*nat\n:neutron-l3-agent-PREROUTING - [0:0]\n-A neutron-l3-agent-PREROUTING -d 169.254.169.254/32 -i qr-+ -p tcp -m tcp --dport 80 -j REDIRECT --to-ports 9697\nCOMMIT\n\x1b[0m<end> & "quotes" \u0000nul',
    durationMs: 12,
  },
  {
    id: 'net2:keepalived.conf:9a7e',
    node: 'net2',
    command: `cat /var/lib/neutron/ha_confs/${R2}/keepalived.conf`,
    exitCode: 0,
    output: 'global_defs {\n    notification_email_from neutron@openstack.local\n}\nvrrp_instance VR_1 {\n    state BACKUP\n    garp_master_delay 5\n}\n',
  },
];

export const DRILL: DrillResult = {
  router: R1,
  fault: 'kill-keepalived net1',
  startedAt: '2024-05-04T02:10:00.000Z',
  oldPrimary: 'net1',
  newPrimary: 'net2',
  events: [
    { tMs: 0, kind: 'fault', node: 'net1', detail: 'kill -9 keepalived (pid 4242)' },
    { tMs: 180, kind: 'ping-lost', detail: `ping ${FIP} from fabric` },
    { tMs: 6120, kind: 'new-primary', node: 'net2', detail: 'VIPs on ha-3c2d' },
    { tMs: 6135, kind: 'first-garp', node: 'net2', detail: `${FIP} is-at fa:16:3e:11:22:33 on qg-77aa` },
    { tMs: 6400, kind: 'ping-recovered' },
    { tMs: 30000, kind: 'restored', node: 'net1', detail: 'keepalived restarted' },
  ],
  outageMs: 6220,
  newPrimaryMs: 6120,
  firstGarpMs: 6135,
  budgetMs: 10000,
  verdict: 'pass',
};

export const GARP: GarpVerification = {
  fip: FIP,
  verdict: 'fail',
  cause: 'wrong-sender-ip',
  expected: { mac: 'fa:16:3e:11:22:33', node: 'net2', device: 'qg-77aa', count: 3, withinMs: 2000, shape: 'keepalived' },
  message: 'one of three ARPs claims the FIP with sender IP 203.0.113.2: not a G-ARP',
  timeline: [
    { tMs: 12, node: 'net2', device: 'qg-77aa', kind: 'request', sha: 'fa:16:3e:11:22:33', spa: FIP, tpa: FIP, garp: true },
    { tMs: 1013, node: 'net2', device: 'qg-77aa', kind: 'request', sha: 'fa:16:3e:11:22:33', spa: FIP, tpa: FIP, garp: true },
    { tMs: 2015, node: 'net2', device: 'qg-77aa', kind: 'request', sha: 'fa:16:3e:11:22:33', spa: '203.0.113.2', tpa: FIP, garp: false, note: 'tell 203.0.113.2' },
  ],
};

/** one run: every subject passes except those with a finding listed */
export function makeRun(runId: string, startedAt: string, failing: Finding[], extras: Partial<RunResult> = {}): RunResult {
  const findings: Finding[] = failing.map((f) => ({ ...f, subject: { ...f.subject }, evidence: [...f.evidence] }));
  const rows: ResultRow[] = subjects().map(({ checkId, subject }) => {
    const idx = findings.flatMap((f, i) => (f.checkId === checkId && sameSubject(f.subject, subject) ? [i] : []));
    return { checkId, subject, verdict: idx.length > 0 ? 'fail' : 'pass', findingIndexes: idx };
  });
  const started = Date.parse(startedAt);
  const base: RunResult = {
    schemaVersion: 1,
    runId,
    tool: { name: 'haprobe', version: '0.1.0' },
    startedAt,
    finishedAt: new Date(started + 4200).toISOString(),
    durationMs: 4200,
    profile: 'neutron-l3ha',
    inventory: { source: 'inventory.yaml', digest: 'sha256:0f0f' },
    nodes: NODES.map((n) => ({ ...n })),
    checks: CHECKS,
    rows,
    findings,
    evidence: EVIDENCE.filter((e) => findings.some((f) => f.evidence.includes(e.id))),
    verdict: 'pass',
    summary: { pass: 0, fail: 0, warn: 0, skip: 0, error: 0, waived: 0 },
    topology: TOPOLOGY,
    ...extras,
  };
  return { ...base, ...summarizeResult(base) };
}

function sameSubject(a: Subject, b: Subject): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/** the four nightly runs, oldest first (run4 before waivers are applied) */
export function makeHistory(): RunResult[] {
  return [
    makeRun('run1', '2024-05-01T02:00:00.000Z', []),
    makeRun('run2', '2024-05-02T02:00:00.000Z', [DNAT_MISSING]),
    makeRun('run3', '2024-05-03T02:00:00.000Z', []),
    makeRun('run4', '2024-05-04T02:00:00.000Z', [GARP_DELAY], { drills: [DRILL], garp: [GARP] }),
  ];
}

export const WAIVERS_YAML = `
waivers:
  - id: W-1
    check: keepalived-config
    subject: "net2/qrouter-9a7e*"
    justification: net2 is replaced next sprint, CHG-1234
    expires: 2024-06-01
    owner: netops
  - id: W-2
    check: nat-fip-rules
    subject: { node: cmp*, floatingIp: "203.0.113.*" }
    justification: DVR migration leftovers
    expires: 2024-06-01
  - id: W-OLD
    check: keepalived-config
    subject: "**"
    justification: old blanket waiver
    expires: 2024-04-01
`;
