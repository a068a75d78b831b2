import type { Command } from '../command'
import { assetsCommand } from './assets-command'
import { importCommand } from './import-command'
import { recordingsCommand } from './recordings-command'
import { serveCommand } from './serve-command'
import { statsCommand } from './stats-command'
import { sourcesCommand } from './sources-command'
import { syncCommand } from './sync-command'
import { funnelCommand } from './funnel-command'
import { sessionsCommand } from './sessions-command'
import { personsCommand } from './persons-command'

/** Every `tapedeck` command, in the order `--help` lists them. */
export const COMMANDS: readonly Command[] = [
  importCommand,
  statsCommand,
  recordingsCommand,
  serveCommand,
  assetsCommand,
  sourcesCommand,
  syncCommand,
  funnelCommand,
  sessionsCommand,
  personsCommand
]
