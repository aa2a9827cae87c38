import * as path from 'node:path';
import { HaprobeError } from '../errors';
import type { Inventory, InventoryNode } from '../inventory/types';
import type { Transport } from '../transport/types';
import { TransportPool } from '../transport/transport-pool';
import { TeeTransport } from '../transport/tee-transport';
import { buildCaptureCommand, formatCaptureSpec } from '../capture/live';
import type { CapturePoint } from './capture-points';

/**
 * The nodes `garp verify` and `drill failover` talk to: one Transport per inventory node, opened
 * on first use, all closed by closeAll() (in the caller's finally): a TransportPool (src/transport/)
 * whose factory is the caller's transportFor. With a pcapDir, the stdout of every capture
 * registered by keepPcap() is also written to its file (TeeTransport, src/transport/).
 * The functions are plain closures: destructuring them is fine.
 */
export interface NodePool {
  has(name: string): boolean;
  /** throws HaprobeError('inventory') for a node the facts name but the inventory lacks */
  transportOf(name: string): Transport;
  sudoOf(name: string): boolean | undefined;
  /** with a pcapDir: keep the raw pcap stream of this capture point there, return the file; else undefined */
  keepPcap(point: CapturePoint): string | undefined;
  closeAll(): Promise<void>;
}

export function openNodePool(inventory: Inventory, transportFor: (node: InventoryNode) => Transport, pcapDir: string | undefined): NodePool {
  const byName = new Map(inventory.nodes.map((n) => [n.name, n]));
  /** node NUL capture command → file */
  const commandFiles = new Map<string, string>();
  const pool = new TransportPool(inventory, {
    factory: (node) => {
      const inner = transportFor(node);
      return pcapDir ? new TeeTransport(inner, (cmd) => commandFiles.get(`${node.name}\u0000${cmd}`)) : inner;
    },
  });
  return {
    has: (name) => byName.has(name),
    transportOf(name) {
      const node = byName.get(name);
      if (!node) throw new HaprobeError('inventory', `node ${name} (from the facts) is not in the inventory`, { where: inventory.source });
      return pool.get(node);
    },
    sudoOf: (name) => byName.get(name)?.sudo,
    keepPcap(point) {
      if (!pcapDir) return undefined;
      const file = path.join(pcapDir, `${point.node}_${formatCaptureSpec(point.target).replace(/[^A-Za-z0-9_.-]+/g, '_')}.pcap`);
      commandFiles.set(`${point.node}\u0000${buildCaptureCommand(point.target)}`, file);
      return file;
    },
    async closeAll() {
      // a close that fails is no finding of the drill: swallowed (every close has been started)
      await pool.closeAll().catch(() => undefined);
    },
  };
}
