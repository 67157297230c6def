/**
 * No input makes the emulator fail internally: arbitrary request bodies and query strings to every
 * operation it serves, and arbitrary estates through PUT /_emulator/estate, are answered with AWS's
 * own error shapes (or served), never with a 500 InternalFailure.
 */
import { readFile } from 'node:fs/promises';
import { AutoScalingClient, DescribeAutoScalingGroupsCommand } from '@aws-sdk/client-auto-scaling';
import {
  DescribeImagesCommand,
  DescribeInstancesCommand,
  DescribeLaunchTemplateVersionsCommand,
  DescribeRegionsCommand,
  DescribeRouteTablesCommand,
  DescribeSecurityGroupsCommand,
  DescribeSubnetsCommand,
  DescribeVpcsCommand,
  EC2Client,
} from '@aws-sdk/client-ec2';
import {
  DescribeClusterCommand,
  DescribeClusterVersionsCommand,
  DescribeFargateProfileCommand,
  DescribeNodegroupCommand,
  EKSClient,
  ListClustersCommand,
  ListFargateProfilesCommand,
  ListInsightsCommand,
  ListNodegroupsCommand,
} from '@aws-sdk/client-eks';
import {
  BatchGetAccountStatusCommand,
  Inspector2Client,
  ListCoverageCommand,
} from '@aws-sdk/client-inspector2';
import { ListAccountsCommand, OrganizationsClient } from '@aws-sdk/client-organizations';
import { GetParametersCommand, SSMClient } from '@aws-sdk/client-ssm';
import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { loadEstateFile, parseEstate } from '../../emulator/estate.js';
import { SERVICES } from '../../emulator/protocols.js';
import { HOME_CREDENTIALS } from '../../emulator/server.js';
import { SERVICE_HANDLERS } from '../../emulator/services/index.js';
import { useEmulator } from '../support/emulator.js';

const DEMO_ESTATE = new URL('../../examples/demo-estate.json', import.meta.url);
const demoEstate = await loadEstateFile(DEMO_ESTATE.pathname);
const demoJson: unknown = JSON.parse(await readFile(DEMO_ESTATE, 'utf8'));

const emulator = useEmulator(() => ({ estate: demoEstate, maxPageSize: 2 }));

const REGION = 'eu-west-1';
const authorization = (service: string) =>
  `AWS4-HMAC-SHA256 Credential=${HOME_CREDENTIALS.accessKeyId}/20261204/${REGION}/${service}/aws4_request, SignedHeaders=host, Signature=0`;

interface Answer {
  readonly status: number;
  readonly body: string;
}

interface RawRequest {
  readonly method: string;
  readonly path: string;
  readonly headers?: Readonly<Record<string, string>>;
  readonly body?: string;
}

async function call(service: string, request: RawRequest): Promise<Answer> {
  const response = await fetch(`${emulator().endpoint}${request.path}`, {
    method: request.method,
    headers: { authorization: authorization(service), ...request.headers },
    ...(request.method === 'GET' || request.method === 'HEAD' ? {} : { body: request.body ?? '' }),
  });
  return { status: response.status, body: await response.text() };
}

/** Every operation the emulator serves, with its HTTP binding (REST) from the SDK's operation schema. */
const SERVED = Object.entries(SERVICE_HANDLERS).flatMap(([service, handlers]) =>
  Object.keys(handlers).map((operation) => {
    const schema = SERVICES[service]?.client?.[`${operation}$`] as [
      number,
      string,
      string,
      { http?: [string, string, number] },
    ];
    return { service, operation, http: schema[3].http };
  }),
);

const text = fc.oneof(
  fc.string(),
  fc.constantFrom('', '0', '-1', '1e400', 'true', 'null', '%', '%zz', '../', 'eu-west-1', 'alpha', 'i-0'),
);
const jsonBody = fc.oneof(
  fc.json(),
  fc.string(),
  fc
    .dictionary(
      fc.constantFrom('maxResults', 'nextToken', 'MaxResults', 'NextToken', 'Filters', 'Names', 'name'),
      fc.jsonValue(),
    )
    .map((value) => JSON.stringify(value)),
);
const formPairs = fc.array(
  fc.tuple(
    fc.oneof(
      fc.constantFrom('MaxResults', 'NextToken', 'Filter.1.Name', 'Filter.1.Value.1', 'InstanceId.1'),
      fc.constantFrom(
        'RoleArn',
        'RoleSessionName',
        'AutoScalingGroupNames.member.1',
        'MaxRecords',
        'AllRegions',
      ),
      fc.string(),
    ),
    text,
  ),
  { maxLength: 6 },
);

