import * as fs from 'fs';
import { expect } from 'chai';
import { corpusPath, listCorpusFiles, splitCorpusSample } from '../helpers/corpus';
import { readFixture } from './read-fixture';
import type { ParseResult } from '../../src/parse/types';
import * as parsers from '../../src/parse';
import { rng } from '../hardening/fuzz-helpers';

/** Every single-text parser of the package (parseOvsDbJson is fuzzed on its own below). */
const SINGLE: [string, (t: string) => ParseResult<unknown>][] = [
  ['parseIpNetns', parsers.parseIpNetns], ['parseIpAddr', parsers.parseIpAddr], ['parseIpAddrJson', parsers.parseIpAddrJson],
  ['parseIpRoute', parsers.parseIpRoute], ['parseIpRouteJson', parsers.parseIpRouteJson], ['parseIpRule', parsers.parseIpRule],
  ['parseIpRuleJson', parsers.parseIpRuleJson], ['parseIpNeigh', parsers.parseIpNeigh], ['parseIpNeighJson', parsers.parseIpNeighJson],
  ['parseArpN', parsers.parseArpN], ['parseIptablesSave', parsers.parseIptablesSave], ['parseIptablesS', (t) => parsers.parseIptablesS(t)],
  ['parseIptablesList', (t) => parsers.parseIptablesList(t)], ['parseOvsVsctlShow', parsers.parseOvsVsctlShow],
  ['parseOvsOfctlDumpFlows', parsers.parseOvsOfctlDumpFlows], ['parseOvsAppctlFdbShow', parsers.parseOvsAppctlFdbShow],
  ['parseKeepalivedConf', parsers.parseKeepalivedConf], ['parseKeepalivedState', parsers.parseKeepalivedState],
  ['parseSysctl', parsers.parseSysctl], ['parseOpenstackTable', parsers.parseOpenstackTable],
  // ML2/OVN (issue 11)
  ['parseOvnNb', parsers.parseOvnNb], ['parseOvnSb', parsers.parseOvnSb], ['parseOvnChassis', parsers.parseOvnChassis],
  ['parseOvnControllerStatus', parsers.parseOvnControllerStatus],
  // nova-network share_address isolation (issue 9)
  ['parseEbtables', parsers.parseEbtables],
];

const ALPHABET = ' \t\n{}[]()"\'!#:,=/.-_@<>|\\*+0123456789abcdefxyzABCDEF…é';

function randomText(r: () => number, lines: number): string {
  const out: string[] = [];
  for (let i = 0; i < lines; i++) {
    let s = '';
    const len = Math.floor(r() * 80);
    for (let k = 0; k < len; k++) s += ALPHABET[Math.floor(r() * ALPHABET.length)];
    out.push(s);
  }
  return out.join(r() < 0.5 ? '\n' : '\r\n');
}

/** Real lines from the corpus and the generated fixtures, to shuffle and cut. */
function realLines(): string[] {
  const lines: string[] = [];
  for (const folder of ['ns-addr-route', 'iptables', 'ovs-flows', 'l3ha', 'openstack-cli', 'neigh-fdb', 'netns']) {
    for (const f of listCorpusFiles(folder)) lines.push(...splitCorpusSample(fs.readFileSync(corpusPath(f), 'utf8')).body.split('\n'));
  }
  for (const f of ['ip-addr-netns.txt', 'ip-j-addr-netns.json', 'iptables-save-netns.txt', 'ovs-vsctl-show.txt', 'keepalived-conf-neutron-functional-template.txt']) {
    lines.push(...readFixture(f).split('\n'));
  }
  return lines;
}

function check(name: string, input: string, result: ParseResult<unknown>): void {
  const lineCount = Math.max(1, input.split('\n').length);
  expect(result, name).to.have.keys(['value', 'warnings']);
  for (const w of result.warnings) {
    expect(Number.isInteger(w.line) && w.line >= 1 && w.line <= lineCount, `${name}: warning line ${w.line} of ${lineCount}`).to.equal(true);
  }
  JSON.stringify(result.value);
}

describe('parse: garbage in → warnings out, never an exception', () => {
  const pool = realLines();
  for (const [name, parse] of SINGLE) {
    it(name, () => {
      const r = rng(name.length * 7919);
      const inputs: string[] = ['', '\n\n', '\u0000', '{', '[', 'null', '[1,2]', '{"data":1}', '}}}}', '"unterminated', '-A', '*nat\n-A'];
      for (let i = 0; i < 40; i++) inputs.push(randomText(r, 1 + Math.floor(r() * 20)));
      for (let i = 0; i < 40; i++) {
        const start = Math.floor(r() * pool.length);
        const chunk = pool.slice(start, start + 1 + Math.floor(r() * 40)).join('\n');
        inputs.push(chunk.slice(0, Math.floor(r() * (chunk.length + 1)))); // truncated anywhere
      }
      for (const input of inputs) {
        let result: ParseResult<unknown> | undefined;
        expect(() => (result = parse(input)), `${name} threw on ${JSON.stringify(input.slice(0, 80))}`).not.to.throw();
        check(name, input, result as ParseResult<unknown>);
      }
    });
  }
  it('parseOvsDbJson on truncated and wrong documents', () => {
    const docs = [readFixture('ovs-vsctl-list-bridge.json'), readFixture('ovs-vsctl-list-port.json'), readFixture('ovs-vsctl-list-interface.json')];
    const r = rng(42);
    for (let i = 0; i < 60; i++) {
      const cut = docs.map((d) => (r() < 0.5 ? d.slice(0, Math.floor(r() * d.length)) : d));
      const shuffled = r() < 0.3 ? [cut[2], cut[0], cut[1]] : cut;
      expect(() => parsers.parseOvsDbJson(shuffled[0], shuffled[1], shuffled[2])).not.to.throw();
    }
    expect(() => parsers.parseOvsDbJson('{"headings":["name"],"data":[[["set",[["uuid"]]]]]}', '[]', 'null')).not.to.throw();
  });
});
