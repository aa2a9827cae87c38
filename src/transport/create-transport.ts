import { HaprobeError } from '../errors';
import type { Inventory, InventoryNode } from '../inventory/types';
import { parseExternalJump } from '../inventory/jump-spec';
import type { Transport } from './types';
import { LocalTransport } from './local-transport';
import { SshTransport, type SshTransportOptions } from './ssh-transport';

/** Knobs shared by every transport a run opens. */
export interface TransportOptions
  extends Pick<SshTransportOptions, 'connectTimeoutMs' | 'maxChannels' | 'defaultTimeoutMs' | 'agent' | 'stopGraceMs'> {
  /** run the node's commands on this machine (haprobe runs on the node itself) */
  local?: boolean;
  /**
   * Supplies the bastion transport for a node's `jump`. The pool passes one so nodes behind the
   * same bastion share one connection; without it each transport opens (and closes) its own.
   */
  resolveJump?: (spec: string, from: InventoryNode) => SshTransport;
}

export function createTransport(node: InventoryNode, inv: Inventory, opts: TransportOptions = {}): Transport {
  if (opts.local) {
    return new LocalTransport({ node: node.name, sudo: node.sudo, defaultTimeoutMs: opts.defaultTimeoutMs, stopGraceMs: opts.stopGraceMs });
  }
  return createSshTransport(node, inv, opts);
}

export function createSshTransport(node: InventoryNode, inv: Inventory, opts: TransportOptions = {}): SshTransport {
  let via: SshTransport | undefined;
  let ownsVia = false;
  if (node.jump !== undefined) {
    if (opts.resolveJump) via = opts.resolveJump(node.jump, node);
    else {
      via = createJumpTransport(node.jump, node, inv, opts);
      ownsVia = true;
    }
  }
  return new SshTransport({
    ...sshKnobs(opts),
    node: node.name,
    endpoint: { host: node.address, port: node.port, user: node.user, identityFile: node.identityFile },
    sudo: node.sudo,
    knownHosts: inv.knownHosts,
    via,
    ownsVia,
  });
}

/**
 * The bastion named by a jump spec: another inventory node (itself maybe behind a jump — the
 * loader rejects cycles), or `user@host[:port]`, which borrows the user and identity of the node
 * that jumps through it when it names none.
 */
export function createJumpTransport(spec: string, from: InventoryNode, inv: Inventory, opts: TransportOptions = {}): SshTransport {
  const jumpNode = inv.nodes.find((n) => n.name === spec);
  if (jumpNode) return createSshTransport(jumpNode, inv, opts);
  const ext = parseExternalJump(spec);
  if (!ext) throw new HaprobeError('inventory', `node ${from.name}: malformed jump '${spec}'`, { where: inv.source });
  return new SshTransport({
    ...sshKnobs(opts),
    node: `jump ${spec}`,
    endpoint: { host: ext.host, port: ext.port ?? 22, user: ext.user ?? from.user, identityFile: from.identityFile },
    knownHosts: inv.knownHosts,
  });
}

function sshKnobs(opts: TransportOptions): Partial<SshTransportOptions> {
  const { connectTimeoutMs, maxChannels, defaultTimeoutMs, agent, stopGraceMs } = opts;
  return { connectTimeoutMs, maxChannels, defaultTimeoutMs, agent, stopGraceMs };
}
