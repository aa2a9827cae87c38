import { Option } from 'commander';
import { MAX_TIMER_MS, parsePositiveInt, parseTimeoutSeconds } from './options';

/**
 * The budgets of a command that reads many nodes (run, where through collectNodes; doctor):
 * one definition of --node-deadline, so that every such command has the same flag, default and
 * messages (issue 10: a slow or dead node never stalls the others).
 */

/** the connect budget given on top of --timeout when --node-deadline is not set, ms */
const CONNECT_ALLOWANCE_MS = 10_000;

/** `what`: the node's work after connecting, as the help names it (run, where: the snapshot; doctor: the probe) */
export function nodeDeadlineOption(what = 'snapshot'): Option {
  return new Option(
    '--node-deadline <seconds>',
    `whole budget of one node, connect + ${what}; past it the node is reported as timed out and the others go on (default: --timeout + 10)`,
  );
}

export interface CollectBudgetFlags {
  concurrency: string;
  timeout: string;
  nodeDeadline?: string;
}

/** --concurrency, --timeout and --node-deadline → collectNodes' options; usage errors name the flag */
export function parseCollectBudgets(flags: CollectBudgetFlags): { concurrency: number; timeoutMs: number; deadlineMs: number } {
  const concurrency = parsePositiveInt(flags.concurrency, '--concurrency');
  const timeoutMs = parseTimeoutSeconds(flags.timeout);
  return { concurrency, timeoutMs, deadlineMs: parseNodeDeadline(flags.nodeDeadline, timeoutMs) };
}

/**
 * --node-deadline seconds → ms. Unset: --timeout + 10 s, kept within Node's timer limit (a
 * --timeout of 2147483 s made the default deadline overflow, and an overflowing timer fires at
 * once: every node was a timeout).
 */
export function parseNodeDeadline(value: string | undefined, timeoutMs: number): number {
  if (value !== undefined) return parseTimeoutSeconds(value, '--node-deadline');
  return Math.min(timeoutMs + CONNECT_ALLOWANCE_MS, MAX_TIMER_MS);
}
