import { CacheError } from '../db/cache-errors'
import { COMMANDS } from './commands'
import { UsageError, type CommandIo } from './command'

const io: CommandIo = { stdout: process.stdout, stderr: process.stderr, env: process.env }

function printHelp(): void {
  const width = Math.max(...COMMANDS.map((c) => c.name.length))
  const lines = COMMANDS.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`)
  io.stdout.write(
    `Usage: tapedeck <command> [options]\n\nCommands:\n${lines.join('\n')}\n\n` +
      `Run "tapedeck <command> --help" for a command's options.\n` +
      `Every command takes --data DIR (default: $TAPEDECK_DATA, else the desktop app's per-user folder).\n`
  )
}

async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    printHelp()
    return name === undefined ? 1 : 0
  }
  const command = COMMANDS.find((c) => c.name === name)
  if (!command) {
    io.stderr.write(`tapedeck: unknown command "${name}"\n`)
    printHelp()
    return 1
  }
  if (rest.includes('--help') || rest.includes('-h')) {
    io.stdout.write(`${command.usage}\n`)
    return 0
  }
  try {
    return await command.run(rest, io)
  } catch (error) {
    if (error instanceof UsageError) {
      io.stderr.write(`tapedeck ${name}: ${error.message}\n\n${command.usage}\n`)
      return 1
    }
    if (error instanceof CacheError) {
      io.stderr.write(`tapedeck ${name}: ${error.message}\n`)
      return 1
    }
    io.stderr.write(`tapedeck ${name}: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`)
    return 1
  }
}

process.exitCode = await main(process.argv.slice(2))
