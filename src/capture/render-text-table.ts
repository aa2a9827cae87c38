/**
 * A box-drawn text table in the plain style of haprobe's other tables (cli-table3 with no rule
 * between rows), rendered in time linear in the rows: cli-table3's layout is quadratic in the
 * row count — `garp watch --pcap` of 10k frames took 108 s and 20k frames 360 s (issue 8).
 * Cells are one line each; control characters in them are shown escaped ("\x1b"), so text taken
 * from a capture cannot move the cursor or recolour the operator's terminal.
 */
export function renderTextTable(head: readonly string[], rows: readonly (readonly string[])[]): string {
  const clean = (row: readonly string[]): string[] => head.map((_, i) => escapeControls(row[i] ?? ''));
  const all = [clean(head), ...rows.map(clean)];
  const widths = head.map(() => 0);
  for (const row of all) row.forEach((cell, i) => (widths[i] = Math.max(widths[i], displayWidth(cell))));
  const rule = (left: string, mid: string, right: string): string => left + widths.map((w) => '─'.repeat(w + 2)).join(mid) + right;
  const line = (row: string[]): string => `│${row.map((cell, i) => ` ${cell}${' '.repeat(widths[i] - displayWidth(cell))} `).join('│')}│`;
  const out = [rule('┌', '┬', '┐')];
  for (const row of all) out.push(line(row));
  out.push(rule('└', '┴', '┘'));
  return out.join('\n');
}

/** C0/C1 control characters (and DEL) as \xNN; everything else as is. */
export function escapeControls(s: string): string {
  return s.replace(/[\u0000-\u001f\u007f-\u009f]/g, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
}

/** Columns a string takes in a terminal: one per code point, two for East Asian wide ones. */
function displayWidth(s: string): number {
  let width = 0;
  for (const ch of s) width += isWide(ch.codePointAt(0) as number) ? 2 : 1;
  return width;
}

function isWide(cp: number): boolean {
  return (
    (cp >= 0x1100 && cp <= 0x115f) || (cp >= 0x2e80 && cp <= 0xa4cf && cp !== 0x303f) || (cp >= 0xac00 && cp <= 0xd7a3) ||
    (cp >= 0xf900 && cp <= 0xfaff) || (cp >= 0xfe30 && cp <= 0xfe4f) || (cp >= 0xff00 && cp <= 0xff60) ||
    (cp >= 0xffe0 && cp <= 0xffe6) || (cp >= 0x1f300 && cp <= 0x1f64f) || (cp >= 0x20000 && cp <= 0x3fffd)
  );
}
