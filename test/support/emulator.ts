import { afterAll, beforeAll, beforeEach } from '@jest/globals';
import { type EmulatorOptions, HOME_CREDENTIALS, startEmulator } from '../../emulator/server.js';

export type RunningTestEmulator = Awaited<ReturnType<typeof startEmulator>>;

/**
 * An emulator for the enclosing describe block: started once, stopped after, and its written state
 * (Security Hub, Config) cleared before each test so tests stay independent.
 */
export function useEmulator(options: () => EmulatorOptions): () => RunningTestEmulator {
  let running: RunningTestEmulator | undefined;
  beforeAll(async () => {
    running = await startEmulator(options());
  });
  afterAll(async () => {
    await running?.stop();
  });
  beforeEach(() => {
    running?.emulator.reset();
  });
  return () => {
    if (running === undefined) throw new Error('useEmulator: the emulator is used outside a test');
    return running;
  };
}

/**
 * The environment a scan through `--endpoint` (or a Lambda handler) reads its credentials and Region
 * from, set for the enclosing describe block (or file) and restored after it; `extra` adds or
 * overrides variables, and a function value is read when the block starts (e.g. the endpoint).
 */
export function useEmulatorEnvironment(extra: Readonly<Record<string, string | (() => string)>> = {}) {
  const saved = { ...process.env };
  beforeAll(() => {
    Object.assign(process.env, {
      AWS_ACCESS_KEY_ID: HOME_CREDENTIALS.accessKeyId,
      AWS_SECRET_ACCESS_KEY: HOME_CREDENTIALS.secretAccessKey,
      AWS_REGION: 'eu-west-1',
      ...Object.fromEntries(
        Object.entries(extra).map(([name, value]) => [name, typeof value === 'function' ? value() : value]),
      ),
    });
  });
  afterAll(() => {
    process.env = saved;
  });
}
