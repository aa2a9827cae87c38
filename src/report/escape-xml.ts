/**
 * Text safe inside XML 1.0 element content and attribute values (also used for HTML).
 * Characters XML 1.0 forbids even as references (C0 controls other than tab/LF/CR, lone
 * surrogates, U+FFFE/U+FFFF) are shown as "\xNN"/"\uNNNN" so command output with ANSI codes
 * or NULs still yields a document a CI server can parse.
 */
export function escapeXml(text: string): string {
  let out = '';
  for (const ch of text) {
    const cp = ch.codePointAt(0) ?? 0;
    switch (ch) {
      case '&': out += '&amp;'; break;
      case '<': out += '&lt;'; break;
      case '>': out += '&gt;'; break;
      case '"': out += '&quot;'; break;
      case "'": out += '&#39;'; break;
      default:
        if (isXmlChar(cp)) out += ch;
        else out += cp <= 0xff ? `\\x${hex(cp, 2)}` : `\\u${hex(cp, 4)}`;
    }
  }
  return out;
}

/** As escapeXml, and keeps newlines/tabs of attribute values (parsers normalise raw ones to spaces). */
export function escapeXmlAttr(text: string): string {
  return escapeXml(text).replace(/\n/g, '&#10;').replace(/\r/g, '&#13;').replace(/\t/g, '&#9;');
}

function isXmlChar(cp: number): boolean {
  return (
    cp === 0x9 ||
    cp === 0xa ||
    cp === 0xd ||
    (cp >= 0x20 && cp <= 0xd7ff) ||
    (cp >= 0xe000 && cp <= 0xfffd) ||
    (cp >= 0x10000 && cp <= 0x10ffff)
  );
}

function hex(n: number, width: number): string {
  return n.toString(16).toUpperCase().padStart(width, '0');
}
