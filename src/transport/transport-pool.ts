import type { Inventory, InventoryNode } from '../inventory/types';
import type { Transport, TransportFailure } from './types';
import { type TransportOptions, createJumpTransport, createTransport } from './create-transport';
import { SshTransport } from './ssh-transport';

export interface PoolOptions extends TransportOptions {
  /** connections opened at the same time by connectAll; default 16 */
  concurrency?: number;
  /** replaces createTransport (tests, replay) */
  factory?: (node: InventoryNode, inv: Inventory, opts: TransportOptions) => Transport;
}

/**
 * One transport per node for a run, opened with bounded concurrency and closed together.
 * Nodes behind the same bastion share its connection; a bastion that is itself a node of the run
 * is the same transport.
 */
export class TransportPool {
  private readonly transports = new Map<string, Transport>();
  private readonly jumps = new Map<string, SshTransport>();
  /** transports other connections go through, in the order first used (outermost hop first) */
  private readonly bastions: SshTransport[] = [];

  constructor(
    private readonly inv: Inventory,
    private readonly opts: PoolOptions = {},
  ) {}

  /** the node's transport, created on first use (not connected) */
  get(node: InventoryNode): Transport {
    let t = this.transports.get(node.name);
    if (!t) {
      const opts: TransportOptions = { ...this.opts, resolveJump: (spec, from) => this.jumpFor(spec, from) };
      t = (this.opts.factory ?? createTransport)(node, this.inv, opts);
      this.transports.set(node.name, t);
    }
    return t;
  }

  /** start connecting these nodes now (Transport.preconnect), without waiting; closeAll ends what is still in flight */
  preconnect(nodes: readonly InventoryNode[]): void {
    for (const node of nodes) this.get(node).preconnect?.();
  }

  /** connect every node; the map holds each node's failure (undefined = connected). Never throws. */
  async connectAll(nodes: InventoryNode[]): Promise<Map<string, TransportFailure | undefined>> {
    const results = new Map<string, TransportFailure | undefined>();
    const queue = [...nodes];
    const worker = async (): Promise<void> => {
      for (let node = queue.shift(); node; node = queue.shift()) {
        results.set(node.name, await this.get(node).connect());
      }
    };
    const n = Math.max(1, Math.min(this.opts.concurrency ?? 16, nodes.length));
    await Promise.all(Array.from({ length: n }, worker));
    return new Map(nodes.map((node) => [node.name, results.get(node.name)]));
  }

  /**
   * Close one node's transport once the caller is done with it (issue 10: a 1,000-node run keeps
   * about --concurrency connections open, not one per node, so fds stay far below `ulimit -n`).
   * A node that other nodes jump through stays open for them (closeAll closes it).
   */
  async release(node: InventoryNode): Promise<void> {
    if (this.inv.nodes.some((n) => n.jump === node.name)) return;
    const t = this.transports.get(node.name);
    if (!t || this.bastions.includes(t as SshTransport)) return;
    this.transports.delete(node.name);
    await t.close();
  }

  /** closes the transports nobody goes through first, then the bastions, innermost hop first */
  async closeAll(): Promise<void> {
    const bastions = [...this.bastions].reverse();
    const leaves = [...this.transports.values()].filter((t) => !bastions.includes(t as SshTransport));
    this.transports.clear();
    this.jumps.clear();
    this.bastions.length = 0;
    await Promise.all(leaves.map((t) => t.close()));
    for (const b of bastions) await b.close();
  }

  private jumpFor(spec: string, from: InventoryNode): SshTransport {
    const jumpNode = this.inv.nodes.find((n) => n.name === spec);
    const asNode = jumpNode ? this.get(jumpNode) : undefined;
    let j = asNode instanceof SshTransport ? asNode : undefined;
    if (!j) {
      const key = jumpNode ? spec : `${spec}|${from.user}|${from.identityFile ?? ''}`;
      j = this.jumps.get(key);
      if (!j) {
        j = createJumpTransport(spec, from, this.inv, { ...this.opts, resolveJump: (s, f) => this.jumpFor(s, f) });
        this.jumps.set(key, j);
      }
    }
    if (!this.bastions.includes(j)) this.bastions.push(j);
    return j;
  }
}
