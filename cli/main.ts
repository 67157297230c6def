/**
 * The `eks-scan` command: dispatch, help, version, and how failures reach the user. Exit status: 0
 * when the command ran, 1 when any target could not be scanned, 2 on bad usage or bad input.
 *
 * Commands load on demand, so `--help` and `--version` answer without loading the AWS SDK.
 */
import { ParameterError, ScannerError, UsageError } from '../lib/errors.js';
import { SCANNER_VERSION } from '../lib/version.js';
import type { CommandIo } from './io.js';
import { CHECKS_USAGE, EMULATOR_USAGE, MAIN_USAGE, SCAN_USAGE } from './usage.js';

type Command = (args: readonly string[], io: CommandIo) => number | Promise<number>;

interface CommandEntry {
  readonly usage: string;
  readonly load: () => Promise<Command>;
}

const COMMANDS: Readonly<Record<string, CommandEntry>> = {
  scan: { usage: SCAN_USAGE, load: async () => (await import('./commands/scan.js')).scanCommand },
  emulator: {
    usage: EMULATOR_USAGE,
    load: async () => (await import('./commands/emulator.js')).emulatorCommand,
  },
  checks: { usage: CHECKS_USAGE, load: async () => (await import('./commands/checks.js')).checksCommand },
};

const isHelp = (arg: string | undefined) => arg === '--help' || arg === '-h';

/** `--help` or `-h` anywhere among the options (not after `--`, where arguments are literal). */
const asksForHelp = (args: readonly string[]) => {
  const end = args.indexOf('--');
  return (end === -1 ? args : args.slice(0, end)).some(isHelp);
};

export async function run(argv: readonly string[], io: CommandIo): Promise<number> {
  const [name, ...args] = argv;
  if (name === '--version') {
    io.stdout(`${SCANNER_VERSION}\n`);
    return 0;
  }
  if (isHelp(name) || name === 'help') {
    const topic = name === 'help' && args[0] !== undefined ? COMMANDS[args[0]] : undefined;
    if (name === 'help' && args[0] !== undefined && topic === undefined) return unknownCommand(args[0], io);
    io.stdout(topic?.usage ?? MAIN_USAGE);
    return 0;
  }
  if (name === undefined) return usageFailure('eks-scan', 'no command given.', io);
  const entry = COMMANDS[name];
  if (entry === undefined) return unknownCommand(name, io);
  if (asksForHelp(args)) {
    io.stdout(entry.usage);
    return 0;
  }
  try {
    return await (await entry.load())(args, io);
  } catch (error) {
    return reportFailure(error, `eks-scan ${name}`, io);
  }
}

const unknownCommand = (name: string, io: CommandIo) =>
  usageFailure(
    'eks-scan',
    `unknown command ${JSON.stringify(name)}; the commands are ${Object.keys(COMMANDS).join(', ')}.`,
    io,
  );

/** A usage error: one line saying what is wrong, one line saying where the usage is. */
function usageFailure(program: string, message: string, io: CommandIo): number {
  io.stderr(`${program}: ${message}\nRun '${program} --help' for usage.\n`);
  return 2;
}

/** parseArgs reports unknown or malformed options with a TypeError carrying an ERR_PARSE_ARGS_* code. */
const isParseArgsError = (error: unknown) =>
  (error as { code?: unknown }).code?.toString().startsWith('ERR_PARSE_ARGS') === true;

/** A Node system error (ENOENT, EACCES, EADDRINUSE, ...): about the machine or the input, never a bug. */
const isSystemError = (error: unknown): error is NodeJS.ErrnoException =>
  error instanceof Error && typeof (error as NodeJS.ErrnoException).syscall === 'string';

/**
 * Bad input gets a message and exit status 2, never a stack trace. Anything else is a bug in eks-scan
 * and is rethrown, so its stack trace reaches the report.
 */
function reportFailure(error: unknown, program: string, io: CommandIo): number {
  if (isParseArgsError(error)) {
    // "Unknown option '--x'. To specify a positional argument starting with a '-', ...": the first
    // sentence says it all.
    return usageFailure(program, (error as Error).message.replace(/\. To specify a positional.*$/s, '.'), io);
  }
  if (error instanceof UsageError || error instanceof ParameterError) {
    return usageFailure(program, error.message, io);
  }
  if (error instanceof ScannerError || isSystemError(error)) {
    io.stderr(`${program}: ${(error as Error).message}\n`);
    return 2;
  }
  throw error;
}

export const processIo: CommandIo = {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  isTerminal: process.stdout.isTTY === true,
  isErrorTerminal: process.stderr.isTTY === true,
};