/** The request to an operation, with arbitrary labels, query, body or form fields. */
const requestTo = (served: (typeof SERVED)[number]): fc.Arbitrary<RawRequest> =>
  fc
    .record({
      labels: fc.array(text, { minLength: 3, maxLength: 3 }),
      query: formPairs,
      body: jsonBody,
      form: formPairs,
    })
    .map(({ labels, query, body, form }): RawRequest => {
      const { protocol, target } = SERVICES[served.service] ?? {};
      if (protocol === 'restJson1' && served.http) {
        const [method, template] = served.http;
        let index = 0;
        const path = (template.split('?')[0] ?? '').replace(/\{\w+\+?\}/g, () =>
          encodeURIComponent(labels[index++ % labels.length] || 'x'),
        );
        const search = new URLSearchParams(query).toString();
        return { method, path: `${path}${search === '' ? '' : `?${search}`}`, body };
      }
      if (protocol === 'awsJson1_1') {
        return {
          method: 'POST',
          path: '/',
          headers: {
            'x-amz-target': `${target}.${served.operation}`,
            'content-type': 'application/x-amz-json-1.1',
          },
          body,
        };
      }
      const fields = new URLSearchParams([['Action', served.operation], ...form]);
      return {
        method: 'POST',
        path: '/',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: fields.toString(),
      };
    });

const isInternalFailure = (answer: Answer) => answer.status >= 500 || answer.body.includes('InternalFailure');

describe('the emulator under arbitrary requests', () => {
  it.each(SERVED.map((served) => [`${served.service}:${served.operation}`, served] as const))(
    'never fails internally on %s',
    async (_name, served) => {
      // Act / Assess
      await fc.assert(
        fc.asyncProperty(requestTo(served), async (request) => {
          const answer = await call(served.service, request);
          expect({ request, answer: isInternalFailure(answer) ? answer : 'ok' }).toEqual({
            request,
            answer: 'ok',
          });
        }),
        { numRuns: 12, seed: 13 },
      );
    },
  );

  it('answers a body of the wrong type with the protocol validation error naming the member', async () => {
    // Act
    const json = await call('ssm', {
      method: 'POST',
      path: '/',
      headers: { 'x-amz-target': 'AmazonSSM.GetParameters' },
      body: JSON.stringify({ Names: 'not-a-list' }),
    });
    const rest = await call('eks', { method: 'GET', path: '/clusters?maxResults=ten', body: '' });
    const query = await call('ec2', {
      method: 'POST',
      path: '/',
      body: new URLSearchParams({ Action: 'DescribeRegions', AllRegions: 'yes' }).toString(),
    });
    // Assess
    expect(json.status).toBe(400);
    expect(JSON.parse(json.body)).toEqual({
      __type: 'SerializationException',
      message: '1 validation error detected: Names: expected a list, got "not-a-list"',
    });
    expect(rest.status).toBe(400);
    expect(rest.body).toContain('maxResults: expected a number, got \\"ten\\"');
    expect(query.status).toBe(400);
    expect(query.body).toContain('<Code>InvalidParameterValue</Code>');
    expect(query.body).toContain('AllRegions: expected true or false, got &quot;yes&quot;');
  });
});

/**
 * The demo estate with one member of the home account's eu-west-1 data (or of the cluster versions)
 * replaced by arbitrary JSON: the part the reads below serve.
 */
const mutatedEstate = fc
  .record({
    pick: fc.nat(),
    json: fc.jsonValue({ maxDepth: 2 }),
    text: fc.oneof(
      fc.string(),
      fc.constantFrom('', 'ENABLED', '2026-01-01T00:00:00Z', 'ami-0', 'x'.repeat(300)),
    ),
    number: fc.oneof(fc.integer(), fc.double({ noNaN: true, noDefaultInfinity: true })),
    flag: fc.boolean(),
    sameType: fc.boolean(),
  })
  .map(({ pick, json, text, number, flag, sameType }) => {
    // biome-ignore lint/suspicious/noExplicitAny: the test reaches into the JSON freely to break it.
    const estate = structuredClone(demoJson) as any;
    const slots: [Record<string | number, unknown>, string | number][] = [];
    const collect = (node: unknown) => {
      if (node === null || typeof node !== 'object') return;
      for (const [key, child] of Object.entries(node)) {
        slots.push([node as Record<string, unknown>, Array.isArray(node) ? Number(key) : key]);
        collect(child);
      }
    };
    collect(estate.accounts[0].regions[REGION]);
    collect(estate.clusterVersions);
    const [parent, key] = slots[pick % slots.length] as [Record<string | number, unknown>, string | number];
    // Half the time a value of the type already there (mostly valid, often odd), else any JSON.
    const kept = parent[key];
    parent[key] = !sameType
      ? json
      : typeof kept === 'string'
        ? text
        : typeof kept === 'number'
          ? number
          : typeof kept === 'boolean'
            ? flag
            : Array.isArray(kept)
              ? []
              : json;
    return estate as unknown;
  });

