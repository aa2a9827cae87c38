import type { OvsFlow } from '../model/types';
import type { ParseResult, ParseWarning } from './types';
import { addWarning, forEachLine, isElisionLine, whyNotData } from './lines';

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

  forEachLine(text, (raw, i) => {
    const t = raw.trim();
    if (t === '') return;
    const hasActions = t.startsWith('actions=') || t.includes(' actions=');
    const starts = FLOW_START.test(t);
    if (pending !== undefined) {
      if (!pendingHasActions && !/^(cookie|duration)=/.test(t)) {
        // previous flow has no actions yet: this line is its continuation
        pending += ' ' + t;
        pendingWrapped = true;
        pendingHasActions = hasActions;
        return;
      }
      if (pendingHasActions && !starts && !hasActions && !(t.charCodeAt(0) === 78 || t.charCodeAt(0) === 79) && !isElisionLine(t)) {
        // a wrapped actions list
        pending += t;
        pendingWrapped = true;
        return;
      }
    }
    flush();
    if (/^(NXST|OFPST)_FLOW reply/.test(t)) return;
    if (starts || hasActions) {
      pending = t;
      pendingLine = i + 1;
      pendingHasActions = hasActions;
      pendingWrapped = false;
      return;
    }
    const why = whyNotData(t, 'not a flow line');
    addWarning(warnings, i + 1, why, raw);
  });
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
  // Fields end at ',', ' ' or '\t' (or at a). The next of each is found with indexOf and kept until
  // passed: the native searches cross the head once each, where a loop over its characters cost
  // most of the time of 100k-flow dumps (issue 10).
  let comma = -1;
  let space = -1;
  let tab = -1;
  let nextEq = -1;
  let field = 0;
  let start = 0;
  while (start <= a) {
    if (comma < start) comma = nextOf(t, ',', start, a);
    if (space < start) space = nextOf(t, ' ', start, a);
    if (tab < start) tab = nextOf(t, '\t', start, a);
    const end = comma < space ? (comma < tab ? comma : tab) : space < tab ? space : tab;
    if (end > start) {
      if (nextEq < start) {
        nextEq = t.indexOf('=', start);
        if (nextEq < 0) nextEq = t.length;
      }
      // a word without value ("arp", "reset_counts"): value ''
      applyField(flow, t, start, nextEq < end ? nextEq : end, end, field++);
    }
    start = end + 1;
  }
  return flow;
}

/** The index of the next `ch` in t from `from`, or `limit` when there is none before it. */
function nextOf(t: string, ch: string, from: number, limit: number): number {
  const i = t.indexOf(ch, from);
  return i < 0 || i > limit ? limit : i;
}

/** Fields read from the head, by the key found in t[start, eq) (see fieldOf). */
const enum Field {
  Match,
  Table,
  Priority,
  Cookie,
  NPackets,
  NBytes,
  IdleAge,
  Ignored,
}

/**
 * Which field t[start, eq) names, compared in place: 100k-flow dumps (issue 10) spent their time
 * slicing and hashing the keys of the stats fields that are thrown away (NON_MATCH).
 */
function fieldOf(t: string, start: number, eq: number): Field {
  switch (eq - start) {
    case 5:
      return t.startsWith('table', start) ? Field.Table : t.startsWith('flags', start) ? Field.Ignored : Field.Match;
    case 6:
      return t.startsWith('cookie', start) ? Field.Cookie : Field.Match;
    case 7:
      return t.startsWith('n_bytes', start) ? Field.NBytes : Field.Match;
    case 8:
      if (t.startsWith('priority', start)) return Field.Priority;
      if (t.startsWith('idle_age', start)) return Field.IdleAge;
      return t.startsWith('duration', start) || t.startsWith('hard_age', start) || t.startsWith('out_port', start) ? Field.Ignored : Field.Match;
    case 9:
      return t.startsWith('n_packets', start) ? Field.NPackets : t.startsWith('out_group', start) ? Field.Ignored : Field.Match;
    case 10:
    case 12:
    case 13:
    case 14:
    case 16:
      return NON_MATCH.has(t.slice(start, eq)) ? Field.Ignored : Field.Match;
  }
  return Field.Match;
}

/**
 * Number(t.slice(from, to)) without the slice when it is 1 to 15 digits (exact in a double);
 * `digitsOnly`: undefined unless the value matches /^\d+$/ (table, priority).
 */
function numberAt(t: string, from: number, to: number, digitsOnly: boolean): number | undefined {
  if (to - from >= 1 && to - from <= 15) {
    let n = 0;
    let i = from;
    for (; i < to; i++) {
      const d = t.charCodeAt(i) - 48;
      if (d < 0 || d > 9) break;
      n = n * 10 + d;
    }
    if (i === to) return n;
  }
  const value = t.slice(from, to);
  if (digitsOnly && !/^\d+$/.test(value)) return undefined;
  return Number(value);
}

/**
 * The match keys of the last flows, by position in the head: the flows of a dump share their
 * shape, so a key is compared in place and reused instead of cut and interned again (issue 10).
 * Only strings are kept, never a flow: what a parse returns does not depend on it.
 */
const recentKeys: string[] = new Array<string>(32).fill('');

/** One "key=value" (or bare "key", eq === end) of the head t[start, end), the `index`th field. */
function applyField(flow: OvsFlow, t: string, start: number, eq: number, end: number, index: number): void {
  const from = eq < end ? eq + 1 : end;
  switch (fieldOf(t, start, eq)) {
    case Field.Table: {
      const n = numberAt(t, from, end, true);
      if (n !== undefined) flow.table = n;
      return;
    }
    case Field.Priority: {
      const n = numberAt(t, from, end, true);
      if (n !== undefined) flow.priority = n;
      return;
    }
    case Field.Cookie:
      flow.cookie = t.slice(from, end);
      return;
    case Field.NPackets:
      flow.nPackets = numberAt(t, from, end, false);
      return;
    case Field.NBytes:
      flow.nBytes = numberAt(t, from, end, false);
      return;
    case Field.IdleAge:
      flow.idleAge = numberAt(t, from, end, false);
      return;
    case Field.Ignored:
      return;
  }
  // OVS ≥ 2.8 quotes port names: in_port="int-br-ex" → int-br-ex
  const quoted = end - from >= 2 && t.charCodeAt(from) === 34 && t.charCodeAt(end - 1) === 34;
  const slot = index & 31;
  let key = recentKeys[slot];
  if (key.length !== eq - start || !t.startsWith(key, start)) recentKeys[slot] = key = t.slice(start, eq);
  flow.match[key] = quoted ? t.slice(from + 1, end - 1) : t.slice(from, end);
}
