/** The wire codecs, exercised by the real SDK clients through a bare HTTP server. */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { AutoScalingClient, DescribeAutoScalingGroupsCommand } from '@aws-sdk/client-auto-scaling';
import { DescribeSubnetsCommand, EC2Client } from '@aws-sdk/client-ec2';
import { DescribeClusterCommand, EKSClient, ResourceNotFoundException } from '@aws-sdk/client-eks';
import { GetParametersCommand, SSMClient } from '@aws-sdk/client-ssm';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { AwsError, decodeRequest, encodeError, encodeResponse } from '../../emulator/protocols.js';

const received: { service: string; operation: string; input: Record<string, unknown> }[] = [];

const OUTPUTS: Record<string, unknown> = {
  DescribeSubnets: {
    Subnets: [{ SubnetId: 'subnet-1', MapPublicIpOnLaunch: true, Tags: [{ Key: 'a', Value: 'b' }] }],
  },
  DescribeCluster: {
    cluster: {
      name: 'payments',
      createdAt: '2026-01-02T03:04:05Z',
      resourcesVpcConfig: { endpointPublicAccess: false },
    },
  },
  GetParameters: {
    Parameters: [{ Name: '/p', Value: 'v', Type: 'String' }],
    InvalidParameters: ['/missing'],
  },
  DescribeAutoScalingGroups: {
    AutoScalingGroups: [
      {
        AutoScalingGroupName: 'asg',
        AutoScalingGroupARN: 'arn:asg',
        MinSize: 0,
        MaxSize: 1,
        DesiredCapacity: 0,
        DefaultCooldown: 300,
        AvailabilityZones: ['eu-west-1a'],
        HealthCheckType: 'EC2',
        CreatedTime: '2026-01-01T00:00:00Z',
      },
    ],
  },
};

let server: Server;
let endpoint: string;
const credentials = { accessKeyId: 'AKIDTEST', secretAccessKey: 'secret' };

beforeAll(async () => {
  server = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk) => {
      body += chunk;
    });
    request.on('end', async () => {
      const service =
        /Credential=[^/]+\/\d{8}\/[^/]+\/([^/]+)\//.exec(String(request.headers.authorization))?.[1] ?? '';
      const url = new URL(request.url ?? '/', 'http://local');
      let encoded: ReturnType<typeof encodeResponse>;
      try {
        const decoded = await decodeRequest(service, {
          method: request.method ?? 'GET',
          path: url.pathname,
          query: url.searchParams,
          headers: request.headers,
          body,
        });
        received.push({ service, ...decoded });
        if (decoded.operation === 'DescribeCluster' && decoded.input.name === 'gone') {
          throw new AwsError('ResourceNotFoundException', 'No cluster found for name: gone.', 404);
        }
        encoded = encodeResponse(service, decoded.operation, OUTPUTS[decoded.operation]);
      } catch (error) {
        encoded = encodeError(service, error as AwsError);
      }
      response.writeHead(encoded.status, encoded.headers);
      response.end(encoded.body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

const clientOptions = () => ({ region: 'eu-west-1', endpoint, credentials, maxAttempts: 1 });

describe('the emulator wire protocols', () => {
  it('decodes an EC2 query request and encodes its XML response', async () => {
    // Act
    const output = await new EC2Client(clientOptions()).send(
      new DescribeSubnetsCommand({
        Filters: [{ Name: 'vpc-id', Values: ['vpc-1', 'vpc-2'] }],
        SubnetIds: ['subnet-1'],
      }),
    );
    // Assess
    expect(received.at(-1)).toEqual({
      service: 'ec2',
      operation: 'DescribeSubnets',
      input: { Filters: [{ Name: 'vpc-id', Values: ['vpc-1', 'vpc-2'] }], SubnetIds: ['subnet-1'] },
    });
    expect(output.Subnets).toEqual([
      { SubnetId: 'subnet-1', MapPublicIpOnLaunch: true, Tags: [{ Key: 'a', Value: 'b' }] },
    ]);
  });

  it('routes a REST-JSON request by its path and turns ISO dates into timestamps', async () => {
    // Act
    const output = await new EKSClient(clientOptions()).send(
      new DescribeClusterCommand({ name: 'payments' }),
    );
    // Assess
    expect(received.at(-1)).toEqual({
      service: 'eks',
      operation: 'DescribeCluster',
      input: { name: 'payments' },
    });
    expect(output.cluster?.createdAt).toEqual(new Date('2026-01-02T03:04:05Z'));
    expect(output.cluster?.resourcesVpcConfig?.endpointPublicAccess).toBe(false);
  });

  it('encodes errors so the SDK raises the modelled exception class', async () => {
    // Act
    const act = new EKSClient(clientOptions()).send(new DescribeClusterCommand({ name: 'gone' }));
    // Assess
    await expect(act).rejects.toBeInstanceOf(ResourceNotFoundException);
    await expect(act).rejects.toThrow('No cluster found for name: gone.');
  });

  it('speaks JSON 1.1 with X-Amz-Target', async () => {
    // Act
    const output = await new SSMClient(clientOptions()).send(
      new GetParametersCommand({ Names: ['/p', '/missing'] }),
    );
    // Assess
    expect(received.at(-1)).toEqual({
      service: 'ssm',
      operation: 'GetParameters',
      input: { Names: ['/p', '/missing'] },
    });
    expect(output.Parameters?.map((parameter) => parameter.Value)).toEqual(['v']);
    expect(output.InvalidParameters).toEqual(['/missing']);
  });

  it('speaks the query protocol with member lists', async () => {
    // Act
    const output = await new AutoScalingClient(clientOptions()).send(
      new DescribeAutoScalingGroupsCommand({ AutoScalingGroupNames: ['asg', 'other'], MaxRecords: 50 }),
    );
    // Assess
    expect(received.at(-1)).toEqual({
      service: 'autoscaling',
      operation: 'DescribeAutoScalingGroups',
      input: { AutoScalingGroupNames: ['asg', 'other'], MaxRecords: 50 },
    });
    expect(output.AutoScalingGroups?.[0]?.CreatedTime).toEqual(new Date('2026-01-01T00:00:00Z'));
  });

  it('serves an estate timestamp without a zone as UTC, whatever the machine time zone', () => {
    // Act
    const encoded = encodeResponse('eks', 'DescribeCluster', {
      cluster: { name: 'payments', createdAt: '2026-01-02T03:04:05' },
    });
    // Assess
    expect(JSON.parse(encoded.body).cluster.createdAt).toBe(Date.UTC(2026, 0, 2, 3, 4, 5) / 1000);
  });
});
