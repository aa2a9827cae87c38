import type { Command } from 'commander';
import { registerRunCommand } from './run';
import { registerReportCommand } from './report';
import { registerDiffCommand } from './diff';

/** Every top-level command registers itself here (one module per command). */
export type RegisterCommand = (program: Command) => void;

export const COMMANDS: RegisterCommand[] = [registerRunCommand, registerReportCommand, registerDiffCommand];
