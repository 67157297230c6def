import { createServer, type Server } from 'node:http';
import { PutEvaluationsCommand } from '@aws-sdk/client-config-service';
import { DescribeRegionsCommand } from '@aws-sdk/client-ec2';
import { EKSServiceException, ListClustersCommand } from '@aws-sdk/client-eks';
import { GetFindingsCommand } from '@aws-sdk/client-securityhub';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createConfigServiceClient } from '../../lib/aws/config-service.js';
import { createEc2Client } from '../../lib/aws/ec2.js';
import { createEksClient } from '../../lib/aws/eks.js';
import { toCollectionFailure } from '../../lib/aws/errors.js';
import { createSecurityHubClient } from '../../lib/aws/securityhub.js';

describe('toCollectionFailure', () => {
  it('takes the code of an SDK service exception from its name', () => {
    // Prepare
    const error = new EKSServiceException({
      name: 'AccessDeniedException',
      $fault: 'client',
      $metadata: { httpStatusCode: 403 },
      message: 'User is not authorized to perform: eks:DescribeCluster',
    });
    // Act
    const failure = toCollectionFailure('eks:DescribeCluster', error);
    // Assess
    expect(failure).toEqual({
      operation: 'eks:DescribeCluster',
      code: 'AccessDeniedException',
      message: 'User is not authorized to perform: eks:DescribeCluster',
    });
  });

  it('takes the code from `Code` when the name is the generic Error', () => {
    // Prepare
    const error = Object.assign(new Error('You are not authorized to perform this operation.'), {
      Code: 'UnauthorizedOperation',
    });
    // Act
    const failure = toCollectionFailure('ec2:DescribeImages', error);
    // Assess
    expect(failure.code).toBe('UnauthorizedOperation');
  });

  it('takes the code of a network error from its `code`', () => {
    // Prepare
    const error = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:4566'), { code: 'ECONNREFUSED' });
    // Act
    const failure = toCollectionFailure('ec2:DescribeInstances', error);
    // Assess
    expect(failure).toEqual({
      operation: 'ec2:DescribeInstances',
      code: 'ECONNREFUSED',
      message: 'connect ECONNREFUSED 127.0.0.1:4566',
    });
  });

  it('keeps the code Error for a plain error and describes a thrown non-error', () => {
    // Act
    const plain = toCollectionFailure('ssm:GetParameters', new Error('boom'));
    const thrownString = toCollectionFailure('ssm:GetParameters', 'boom');
    // Assess
    expect(plain).toEqual({ operation: 'ssm:GetParameters', code: 'Error', message: 'boom' });
    expect(thrownString).toEqual({ operation: 'ssm:GetParameters', code: 'UnknownError', message: 'boom' });
  });
});

describe('an error response that is not an AWS error', () => {
  // A proxy or load balancer in front of the endpoint answering with its own HTML page.
  const PAGE = `<html>\n<head><title>502 Bad Gateway</title></head>\n<body><h1>502 Bad Gateway</h1></body>\n</html>`;
  let server: Server;
  let endpoint: string;
  beforeAll(async () => {
    server = createServer((request, response) => {
      request.resume();
      request.on('end', () => {
        response.writeHead(502, { 'content-type': 'text/html' });
        response.end(PAGE);
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    endpoint = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  });
  afterAll(() => {
    server.close();
  });

  const options = () => ({
    region: 'eu-west-1',
    endpoint,
    credentials: { accessKeyId: 'AKID', secretAccessKey: 'secret' },
    maxAttempts: 1,
  });
  const EXPECTED_MESSAGE =
    'HTTP 502 with a body that is not an AWS error response: <html> <head><title>502 Bad Gateway</title></head> <body><h1>502 Bad Gateway</h1></body> </html>';

  it.each([
    ['eks:ListClusters (REST JSON)', () => createEksClient(options()), new ListClustersCommand({})],
    [
      'securityhub:GetFindings (REST JSON)',
      () => createSecurityHubClient(options()),
      new GetFindingsCommand({}),
    ],
    [
      'config:PutEvaluations (JSON 1.1)',
      () => createConfigServiceClient(options()),
      new PutEvaluationsCommand({ ResultToken: 'token' }),
    ],
    ['ec2:DescribeRegions (EC2 query)', () => createEc2Client(options()), new DescribeRegionsCommand({})],
  ])('%s keeps the HTTP status and the start of the body', async (operation, client, command) => {
    // Prepare
    const sdk = client();
    // Act
    const error = await (sdk.send as (command: unknown) => Promise<unknown>)(command).catch(
      (thrown: unknown) => thrown,
    );
    sdk.destroy();
    const failure = toCollectionFailure(operation, error);
    // Assess
    expect(failure).toEqual({ operation, code: 'HTTP502', message: EXPECTED_MESSAGE });
  });

  it('cuts a long body to an excerpt', () => {
    // Prepare
    const error = Object.assign(new SyntaxError('Unexpected token'), {
      $metadata: { httpStatusCode: 503 },
      $response: { body: new TextEncoder().encode(`<html>${'x'.repeat(500)}</html>`) },
    });
    // Act
    const failure = toCollectionFailure('sts:AssumeRole', error);
    // Assess
    expect(failure.code).toBe('HTTP503');
    expect(failure.message).toBe(
      `HTTP 503 with a body that is not an AWS error response: <html>${'x'.repeat(194)}...`,
    );
  });

  it('says so when the body is empty', () => {
    // Prepare
    const error = Object.assign(new Error('Unknown'), {
      name: 'Unknown',
      $metadata: { httpStatusCode: 504 },
    });
    // Act
    const failure = toCollectionFailure('ec2:DescribeImages', error);
    // Assess
    expect(failure).toEqual({
      operation: 'ec2:DescribeImages',
      code: 'HTTP504',
      message: 'HTTP 504 with a body that is not an AWS error response.',
    });
  });
});
