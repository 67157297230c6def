import { afterAll, beforeAll, beforeEach } from '@jest/globals';
import { type EmulatorOptions, startEmulator } from '../../emulator/server.js';

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
