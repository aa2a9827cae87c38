/**
 * What `garp verify` does to the floating IP, apart from verify-garp.ts because the announcer
 * planners (read-nova-plan, read-ovn-plan, plan-ovn-announcer) that verify-garp.ts calls plan by it.
 */

/** associate/disassociate the FIP; 'change': any other change made by the trigger (lab fault, failover) after which the FIP must be announced */
export type GarpAction = { kind: 'associate'; instance: string } | { kind: 'disassociate' } | { kind: 'change'; what: string };
