/** `eks-scan emulator`: serve an estate file on loopback until stopped; and the embedded emulator of `scan --estate`. */
import { parseArgs } from 'node:util';
import { EstateError, homeRegion, loadEstateFile } from '../../emulator/estate.js';
import { type RunningEmulator, startEmulator } from '../../emulator/server.js';
import { UsageError } from '../../lib/errors.js';
import type { CommandIo } from '../io.js';

/** Runs `work` against an emulator serving the estate file, and always stops it. */
export async function withEstateEmulator<T>(
  path: string,
  work: (emulator: RunningEmulator & { homeRegion: string }) => Promise<T>,
): Promise<T> {
  const estate = await loadEstateOrExplain(path);
  const running = await startEmulator({ estate });
  try {
    return await work({ ...running, homeRegion: homeRegion(estate) });
  } finally {
    await running.stop();
  }
}

async function loadEstateOrExplain(path: string) {
  try {
    return await loadEstateFile(path);
  } catch (error) {
    if (error instanceof EstateError) throw error;
    throw new UsageError(`Cannot read the estate file ${path}: ${(error as Error).message}`);
  }
}

export async function emulatorCommand(args: readonly string[], io: CommandIo): Promise<number> {
  const { values } = parseArgs({
    args: [...args],
    options: { estate: { type: 'string' }, port: { type: 'string' } },
    strict: true,
  });
  if (values.estate === undefined) throw new UsageError('eks-scan emulator needs --estate FILE.');
  const port = values.port === undefined ? 0 : Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new UsageError(`--port must be a port number; got ${JSON.stringify(values.port)}.`);
  }
  const estate = await loadEstateOrExplain(values.estate);
  const running = await startEmulator({ estate, port }).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'EADDRINUSE' || error.code === 'EACCES') {
      throw new UsageError(
        `--port ${port}: ${error.code === 'EADDRINUSE' ? 'already in use' : 'not allowed'} on 127.0.0.1; ` +
          'choose another port, or leave --port out for any free one.',
      );
    }
    throw error;
  });
  io.stdout(
    `${running.endpoint}\n` +
      `# export AWS_ENDPOINT_URL=${running.endpoint} AWS_ACCESS_KEY_ID=${running.credentials.accessKeyId} ` +
      `AWS_SECRET_ACCESS_KEY=${running.credentials.secretAccessKey} AWS_REGION=${homeRegion(estate)}\n`,
  );
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  await running.stop();
  return 0;
}
