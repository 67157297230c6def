import { describe, expect, it } from '@jest/globals';
import { run } from '../../cli/main.js';
import { CHECKS } from '../../lib/checks/registry.js';
import { recordingIo } from '../support/io.js';

describe('eks-scan checks', () => {
  it('prints the catalogue as JSON when stdout is not a terminal', async () => {
    // Prepare
    const io = recordingIo(false);
    // Act
    const status = await run(['checks'], io);
    // Assess
    const entries = JSON.parse(io.out()) as { id: string; permissions: string[]; parameters: object }[];
    expect(status).toBe(0);
    expect(entries.map((entry) => entry.id)).toEqual(CHECKS.map((check) => check.id));
    const endpoint = entries.find((entry) => entry.id === 'eks_cluster_endpoint_not_public');
    expect(endpoint?.permissions).toEqual(['eks:DescribeCluster']);
    expect(endpoint?.parameters).toEqual({
      allowRestrictedPublicEndpoint: { default: 'false', description: expect.stringContaining('FSBP EKS.1') },
    });
  });

  it('prints a table with severities and parameter defaults on a terminal', async () => {
    // Prepare
    const io = recordingIo(true);
    // Act
    const status = await run(['checks'], io);
    // Assess
    expect(status).toBe(0);
    expect(io.out()).toMatch(/^CHECK\s+SEVERITY\s+RESOURCE\s+TITLE \(parameter defaults\)$/m);
    expect(io.out()).toMatch(
      /^eks_cluster_endpoint_not_public\s+HIGH\s+cluster\s+EKS cluster API endpoint is not open to the\n\s+whole internet\n\s+default: allowRestrictedPublicEndpoint=false$/m,
    );
    expect(io.out()).toMatch(
      /default: requiredLogTypes=api,audit,\n\s+authenticator,controllerManager,scheduler$/m,
    );
    expect(io.out()).toContain(`${CHECKS.length} checks.`);
  });

  it('fits a terminal of 120 columns', async () => {
    // Prepare
    const io = recordingIo(true);
    // Act
    await run(['checks'], io);
    // Assess
    const lines = io.out().split('\n');
    expect(lines.filter((line) => line.length > 120)).toEqual([]);
    expect(Math.max(...lines.map((line) => line.length))).toBeGreaterThan(100);
  });

  it.each([
    [['checks', '--format', 'xml'], '--format must be one of table, json; got "xml"'],
    [['checks', '--colour'], "Unknown option '--colour'"],
    [['scna'], 'unknown command "scna"; the commands are scan, emulator, checks.'],
  ])('exits 2 on bad usage %j, naming the problem', async (argv, message) => {
    // Prepare
    const io = recordingIo();
    // Act
    const status = await run(argv, io);
    // Assess
    expect(status).toBe(2);
    expect(io.err()).toContain(message);
    expect(io.out()).toBe('');
  });
});
