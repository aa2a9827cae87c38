/** Fast address formatting for the decoder hot path (no per-byte toString). */

const HEX: string[] = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));

export const BROADCAST_MAC = 'ff:ff:ff:ff:ff:ff';
export const ZERO_MAC = '00:00:00:00:00:00';

/** "fa:16:3e:00:00:01" from 6 bytes at `off` */
export function formatMac(b: Uint8Array, off: number): string {
  return (
    HEX[b[off]] + ':' + HEX[b[off + 1]] + ':' + HEX[b[off + 2]] + ':' +
    HEX[b[off + 3]] + ':' + HEX[b[off + 4]] + ':' + HEX[b[off + 5]]
  );
}

/** dotted quad from 4 bytes at `off` */
export function formatIpv4(b: Uint8Array, off: number): string {
  return b[off] + '.' + b[off + 1] + '.' + b[off + 2] + '.' + b[off + 3];
}

/** RFC 5952-ish compressed IPv6 text from 16 bytes at `off` (same form tcpdump prints) */
export function formatIpv6(b: Uint8Array, off: number): string {
  const words: number[] = [];
  for (let i = 0; i < 8; i++) words.push((b[off + 2 * i] << 8) | b[off + 2 * i + 1]);
  let bestStart = -1;
  let bestLen = 0;
  for (let i = 0; i < 8; ) {
    if (words[i] !== 0) { i++; continue; }
    let j = i;
    while (j < 8 && words[j] === 0) j++;
    if (j - i > bestLen && j - i >= 2) { bestStart = i; bestLen = j - i; }
    i = j;
  }
  const hex = words.map((w) => w.toString(16));
  if (bestStart < 0) return hex.join(':');
  const head = hex.slice(0, bestStart).join(':');
  const tail = hex.slice(bestStart + bestLen).join(':');
  return `${head}::${tail}`;
}

/** lower-case, zero-padded MAC ("0:1:2:3:4:5" → "00:01:02:03:04:05"); undefined if not a MAC */
export function normalizeMac(text: string): string | undefined {
  const parts = text.split(':');
  if (parts.length !== 6) return undefined;
  const out: string[] = [];
  for (const p of parts) {
    if (!/^[0-9a-fA-F]{1,2}$/.test(p)) return undefined;
    out.push(p.toLowerCase().padStart(2, '0'));
  }
  return out.join(':');
}
