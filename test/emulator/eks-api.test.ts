/**
 * The emulator's EKS insights and add-on operations and its global IAM service, driven by the real SDK
 * clients (the scanner's own IAM client factory included) over the demo estate.
 */
import { readFileSync } from 'node:fs';
import {
  DescribeAddonCommand,
  DescribeInsightCommand,
  EKSClient,
  paginateDescribeAddonVersions,
  paginateListInsights,
  ResourceNotFoundException,
} from '@aws-sdk/client-eks';
import { ListOpenIDConnectProvidersCommand } from '@aws-sdk/client-iam';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { parseEstate } from '../../emulator/estate.js';
import { startEmulator } from '../../emulator/server.js';
import { createIamClient } from '../../lib/aws/iam.js';

type Running = Awaited<ReturnType<typeof startEmulator>>;
let paged: Running;

const demo = () =>
  parseEstate(JSON.parse(readFileSync(new URL('../../examples/demo-estate.json', import.meta.url), 'utf8')));
const eks = () =>
  new EKSClient({
    region: 'eu-west-1',
    endpoint: paged.endpoint,
    credentials: paged.credentials,
    maxAttempts: 1,
  });

beforeAll(async () => {
  paged = await startEmulator({ estate: demo(), maxPageSize: 1 });
});
afterAll(async () => {
  await paged.stop();
});

async function all<P>(pages: AsyncIterable<P>): Promise<P[]> {
  const out: P[] = [];
  for await (const page of pages) out.push(page);
  return out;
}

describe('EKS insights and add-ons', () => {
  it('lists insight summaries with ListInsights filter applied, and describes one in full', async () => {
    // Act
    const matching = await all(
      paginateListInsights(
        { client: eks() },
        { clusterName: 'ci-runners', filter: { categories: ['UPGRADE_READINESS'] } },
      ),
    );
    const none = await all(
      paginateListInsights({ client: eks() }, { clusterName: 'ci-runners', filter: { statuses: ['ERROR'] } }),
    );
    const [summary] = matching.flatMap((page) => page.insights ?? []);
    const described = await eks().send(
      new DescribeInsightCommand({ clusterName: 'ci-runners', id: summary?.id ?? '' }),
    );
    // Assess
    expect(summary).toMatchObject({
      name: 'Deprecated APIs removed in Kubernetes v1.37',
      insightStatus: { status: 'WARNING' },
    });
    expect(summary).not.toHaveProperty('categorySpecificSummary');
    expect(none.flatMap((page) => page.insights ?? [])).toEqual([]);
    expect(
      described.insight?.categorySpecificSummary?.deprecationDetails?.[0]?.clientStats?.[0]?.userAgent,
    ).toBe('actions-runner-controller/v0.9.3');
  });

  it('answers an unknown add-on with ResourceNotFoundException', async () => {
    // Act
    const failure = await eks()
      .send(new DescribeAddonCommand({ clusterName: 'platform-tools', addonName: 'vpc-cni' }))
      .catch((error: unknown) => error);
    // Assess
    expect(failure).toBeInstanceOf(ResourceNotFoundException);
  });

  it('serves DescribeAddonVersions filtered by Kubernetes version and add-on name, one add-on a page here', async () => {
    // Prepare
    const client = new EKSClient({
      region: 'eu-west-1',
      endpoint: paged.endpoint,
      credentials: paged.credentials,
      maxAttempts: 1,
    });
    // Act
    const current = await all(paginateDescribeAddonVersions({ client }, { kubernetesVersion: '1.35' }));
    const older = await all(paginateDescribeAddonVersions({ client }, { kubernetesVersion: '1.30' }));
    const named = await all(
      paginateDescribeAddonVersions({ client }, { kubernetesVersion: '1.35', addonName: 'vpc-cni' }),
    );
    // Assess
    expect(current.flatMap((page) => page.addons ?? []).map((addon) => addon.addonName)).toEqual([
      'eks-pod-identity-agent',
    ]);
    expect(older.flatMap((page) => page.addons ?? [])).toEqual([]);
    expect(named.flatMap((page) => page.addons ?? [])).toEqual([]);
  });
});

describe('IAM (global)', () => {
  it("lists the account's OIDC providers, signed for us-east-1 whatever Region the scan is in", async () => {
    // Prepare
    const iam = createIamClient({
      region: 'eu-west-1',
      endpoint: paged.endpoint,
      credentials: paged.credentials,
    });
    // Act
    const listed = await iam.send(new ListOpenIDConnectProvidersCommand({}));
    const calls = (await (await fetch(`${paged.endpoint}/_emulator/calls`)).json()) as {
      region: string;
      service: string;
    }[];
    // Assess
    expect(listed.OpenIDConnectProviderList?.map((provider) => provider.Arn)).toEqual([
      'arn:aws:iam::111111111111:oidc-provider/oidc.eks.eu-west-1.amazonaws.com/id/001B68A60667749607121FF4C605B694',
      'arn:aws:iam::111111111111:oidc-provider/oidc.eks.us-east-1.amazonaws.com/id/6CDCAF11033D29E3B4AA5F3CC7348B01',
    ]);
    expect(calls.filter((call) => call.service === 'iam').map((call) => call.region)).toEqual(['us-east-1']);
  });
});
