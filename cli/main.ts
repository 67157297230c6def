/**
 * The `eks-scan` command. Exit status: 0 when the command ran, 1 when any target could not be
 * scanned, 2 on bad usage.
 */
import { ScannerError, UsageError } from '../lib/errors.js';
import { checksCommand } from './commands/checks.js';
import { emulatorCommand } from './commands/emulator.js';
import { scanCommand } from './commands/scan.js';
import type { CommandIo } from './io.js';

const USAGE = `Usage: eks-scan <command> [options]

Commands:
  scan [target] [selection] [output] [--now ISO] [--param key=value ...]
      target:    --estate FILE (embedded local emulator) | --endpoint URL | neither: real AWS
                 (--profile NAME, --region R for account-level calls)
      selection: --accounts 111111111111,... --role-name NAME --regions r1,r2 --clusters a,b --checks id,...
      output:    --format table|json|asff|html|sarif (default: table on a terminal, json otherwise)
                 --output FILE
      publish:   --publish securityhub [--only-failed] [--suppressions FILE]
  emulator --estate FILE [--port N]   serve an estate on loopback until stopped; prints its endpoint
  checks [--format table|json]        the check catalogue with severities, parameters and defaults

Exit status: 0 when the scan ran, 1 when any target, call or publication failed (the rest is still reported),
2 on bad usage.
`;

type Command = (args: readonly string[], io: CommandIo) => number | Promise<number>;

const COMMANDS: Readonly<Record<string, Command>> = {
  scan: scanCommand,
  emulator: emulatorCommand,
  checks: checksCommand,
};

export async function run(argv: readonly string[], io: CommandIo): Promise<number> {
  const [name, ...args] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    (name === undefined ? io.stderr : io.stdout)(USAGE);
    return name === undefined ? 2 : 0;
  }
  const command = COMMANDS[name];
  try {
    if (command === undefined) throw new UsageError(`Unknown command ${JSON.stringify(name)}.`);
    return await command(args, io);
  } catch (error) {
    // parseArgs reports unknown or malformed flags with a TypeError carrying this code.
    const badFlag = (error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS') === true;
    if (error instanceof UsageError || error instanceof ScannerError || badFlag) {
      io.stderr(
        `eks-scan: ${(error as Error).message}\n${error instanceof UsageError || badFlag ? `\n${USAGE}` : ''}`,
      );
      return 2;
    }
    throw error;
  }
}

export const processIo: CommandIo = {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  isTerminal: process.stdout.isTTY === true,
  isErrorTerminal: process.stderr.isTTY === true,
};
