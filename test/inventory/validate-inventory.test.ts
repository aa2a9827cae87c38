import { expect } from 'chai';
import { haprobeErrorOf } from '../helpers/haprobe-error';
import { parseInventoryYaml } from '../../src/inventory/load-inventory';
import { parseAnsibleIni } from '../../src/inventory/parse-ansible-ini';
import { buildAnsibleInventory } from '../../src/inventory/build-ansible-inventory';

const node = (fields: string): string => `knownHosts: false\nnodes:\n  - { name: net1, roles: [network], ${fields} }\n`;

/** [what, YAML node fields, path named, message] */
const BAD_YAML: [string, string, string, RegExp][] = [
  ['an address that is an ssh option', "address: '-oProxyCommand=id'", 'nodes[0].address', /not a host name or an IP address/],
  ['an address with shell text', "address: 'net1;id'", 'nodes[0].address', /not a host name or an IP address/],
  ['an address that is no IP and no name', "address: '10.0.0.1/24'", 'nodes[0].address', /not a host name or an IP address/],
  ['a jump host with shell text', "address: 192.0.2.1, jump: 'ops@$(id):22'", 'nodes[0].jump', /malformed jump/],
  ['a jump user with a space', "address: 192.0.2.1, jump: 'o ps@bastion:22'", 'nodes[0].jump', /malformed jump/],
];

describe('inventory validation (issue 8: formats)', () => {
  for (const [what, fields, at, message] of BAD_YAML) {
    it(`YAML: refuses ${what}, naming ${at}`, () => {
      const err = haprobeErrorOf(() => parseInventoryYaml(node(fields), 'inv.yaml'));
      expect(err.code).to.equal('inventory');
      expect(err.where).to.equal(`inv.yaml: ${at}`);
      expect(err.message).to.match(message);
    });
  }

  it('YAML: host names, IPv4 and IPv6 addresses and user@host:port jumps still load', () => {
    const inv = parseInventoryYaml(
      'knownHosts: false\nnodes:\n  - { name: a, address: net1.example.com, roles: [network] }\n' +
        '  - { name: b, address: "2001:db8::2", roles: [compute], jump: "ops@[2001:db8::1]:2200" }\n  - { name: c, address: 192.0.2.3, roles: [gateway], jump: a }\n',
      'inv.yaml',
    );
    expect(inv.nodes.map((n) => n.address)).to.deep.equal(['net1.example.com', '2001:db8::2', '192.0.2.3']);
  });

  const ini = (line: string): string => `[network]\n${line}\n`;
  const BAD_INI: [string, string, RegExp][] = [
    ['ansible_host with shell text', 'net1 ansible_host=$(id)', /ansible_host '\$\(id\)' is not a host name or an IP address/],
    ['ansible_user with shell text', 'net1 ansible_host=192.0.2.1 ansible_user=root;id', /bad ansible_user/],
    ['a host name that is an ssh option', '-oProxyCommand=x', /host name may only contain/],
  ];
  for (const [what, line, message] of BAD_INI) {
    it(`Ansible INI: refuses ${what}`, () => {
      const err = haprobeErrorOf(() => buildAnsibleInventory(parseAnsibleIni(ini(line), 'hosts.ini'), 'hosts.ini'));
      expect(err.code).to.equal('inventory');
      expect(err.where).to.match(/^hosts\.ini:2$/);
      expect(err.message).to.match(message);
    });
  }
});
