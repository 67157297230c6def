/** What a command writes to, so commands are testable without a process. */
import { UsageError } from '../lib/errors.js';

export interface CommandIo {
  stdout(text: string): void;
  stderr(text: string): void;
  /** Whether stdout is a terminal: the default format is a table there and JSON otherwise. */
  readonly isTerminal: boolean;
  /** Whether stderr is a terminal: progress is shown only there. */
  readonly isErrorTerminal: boolean;
}

/** The requested output format, validated; table on a terminal and JSON otherwise when none is given. */
export function chooseFormat<F extends string>(
  requested: string | undefined,
  allowed: readonly F[],
  io: CommandIo,
): F {
  if (requested === undefined) {
    const fallback = (io.isTerminal ? 'table' : 'json') as F;
    if (allowed.includes(fallback)) return fallback;
    return allowed[0] as F;
  }
  if (!allowed.includes(requested as F)) {
    throw new UsageError(`--format must be one of ${allowed.join(', ')}; got ${JSON.stringify(requested)}`);
  }
  return requested as F;
}
