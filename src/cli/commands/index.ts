import type { Command } from 'commander';

/** Every top-level command registers itself here (one module per command). */
export type RegisterCommand = (program: Command) => void;

export const COMMANDS: RegisterCommand[] = [];
