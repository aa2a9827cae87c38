import type { OvsFlow } from '../model/types';
import type { ParseResult, ParseWarning } from './types';
import { addWarning, isElisionLine, isPromptLine, splitLines } from './lines';

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
  let pending: { text: string; line: number; wrapped: boolean } | undefined;

  const flush = (): void => {
    if (!pending) return;
    if (pending.wrapped) addWarning(warnings, pending.line, 'flow wrapped over several lines, re-joined', pending.text);
    const flow = parseFlowLine(pending.text);
    if (flow) flows.push(flow);
    else addWarning(warnings, pending.line, 'flow without actions=', pending.text);
    pending = undefined;
  };

  for (let i = 0; i < lines.length; i++) {
    const raw = lines[i];
    const t = raw.trim();
    if (t === '') continue;
    if (/^(NXST|OFPST)_FLOW reply/.test(t)) continue;
    const hasActions = t.startsWith('actions=') || t.includes(' actions=');
    if (pending && !pending.text.includes('actions=')) {
      // previous flow has no actions yet: this line is its continuation
      if (!/^(cookie|duration)=/.test(t)) {
        pending.text += ' ' + t;
        pending.wrapped = true;
        continue;
      }
    } else if (pending && !FLOW_START.test(t) && !hasActions && !isElisionLine(t)) {
      // a wrapped actions list
      pending.text += t;
      pending.wrapped = true;
      continue;
    }
    flush();
    if (FLOW_START.test(t) || hasActions) {
      pending = { text: t, line: i + 1, wrapped: false };
      continue;
    }
    const why = isElisionLine(t) ? 'elided output' : isPromptLine(t) ? 'shell prompt line' : 'not a flow line';
    addWarning(warnings, i + 1, why, raw);
  }
  flush();
  return { value: flows, warnings };
}

/** One complete flow line → OvsFlow, or undefined when it has no actions. */
export function parseFlowLine(t: string): OvsFlow | undefined {
  let a = t.startsWith('actions=') ? 0 : t.indexOf(' actions=');
  if (a < 0) return undefined;
  const head = t.slice(0, a);
  const actions = t.slice(a + (t.startsWith('actions=') ? 8 : 9)).trim();
  const flow: OvsFlow = { table: 0, priority: 32768, match: {}, actions, raw: t };
  // head: "cookie=0x0, duration=1.2s, table=0, …, priority=3,in_port=1,dl_vlan=2" (OF1.3 adds "reset_counts ")
  let start = 0;
  const n = head.length;
  for (let i = 0; i <= n; i++) {
    const c = i < n ? head.charCodeAt(i) : 44;
    if (c !== 44 && c !== 32 && c !== 9) continue; // ',' ' ' '\t'
    if (i > start) applyField(flow, head.slice(start, i));
    start = i + 1;
  }
  return flow;
}

function applyField(flow: OvsFlow, f: string): void {
  const eq = f.indexOf('=');
  const key = eq < 0 ? f : f.slice(0, eq);
  const value = eq < 0 ? '' : f.slice(eq + 1);
  if (!NON_MATCH.has(key)) {
    // OVS ≥ 2.8 quotes port names: in_port="int-br-ex" → int-br-ex
    flow.match[key] = value.length >= 2 && value[0] === '"' && value[value.length - 1] === '"' ? value.slice(1, -1) : value;
    return;
  }
  switch (key) {
    case 'table':
      flow.table = /^\d+$/.test(value) ? Number(value) : flow.table;
      break;
    case 'priority':
      flow.priority = /^\d+$/.test(value) ? Number(value) : flow.priority;
      break;
    case 'cookie':
      flow.cookie = value;
      break;
    case 'n_packets':
      flow.nPackets = Number(value);
      break;
    case 'n_bytes':
      flow.nBytes = Number(value);
      break;
    case 'idle_age':
      flow.idleAge = Number(value);
      break;
  }
}