/** The reads of the scanner over the home account's eu-west-1, through the real SDK clients. */
function readEverything(endpoint: string) {
  const config = { region: REGION, endpoint, credentials: HOME_CREDENTIALS, maxAttempts: 1 };
  const eksClient = new EKSClient(config);
  const ec2Client = new EC2Client(config);
  return [
    eksClient.send(new ListClustersCommand({})),
    eksClient.send(new DescribeClusterCommand({ name: 'platform-tools' })),
    eksClient.send(new DescribeClusterCommand({ name: 'ci-runners' })),
    eksClient.send(new ListNodegroupsCommand({ clusterName: 'platform-tools' })),
    eksClient.send(new DescribeNodegroupCommand({ clusterName: 'platform-tools', nodegroupName: 'system' })),
    eksClient.send(new ListFargateProfilesCommand({ clusterName: 'platform-tools' })),
    eksClient.send(
      new DescribeFargateProfileCommand({ clusterName: 'platform-tools', fargateProfileName: 'karpenter' }),
    ),
    eksClient.send(new ListInsightsCommand({ clusterName: 'platform-tools' })),
    eksClient.send(new DescribeClusterVersionsCommand({})),
    ec2Client.send(new DescribeRegionsCommand({ AllRegions: true })),
    ec2Client.send(new DescribeVpcsCommand({})),
    ec2Client.send(new DescribeSubnetsCommand({})),
    ec2Client.send(new DescribeRouteTablesCommand({})),
    ec2Client.send(new DescribeSecurityGroupsCommand({})),
    ec2Client.send(new DescribeInstancesCommand({})),
    ec2Client.send(new DescribeImagesCommand({ ImageIds: ['ami-0d740e80df271f52a'] })),
    ec2Client.send(new DescribeLaunchTemplateVersionsCommand({ Versions: ['$Latest', '$Default'] })),
    new AutoScalingClient(config).send(new DescribeAutoScalingGroupsCommand({})),
    new Inspector2Client(config).send(new BatchGetAccountStatusCommand({})),
    new Inspector2Client(config).send(new ListCoverageCommand({})),
    new SSMClient(config).send(new GetParametersCommand({ Names: ['/a', '/b'] })),
    new OrganizationsClient(config).send(new ListAccountsCommand({})),
  ];
}

/** What a read must end in: an answer the SDK parses, or an AWS error the service models (4xx). */
async function outcome(read: Promise<unknown>): Promise<string> {
  try {
    await read;
    return 'served';
  } catch (error) {
    const status = (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
    return status !== undefined && status >= 400 && status < 500
      ? 'AWS error'
      : `${(error as Error).name}: ${(error as Error).message} (HTTP ${status})`;
  }
}

describe('the emulator under arbitrary estates', () => {
  it('rejects an estate that does not validate with 400 and serves every one that does', async () => {
    let served = 0;
    // Act / Assess
    await fc.assert(
      fc.asyncProperty(fc.oneof(mutatedEstate, fc.jsonValue({ maxDepth: 3 })), async (estate) => {
        const put = await fetch(`${emulator().endpoint}/_emulator/estate`, {
          method: 'PUT',
          body: JSON.stringify(estate),
        });
        let valid = true;
        try {
          parseEstate(estate);
        } catch {
          valid = false;
        }
        expect(put.status).toBe(valid ? 200 : 400);
        if (!valid) return;
        served += 1;
        const outcomes = await Promise.all(readEverything(emulator().endpoint).map(outcome));
        expect(outcomes.filter((result) => result !== 'served' && result !== 'AWS error')).toEqual([]);
      }),
      { numRuns: 80, seed: 7 },
    );
    // Some mutations keep the estate valid (and are served), or the property proves little.
    expect(served).toBeGreaterThan(5);
    // Leave the demo estate for the other tests.
    emulator().emulator.replaceEstate(demoEstate);
  }, 120_000);
});
