import type { ParseResult, ParseWarning } from '../parse/types';
import type { PatternId } from '../capture/patterns';

/**
 * Which ovn-controller G-ARP timing a chassis runs (issue 11), pure. ovn-controller's pinctrl
 * changed its backoff in 0d021216c (v23.09.0, backported to v22.03.6, v23.03.3, v23.06.3): before,
 * 5 frames 2, 4, 8, 16 s apart; after, 5 frames 1, 2, 4, 8 s apart — or, with
 * `external_ids:garp-max-timeout-sec=N`, for ever, the gap capped at N s (RH bz 2087779).
 * 22.06–22.12 never got the backport. Read from buildOvnGarpSettingsCommand's output.
 */
export interface OvnGarpSettings {
  /** `ovn-controller --version` first line's number, e.g. "23.03.1" */
  version?: string;
  /** Open_vSwitch external_ids:garp-max-timeout-sec (seconds), when set */
  maxTimeoutSec?: number;
}

/** `version ovn-controller 23.03.1` / `garp-max-timeout-sec "30"` lines → settings. Total. */
export function parseOvnGarpSettings(text: string): ParseResult<OvnGarpSettings> {
  const warnings: ParseWarning[] = [];
  const v: OvnGarpSettings = {};
  text.split('\n').forEach((line, i) => {
    if (line.trim() === '') return;
    const m = /^version\s+ovn-controller(?:\s+\(Open vSwitch\))?\s+(\d+\.\d+\.\d+)/.exec(line);
    if (m) {
      v.version = m[1];
      return;
    }
    const t = /^garp-max-timeout-sec\s+"?(\d+)"?\s*$/.exec(line);
    if (t) {
      if (Number(t[1]) > 0) v.maxTimeoutSec = Number(t[1]);
      return;
    }
    if (/^(version|garp-max-timeout-sec)(\s|$)/.test(line)) return; // empty value: not installed / not set
    warnings.push({ line: i + 1, message: 'unexpected line', text: line.slice(0, 120) });
  });
  return { value: v, warnings };
}

/** the first version of each series with 0d021216c; a series absent here (22.06–22.12) never got it */
const FIXED_IN: Record<string, number> = { '22.03': 6, '23.03': 3, '23.06': 3 };

/** true: the 1-2-4-8 s backoff (and garp-max-timeout-sec); false: 2-4-8-16 s; undefined: not known */
export function hasCappedBackoff(version: string | undefined): boolean | undefined {
  const m = version ? /^(\d+)\.(\d+)\.(\d+)/.exec(version) : null;
  if (!m) return undefined;
  const [maj, min, patch] = [Number(m[1]), Number(m[2]), Number(m[3])];
  if (maj > 23 || (maj === 23 && min >= 9)) return true;
  const fixed = FIXED_IN[`${m[1]}.${m[2].padStart(2, '0')}`];
  return fixed !== undefined && patch >= fixed;
}

/** the pattern of the announcing chassis; `source` says why, for the output */
export function ovnGarpPatternFor(s: OvnGarpSettings): { pattern: PatternId; source: string } {
  const capped = hasCappedBackoff(s.version);
  const v = s.version ? `ovn-controller ${s.version}` : 'ovn-controller version unknown';
  if (capped === undefined) {
    return { pattern: s.maxTimeoutSec ? 'ovn-continuous' : 'ovn', source: `${v}: either backoff${s.maxTimeoutSec ? `, garp-max-timeout-sec ${s.maxTimeoutSec}` : ''}` };
  }
  if (!capped) {
    const note = s.maxTimeoutSec ? ` (garp-max-timeout-sec ${s.maxTimeoutSec} is set but this version ignores it)` : '';
    return { pattern: 'ovn-stop-16s', source: `${v}: 5 G-ARPs, backoff 2-4-8-16 s, then none (before ovn 0d021216c)${note}` };
  }
  if (s.maxTimeoutSec) return { pattern: 'ovn-continuous', source: `${v}: garp-max-timeout-sec ${s.maxTimeoutSec}: backoff from 1 s capped at ${s.maxTimeoutSec} s, continuous` };
  return { pattern: 'ovn-stop-8s', source: `${v}: 5 G-ARPs, backoff 1-2-4-8 s, then none (ovn 0d021216c)` };
}
