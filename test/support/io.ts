import type { CommandIo } from '../../cli/io.js';

/** A CommandIo that records what a command writes. */
export function recordingIo(
  isTerminal = false,
  isErrorTerminal = false,
): CommandIo & { out: () => string; err: () => string } {
  const out: string[] = [];
  const err: string[] = [];
  return {
    isTerminal,
    isErrorTerminal,
    stdout: (text) => {
      out.push(text);
    },
    stderr: (text) => {
      err.push(text);
    },
    out: () => out.join(''),
    err: () => err.join(''),
  };
}
