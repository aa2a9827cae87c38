/**
 * A small XML 1.0 well-formedness checker for tests (no DTDs, no CDATA, no PIs other than the
 * declaration — what renderJunit emits). Returns the element tree or throws with an offset.
 */
export interface XmlElement {
  name: string;
  attrs: Record<string, string>;
  children: XmlElement[];
  text: string;
}

const NAME = /^[A-Za-z_:][-A-Za-z0-9._:]*/;
const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

export function parseXml(xml: string): XmlElement {
  let pos = 0;
  const fail = (msg: string): never => {
    throw new Error(`XML not well-formed at ${pos}: ${msg} near ${JSON.stringify(xml.slice(pos, pos + 40))}`);
  };
  for (const ch of xml) {
    const cp = ch.codePointAt(0)!;
    const ok = cp === 9 || cp === 10 || cp === 13 || (cp >= 0x20 && cp <= 0xd7ff) || (cp >= 0xe000 && cp <= 0xfffd) || cp >= 0x10000;
    if (!ok) fail(`illegal character U+${cp.toString(16)}`);
  }
  const decode = (s: string): string =>
    s.replace(/&([^;]*);?/g, (m, name: string) => {
      if (!m.endsWith(';')) fail('unterminated entity reference');
      if (ENTITIES[name] !== undefined) return ENTITIES[name];
      const num = /^#(x[0-9A-Fa-f]+|[0-9]+)$/.exec(name);
      if (!num) fail(`unknown entity &${name};`);
      return String.fromCodePoint(num![1].startsWith('x') ? parseInt(num![1].slice(1), 16) : parseInt(num![1], 10));
    });
  const skipWs = (): void => {
    while (/\s/.test(xml[pos] ?? '')) pos++;
  };
  if (xml.startsWith('<?xml')) {
    const end = xml.indexOf('?>');
    if (end < 0) fail('unterminated declaration');
    pos = end + 2;
  }
  skipWs();
  const parseElement = (): XmlElement => {
    if (xml[pos] !== '<') fail('expected <');
    pos++;
    const m = NAME.exec(xml.slice(pos));
    if (!m) return fail('bad element name');
    const el: XmlElement = { name: m[0], attrs: {}, children: [], text: '' };
    pos += m[0].length;
    for (;;) {
      skipWs();
      if (xml.startsWith('/>', pos)) {
        pos += 2;
        return el;
      }
      if (xml[pos] === '>') {
        pos++;
        break;
      }
      const a = NAME.exec(xml.slice(pos));
      if (!a) fail('bad attribute name');
      pos += a![0].length;
      skipWs();
      if (xml[pos] !== '=') fail('expected =');
      pos++;
      skipWs();
      const q = xml[pos];
      if (q !== '"' && q !== "'") fail('expected quote');
      const end = xml.indexOf(q, pos + 1);
      if (end < 0) fail('unterminated attribute');
      const raw = xml.slice(pos + 1, end);
      if (raw.includes('<')) fail('< in attribute value');
      if (a![0] in el.attrs) fail(`duplicate attribute ${a![0]}`);
      el.attrs[a![0]] = decode(raw);
      pos = end + 1;
    }
    for (;;) {
      const lt = xml.indexOf('<', pos);
      if (lt < 0) fail(`unclosed <${el.name}>`);
      const text = xml.slice(pos, lt);
      if (text.includes(']]>')) fail(']]> in text');
      el.text += decode(text);
      pos = lt;
      if (xml.startsWith('</', pos)) {
        pos += 2;
        if (!xml.startsWith(el.name, pos)) fail(`mismatched end tag, expected </${el.name}>`);
        pos += el.name.length;
        skipWs();
        if (xml[pos] !== '>') fail('expected >');
        pos++;
        return el;
      }
      if (xml.startsWith('<!--', pos)) {
        const end = xml.indexOf('-->', pos);
        if (end < 0) fail('unterminated comment');
        pos = end + 3;
        continue;
      }
      el.children.push(parseElement());
    }
  };
  const root = parseElement();
  skipWs();
  if (pos !== xml.length) fail('content after the root element');
  return root;
}
