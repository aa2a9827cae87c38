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
  /** release-dependent lines (default: the lab's mixed era: garp_master_delay 60, no_track, protocol static) */
  era?: KeepalivedEra;
  /** Juno: the primary VIP is the router's gateway address on qg- (not 169.254.0.<vrid> on ha-) */
  primary?: { cidr: string; dev: string };
  /** Juno: directory of the notify_{master,backup,fault}.sh scripts of the sync group */
  notifyDir?: string;
  /** "10.0.0.1/24 dev qr-…" entries without no_track (added here); scope link for IPv6 LLAs */
  excluded: { cidr: string; dev: string; scope?: 'link' }[];
  /** default gateway (external subnet gateway) and the device it leaves by; via6: IPv6 gateway */
  defaultGw?: { via: string; dev: string; via6?: string };
}

/** the parts of ReleaseRules that change keepalived.conf (src/lab/releases.ts) */
export interface KeepalivedEra {
  keepalivedTemplate: 'juno' | 'kilo+';
  garpMasterDelay: boolean;
  noTrack: boolean;
  routeProtocolStatic: boolean;
}

const DEFAULT_ERA: KeepalivedEra = { keepalivedTemplate: 'kilo+', garpMasterDelay: true, noTrack: true, routeProtocolStatic: true };

export function primaryVip(vrid: number): string {
  return `169.254.0.${vrid}/24`;
}

export function renderKeepalivedConf(input: KeepalivedInput): string {
  const era = input.era ?? DEFAULT_ERA;
  const nt = era.noTrack ? ' no_track' : '';
  const vips = input.excluded.map((e) => `${e.cidr} dev ${e.dev}${e.scope ? ` scope ${e.scope}` : ''}${nt}`).sort();
  const juno = era.keepalivedTemplate === 'juno';
  const lines: string[] = juno
    // Juno (ground-truth corpus assafmuller-blog-keepalived-conf-juno): no global_defs, a sync
    // group whose notify scripts write the state file
    ? ['vrrp_sync_group VG_1 {', '    group {', `        VR_${input.vrid}`, '    }',
        `    notify_backup "${input.notifyDir}/notify_backup.sh"`,
        `    notify_master "${input.notifyDir}/notify_master.sh"`,
        `    notify_fault "${input.notifyDir}/notify_fault.sh"`, '}']
    : ['global_defs {', '    notification_email_from neutron@openstack.local', '    router_id neutron', '}'];
  const primary = input.primary ? `${input.primary.cidr} dev ${input.primary.dev}` : `${primaryVip(input.vrid)} dev ${input.haDevice}`;
  lines.push(
    `vrrp_instance VR_${input.vrid} {`,
    '    state BACKUP',
    `    interface ${input.haDevice}`,
    `    virtual_router_id ${input.vrid}`,
    '    priority 50',
    ...(era.garpMasterDelay ? ['    garp_master_delay 60'] : []),
    '    nopreempt',
    '    advert_int 2',
    '    track_interface {',
    `        ${input.haDevice}`,
    '    }',
    '    virtual_ipaddress {',
    `        ${primary}`,
    '    }',
  );
  if (vips.length > 0) lines.push('    virtual_ipaddress_excluded {', ...vips.map((v) => `        ${v}`), '    }');
  if (input.defaultGw) {
    const routes = [`0.0.0.0/0 via ${input.defaultGw.via} dev ${input.defaultGw.dev}`];
    if (input.defaultGw.via6) routes.push(`::/0 via ${input.defaultGw.via6} dev ${input.defaultGw.dev}`);
    lines.push(
      '    virtual_routes {',
      ...routes.map((r) => `        ${r}${nt}${era.routeProtocolStatic ? ' protocol static' : ''}`),
      '    }',
    );
  }
  lines.push('}', '');
  return lines.join('\n');
}
