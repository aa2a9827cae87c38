import type { Command } from 'commander';
import { registerRunCommand } from './run';
import { registerReportCommand } from './report';
import { registerDiffCommand } from './diff';
import { registerGarpCommand } from './garp';
import { registerLab } from './lab';
import { registerDemoCommand } from './demo';
import { registerCatalogCommands } from './catalog';
import { registerDrillCommand } from './drill';
import { registerExplainCommand } from './explain';
import { registerFactsCommand } from './facts';

/** Every top-level command registers itself here (one module per command). */
export type RegisterCommand = (program: Command) => void;

export const COMMANDS: RegisterCommand[] = [registerRunCommand, registerReportCommand, registerDiffCommand, (program) => void registerGarpCommand(program), registerLab, registerDemoCommand, registerCatalogCommands, registerExplainCommand, registerDrillCommand, registerFactsCommand];
