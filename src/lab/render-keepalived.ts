/**
 * keepalived.conf exactly as neutron renders it (neutron/agent/linux/keepalived.py,
 * reference rendering in ground-truth §2e/2f): global_defs with only
 * notification_email_from and router_id, state BACKUP, priority 50,
 * garp_master_delay 60, nopreempt, advert_int 2, primary VIP 169.254.0.<vrid>/24 on ha-,
 * every other address as an excluded VIP (sorted), default route as a virtual route.
 */
export interface KeepalivedInput {
  vrid: number;
  haDevice: string;
  /** "10.0.0.1/24 dev qr-…" entries without no_track (added here) */
  excluded: { cidr: string; dev: string }[];
  /** default gateway (external subnet gateway) and the device it leaves by */
  defaultGw?: { via: string; dev: string };
}

export function primaryVip(vrid: number): string {
  return `169.254.0.${vrid}/24`;
}

export function renderKeepalivedConf(input: KeepalivedInput): string {
  const vips = input.excluded.map((e) => `${e.cidr} dev ${e.dev} no_track`).sort();
  const lines = [
    'global_defs {',
    '    notification_email_from neutron@openstack.local',
    '    router_id neutron',
    '}',
    `vrrp_instance VR_${input.vrid} {`,
    '    state BACKUP',
    `    interface ${input.haDevice}`,
    `    virtual_router_id ${input.vrid}`,
    '    priority 50',
    '    garp_master_delay 60',
    '    nopreempt',
    '    advert_int 2',
    '    track_interface {',
    `        ${input.haDevice}`,
    '    }',
    '    virtual_ipaddress {',
    `        ${primaryVip(input.vrid)} dev ${input.haDevice}`,
    '    }',
    '    virtual_ipaddress_excluded {',
    ...vips.map((v) => `        ${v}`),
    '    }',
  ];
  if (input.defaultGw) {
    lines.push(
      '    virtual_routes {',
      `        0.0.0.0/0 via ${input.defaultGw.via} dev ${input.defaultGw.dev} no_track protocol static`,
      '    }',
    );
  }
  lines.push('}', '');
  return lines.join('\n');
}
