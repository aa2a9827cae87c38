// FROZEN copy of src/parse/parse-ovs-ofctl-dump-flows.ts as of 29934fa (before the issue 10 speed-up): the reference of
// test/parse/parser-speed-differential.test.ts. Do not edit; do not import from src/ code.
import type { OvsFlow } from '../../../src/model/types';
import type { ParseResult, ParseWarning } from '../../../src/parse/types';
import { addWarning, isElisionLine, splitLines, whyNotData } from './lines';

/** Flow fields that are not part of the match (stats, timeouts, flags). */
const NON_MATCH = new Set([
  'cookie', 'duration', 'table', 'n_packets', 'n_bytes', 'idle_timeout', 'hard_timeout', 'idle_age', 'hard_age',
  'importance', 'priority', 'send_flow_rem', 'check_overlap', 'reset_counts', 'no_packet_counts', 'no_byte_counts',
  'out_port', 'out_group', 'flags',
]);
const FLOW_START = /^(cookie|duration|table|priority|n_packets)=/;

/**
 * `ovs-ofctl [-O OpenFlow1x] dump-flows BR [table=N] [--no-stats]`. Stats fields are separated
 * by ", ", the match by ","; `actions=` runs to the end of the flow (it contains commas and
 * parentheses). priority defaults to 32768 and table to 0 when not printed (OpenFlow defaults,
 * `--no-stats` omits them). Quoted port names in the match are unquoted. Flows wrapped over several lines by publishers are re-joined with a warning.
 */
export function parseOvsOfctlDumpFlows(text: string): ParseResult<OvsFlow[]> {
  const warnings: ParseWarning[] = [];
  const flows: OvsFlow[] = [];
  const lines = splitLines(text);
  // the flow being assembled (kept in locals: this loop runs once per flow of 100k-flow dumps)
  let pending: string | undefined;
  let pendingLine = 0;
  let pendingHasActions = false;
  let pendingWrapped = false;

  const flush = (): void => {
    if (pending === undefined) return;
    if (pendingWrapped) addWarning(warnings, pendingLine, 'flow wrapped over several lines, re-joined', pending);
    const flow = parseFlowLine(pending);
    if (flow) flows.push(flow);
    else addWarning(warnings, pendingLine, 'flow without actions=', pending);
    pending = undefined;
  };

  for (let i = 0; i < lines.length; i++) {
    const raw = lines[i];
    const t = raw.trim();
    if (t === '') continue;
    const hasActions = t.startsWith('actions=') || t.includes(' actions=');
    const starts = FLOW_START.test(t);
    if (pending !== undefined) {
      if (!pendingHasActions && !/^(cookie|duration)=/.test(t)) {
        // previous flow has no actions yet: this line is its continuation
        pending += ' ' + t;
        pendingWrapped = true;
        pendingHasActions = hasActions;
        continue;
      }
      if (pendingHasActions && !starts && !hasActions && !(t.charCodeAt(0) === 78 || t.charCodeAt(0) === 79) && !isElisionLine(t)) {
        // a wrapped actions list
        pending += t;
        pendingWrapped = true;
        continue;
      }
    }
    flush();
    if (/^(NXST|OFPST)_FLOW reply/.test(t)) continue;
    if (starts || hasActions) {
      pending = t;
      pendingLine = i + 1;
      pendingHasActions = hasActions;
      pendingWrapped = false;
      continue;
    }
    const why = whyNotData(t, 'not a flow line');
    addWarning(warnings, i + 1, why, raw);
  }
  flush();
  return { value: flows, warnings };
}

/** One complete flow line → OvsFlow, or undefined when it has no actions. */
export function parseFlowLine(t: string): OvsFlow | undefined {
  const atStart = t.startsWith('actions=');
  const a = atStart ? 0 : t.indexOf(' actions=');
  if (a < 0) return undefined;
  const actions = t.slice(a + (atStart ? 8 : 9)).trim();
  const flow: OvsFlow = { table: 0, priority: 32768, match: {}, actions, raw: t };
  // head: "cookie=0x0, duration=1.2s, table=0, …, priority=3,in_port=1,dl_vlan=2" (OF1.3 adds "reset_counts ")
  let start = 0;
  for (let i = 0; i <= a; i++) {
    const c = i < a ? t.charCodeAt(i) : 44;
    if (c !== 44 && c !== 32 && c !== 9) continue; // ',' ' ' '\t'
    if (i > start) {
      const eq = t.indexOf('=', start);
      if (eq < 0 || eq >= i) applyField(flow, t.slice(start, i), '');
      else applyField(flow, t.slice(start, eq), t.slice(eq + 1, i));
    }
    start = i + 1;
  }
  return flow;
}

function applyField(flow: OvsFlow, key: string, value: string): void {
  switch (key) {
    case 'table':
      if (/^\d+$/.test(value)) flow.table = Number(value);
      return;
    case 'priority':
      if (/^\d+$/.test(value)) flow.priority = Number(value);
      return;
    case 'cookie':
      flow.cookie = value;
      return;
    case 'n_packets':
      flow.nPackets = Number(value);
      return;
    case 'n_bytes':
      flow.nBytes = Number(value);
      return;
    case 'idle_age':
      flow.idleAge = Number(value);
      return;
  }
  if (NON_MATCH.has(key)) return;
  // OVS ≥ 2.8 quotes port names: in_port="int-br-ex" → int-br-ex
  flow.match[key] = value.length >= 2 && value.charCodeAt(0) === 34 && value.charCodeAt(value.length - 1) === 34 ? value.slice(1, -1) : value;
}
