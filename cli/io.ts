/** What a command writes to, so commands are testable without a process. */
import { access, constants, stat } from 'node:fs/promises';
import { dirname, extname, resolve } from 'node:path';
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

/** The formats an output file's extension names; `.json` holds either JSON format. */
const FORMATS_BY_EXTENSION: Readonly<Record<string, readonly string[]>> = {
  '.json': ['json', 'asff'],
  '.html': ['html'],
  '.htm': ['html'],
  '.sarif': ['sarif'],
  '.txt': ['table'],
};

/**
 * The output format: `--format`, else the one the `--output` file's extension names, else the
 * default of chooseFormat. A format the extension contradicts (`--format html --output x.json`) is a
 * usage error; an extension not listed here names no format.
 */
export function chooseOutputFormat<F extends string>(
  requested: string | undefined,
  output: string | undefined,
  allowed: readonly F[],
  io: CommandIo,
): F {
  const extension = output === undefined ? '' : extname(output).toLowerCase();
  const named = FORMATS_BY_EXTENSION[extension]?.filter((format): format is F =>
    allowed.includes(format as F),
  );
  if (named === undefined || named.length === 0) return chooseFormat(requested, allowed, io);
  if (requested === undefined) return named[0] as F;
  const format = chooseFormat(requested, allowed, io);
  if (!named.includes(format)) {
    throw new UsageError(
      `--format ${format} contradicts --output ${output}: a ${extension} file holds ${named.join(' or ')}.`,
    );
  }
  return format;
}

/**
 * Refuses an output file that cannot be written before anything runs, so a scan's results are never
 * lost to a typo in the path. Nothing is created here.
 */
export async function assertWritableOutput(path: string | undefined): Promise<void> {
  if (path === undefined) return;
  const folder = dirname(resolve(path));
  const folderStat = await stat(folder).catch(() => undefined);
  if (folderStat === undefined || !folderStat.isDirectory()) {
    throw new UsageError(`--output ${path}: the folder ${folder} does not exist.`);
  }
  const fileStat = await stat(path).catch(() => undefined);
  if (fileStat?.isDirectory() === true) throw new UsageError(`--output ${path} is a folder; name a file.`);
  try {
    await access(fileStat === undefined ? folder : path, constants.W_OK);
  } catch {
    throw new UsageError(
      `--output ${path}: no permission to write ${fileStat === undefined ? folder : path}.`,
    );
  }
}
