/**
 * A node's `jump` is either the name of another inventory node or an external bastion written
 * `user@host[:port]` (or `host:port`, `[v6addr]:port`). A bare word is always a node name: a typo
 * must fail at load time, not become a DNS lookup at run time.
 */
import { isHostOrIp } from '../model/formats';

/** an SSH login name (POSIX portable user names, as the inventory's `user`) */
export const USER_RE = /^[A-Za-z0-9._][A-Za-z0-9._-]*$/;

export interface ExternalJump {
  user?: string;
  host: string;
  port?: number;
}

export function isExternalJump(spec: string): boolean {
  return spec.includes('@') || spec.includes(':');
}

/** undefined when the spec is malformed (bad user, host not a host name or IP, bad port) */
export function parseExternalJump(spec: string): ExternalJump | undefined {
  let rest = spec;
  let user: string | undefined;
  const at = rest.lastIndexOf('@');
  if (at >= 0) {
    user = rest.slice(0, at);
    rest = rest.slice(at + 1);
    if (!USER_RE.test(user)) return undefined;
  }
  let host = rest;
  let portText: string | undefined;
  const v6 = /^\[([^\]]+)\](?::(\d+))?$/.exec(rest);
  if (v6) {
    host = v6[1];
    portText = v6[2];
  } else if ((rest.match(/:/g) ?? []).length === 1) {
    [host, portText] = rest.split(':');
  }
  if (!isHostOrIp(host)) return undefined;
  if (portText === undefined) return { user, host };
  const port = Number(portText);
  if (!Number.isInteger(port) || port < 1 || port > 65535) return undefined;
  return { user, host, port };
}
