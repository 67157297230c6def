import { run } from '../../cli/main.js';
import type { PublishOutcome } from '../../lib/publish/security-hub.js';
import type { ScanReport } from '../../lib/scan.js';
import { recordingIo } from './io.js';

/** What `eks-scan scan --format json` printed, with what `--publish` adds. */
export type JsonReport = ScanReport & { published: PublishOutcome[] };

/** `eks-scan scan --endpoint <endpoint> --now <now> --format json [extra...]`, as a test runs it. */
export async function scanEndpoint(endpoint: string, now: string, ...extra: string[]) {
  const io = recordingIo(false);
  const status = await run(['scan', '--endpoint', endpoint, '--now', now, '--format', 'json', ...extra], io);
  return { status, report: JSON.parse(io.out() || '{}') as JsonReport, io };
}
