import { expect } from 'chai';
import * as fs from 'fs';
import { classifyArp } from '../../src/capture/classify';
import type { CapturedFrame } from '../../src/capture/types';
import { parseTcpdumpText } from '../../src/capture/tcpdump-text';
import { readCorpusBody } from '../helpers/corpus';
import { loadGarpFixture } from './helpers/garp-frames';
import { fixture } from './helpers/pcap-variants';

describe('capture/classify: ARP classes and G-ARP shapes (real frames)', () => {
  const fx = loadGarpFixture();
  const table: [string, CapturedFrame, string, string | undefined][] = [
    ['arping -U (iputils): REQUEST, tha ff..ff', fx.pike[0], 'garp-request', 'arping-U'],
    ['arping -A: REPLY, tha = sha', fx.pike[1], 'garp-reply', 'arping-A'],
    ['arping -A -c 3 (Kilo-Newton, nova-network)', fx.kilo[0], 'garp-reply', 'arping-A'],
    ['ovn-controller: REQUEST, tha 00..00', fx.ovn, 'garp-request', 'ovn'],
    ['REPLY with tha broadcast', fx.replyThaBroadcast, 'garp-reply', 'reply-tha-broadcast'],
    ['802.1Q tagged G-ARP', fx.vlan, 'garp-request', 'arping-U'],
    ['QinQ tagged G-ARP', fx.qinq, 'garp-request', 'arping-U'],
    ['RFC 5227 probe (arping -D)', fx.probe, 'probe', undefined],
    ['ordinary request', fx.request, 'request', undefined],
    ['ordinary reply', fx.reply, 'reply', undefined],
  ];
  for (const [name, frame, cls, shape] of table) {
    it(`${name} → ${cls}${shape ? ` / ${shape}` : ''}`, () => {
      const c = classifyArp(frame);
      expect(c?.class).to.equal(cls);
      expect(c?.shape).to.equal(shape);
      expect(c?.reasons).to.deep.equal([]);
    });
  }

  it('keepalived and arping -U are the same bytes; nova-network and arping -A too', () => {
    expect(classifyArp(fx.pike[0])?.shapes).to.deep.equal(['arping-U', 'keepalived']);
    expect(classifyArp(fx.kilo[0])?.shapes).to.deep.equal(['arping-A', 'nova-network']);
  });

  it('who-has FIP tell <primary> (Debian arping) SENT BY THE ANNOUNCER: announcement-not-garp; from anyone else, or an unknown announcer: a request', () => {
    const announcer = fx.debian.ethSrc as string;
    const c = classifyArp(fx.debian, { watchedIps: ['203.0.113.31'], announcerMacs: [announcer] });
    expect(c).to.include({ class: 'announcement-not-garp', ip: '203.0.113.31', shape: 'debian-arping' });
    expect(c?.reasons[0]).to.match(/sender IP 203\.0\.113\.10/);
    expect(classifyArp(fx.debian, { watchedIps: new Set(['203.0.113.31']), announcerMacs: new Set([announcer]) })?.class).to.equal('announcement-not-garp');
    expect(classifyArp(fx.debian, { watchedIps: ['203.0.113.31'], announcerMacs: ['fa:16:3e:00:00:01'] })?.class).to.equal('request');
    expect(classifyArp(fx.debian, { watchedIps: ['203.0.113.31'] })?.class).to.equal('request');
    expect(classifyArp(fx.debian)?.class).to.equal('request');
  });

  it('near misses say why: sha != Ethernet source, unicast destination', () => {
    const a = classifyArp(fx.shaMismatch);
    expect(a?.class).to.equal('request');
    expect(a?.reasons).to.deep.equal(['sender MAC fa:16:3e:00:00:99 differs from Ethernet source fa:16:3e:11:22:33']);
    const b = classifyArp(fx.unicastReply);
    expect(b?.class).to.equal('reply');
    expect(b?.reasons).to.deep.equal(['Ethernet destination fa:16:3e:00:00:01 is not broadcast']);
  });

  it('non-ARP frames are not classified', () => {
    expect(classifyArp(fx.vrrp[0])).to.equal(undefined);
  });

  it('from tcpdump text: unknown fields are listed, a broadcast reply counts, a reply without -e does not', () => {
    const t = parseTcpdumpText(fs.readFileSync(fixture('garps.nne.txt'), 'utf8')).value;
    const req = classifyArp(t[0]);
    expect(req).to.include({ class: 'garp-request', shape: 'arping-U', mac: 'fa:16:3e:11:22:33' });
    expect(req?.unknown).to.deep.equal(['sha']);
    expect(classifyArp(t[1])).to.include({ class: 'garp-reply' });
    expect(classifyArp(t.find((f) => f.arp?.tpa === '203.0.113.30')!)?.shape).to.equal('ovn');
    const noE = parseTcpdumpText(fs.readFileSync(fixture('garps.vvv-n.txt'), 'utf8')).value;
    expect(classifyArp(noE[1])?.class).to.equal('reply');
    expect(classifyArp(noE[0])?.class).to.equal('garp-request');
    // the upstream router's request and the qg- reply on a real node (elatov corpus)
    const real = parseTcpdumpText(readCorpusBody('tcpdump/elatov-kolla-tcpdump-qg-nne-arp.txt')).value;
    expect(classifyArp(real[1])?.class).to.equal('request');
    expect(classifyArp(real[2])?.class).to.equal('reply');
  });
});
