/**
 * Where a worker's CPU time went, from a V8 CPU profile of its measured run (`npm run bench -- --profile`
 * records one with the inspector; a `node --cpu-prof` file works too). Two views of the same samples:
 *
 * - by owner: the nearest frame of this repository up the stack decides whose work a sample is (the
 *   emulator's request handling and encoding, the scanner's collection, checks and publishing, the local
 *   Step Functions runner, ...), so SDK or zod code runs on behalf of whoever called it; samples with no
 *   repository frame on the stack are node's own (HTTP parsing, sockets, timers) or GC;
 * - by code: where the sampled function itself lives (a package, a repository folder, node internals).
 */
import { readFile } from 'node:fs/promises';
import { Session } from 'node:inspector/promises';

interface ProfileNode {
  readonly id: number;
  readonly callFrame: { readonly functionName: string; readonly url: string };
  readonly children?: readonly number[];
}

export interface CpuProfile {
  readonly nodes: readonly ProfileNode[];
  readonly samples: readonly number[];
  readonly timeDeltas: readonly number[];
}

export interface ProfileSummary {
  /** Sampled time, idle excluded. */
  readonly busyMs: number;
  readonly byOwner: readonly { readonly owner: string; readonly ms: number; readonly share: number }[];
  readonly byCode: readonly { readonly code: string; readonly ms: number; readonly share: number }[];
}

const REPO_FOLDERS: Readonly<Record<string, string>> = {
  emulator: 'emulator (serving the calls)',
  lib: 'scanner (lib: collect, checks, publish)',
  cli: 'CLI',
  functions: 'Lambda handlers (functions)',
  local: 'local Step Functions runner',
  bench: 'bench harness',
};

function repoFolder(url: string): string | undefined {
  if (url === '' || url.includes('/node_modules/') || url.startsWith('node:')) return undefined;
  const match = /\/(emulator|lib|cli|functions|local|bench)\/[^/]/.exec(url);
  return match?.[1];
}

function codeOf(frame: ProfileNode['callFrame']): string {
  const { url, functionName } = frame;
  if (url === '') return functionName.startsWith('(') ? functionName : '(native)';
  if (url.startsWith('node:')) return 'node internals';
  const modules = url.lastIndexOf('/node_modules/');
  if (modules >= 0) {
    const [scope = '', name = ''] = url.slice(modules + 14).split('/');
    if (scope === '@aws-sdk' || scope === '@smithy' || scope === '@aws-crypto')
      return 'AWS SDK (@aws-sdk, @smithy)';
    return scope.startsWith('@') ? `${scope}/${name}` : scope;
  }
  const folder = repoFolder(url);
  return folder === undefined ? 'other' : `repo ${folder}/`;
}

function shares<K extends string>(totals: Map<string, number>, busy: number, key: K) {
  return [...totals]
    .sort((a, b) => b[1] - a[1])
    .map(([name, micros]) => ({
      [key]: name,
      ms: Math.round(micros / 1000),
      share: Number((micros / Math.max(1, busy)).toFixed(3)),
    })) as unknown as ({ ms: number; share: number } & Record<K, string>)[];
}

/** Summarizes a .cpuprofile file. */
export async function summarizeProfileFile(file: string): Promise<ProfileSummary> {
  return summarizeProfile(JSON.parse(await readFile(file, 'utf8')) as CpuProfile);
}

export function summarizeProfile(profile: CpuProfile): ProfileSummary {
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const parent = new Map<number, number>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);
  const ownerCache = new Map<number, string>();
  const ownerOf = (id: number): string => {
    const cached = ownerCache.get(id);
    if (cached !== undefined) return cached;
    const node = byId.get(id);
    let owner: string;
    if (node === undefined) owner = 'other';
    else {
      const folder = repoFolder(node.callFrame.url);
      const up = parent.get(id);
      if (folder !== undefined) owner = REPO_FOLDERS[folder] ?? folder;
      else if (node.callFrame.functionName === '(garbage collector)') owner = 'garbage collection';
      else if (up === undefined)
        owner = 'callbacks with no repository frame (SDK response handling, HTTP, timers)';
      else owner = ownerOf(up);
    }
    ownerCache.set(id, owner);
    return owner;
  };
  const owners = new Map<string, number>();
  const code = new Map<string, number>();
  let busy = 0;
  profile.samples.forEach((id, index) => {
    const node = byId.get(id);
    const micros = profile.timeDeltas[index] ?? 0;
    if (node === undefined || node.callFrame.functionName === '(idle)') return;
    busy += micros;
    const owner = ownerOf(id);
    owners.set(owner, (owners.get(owner) ?? 0) + micros);
    const where = codeOf(node.callFrame);
    code.set(where, (code.get(where) ?? 0) + micros);
  });
  return {
    busyMs: Math.round(busy / 1000),
    byOwner: shares(owners, busy, 'owner'),
    byCode: shares(code, busy, 'code').slice(0, 12),
  };
}

/** Runs `run` under the V8 sampling profiler of this process; returns its value and the profile. */
export async function withCpuProfile<T>(run: () => Promise<T>): Promise<{ value: T; profile: CpuProfile }> {
  const session = new Session();
  session.connect();
  try {
    await session.post('Profiler.enable');
    await session.post('Profiler.setSamplingInterval', { interval: 500 });
    await session.post('Profiler.start');
    const value = await run();
    const { profile } = (await session.post('Profiler.stop')) as unknown as { profile: CpuProfile };
    return { value, profile };
  } finally {
    session.disconnect();
  }
}
