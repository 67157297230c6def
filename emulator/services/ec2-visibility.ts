/**
 * EC2 managed-resource visibility, per account and Region (estate `ec2.managedResourceVisibility`).
 *
 * In an account whose visibility is `hidden`, Describe calls leave out the resources an AWS service
 * manages for the customer (`Operator.Managed` true: EKS Auto Mode nodes, their volumes, ENIs and
 * launch templates) unless the request sets `IncludeManagedResources` (EC2 API reference,
 * ManagedResourceVisibilitySettings: "hidden indicates that managed resources are not included in
 * Describe operation responses by default"). Every EC2 listing handler filters through `listedWith`,
 * so a scanner listing that forgets the flag loses those resources here exactly as it would in AWS.
 *
 * Not confirmed: whether a hidden resource named by id (InstanceIds, LaunchTemplateId) is NotFound or
 * returned. The emulator treats it as absent; the scanner always sends the flag, so either way costs
 * nothing.
 */
import type { OperatorResponse } from '@aws-sdk/client-ec2';
import type { EmulatorContext } from './context.js';
import { regionOf } from './context.js';

/** The member of every EC2 listing request that asks for managed resources too. */
export interface ManagedResourcesRequest {
  readonly IncludeManagedResources?: boolean;
}

/** What visibility reads of a resource: its Operator (EC2 output shape). */
interface Operated {
  readonly Operator?: Pick<OperatorResponse, 'Managed' | 'Principal'>;
}

/** The Region's setting: `visible` unless the estate says `hidden`. */
export const managedResourceVisibility = (context: EmulatorContext): 'visible' | 'hidden' =>
  regionOf(context)?.ec2.managedResourceVisibility ?? 'visible';

/**
 * Whether the request lists a resource: always, unless the caller's account and Region hide managed
 * resources, the resource is managed (`Operator.Managed` true) and the request did not set
 * `IncludeManagedResources`.
 */
export function listedWith(
  request: ManagedResourcesRequest,
  context: EmulatorContext,
): (resource: Operated) => boolean {
  if (request.IncludeManagedResources === true || managedResourceVisibility(context) === 'visible') {
    return () => true;
  }
  return (resource) => resource.Operator?.Managed !== true;
}

/**
 * The EC2 filters on a resource's operator (DescribeInstances, DescribeVolumes,
 * DescribeNetworkInterfaces list them): spread into a type's `named` filters.
 */
export const OPERATOR_FILTERS = {
  'operator.managed': (resource: Operated) => resource.Operator?.Managed ?? false,
  'operator.principal': (resource: Operated) => resource.Operator?.Principal,
} as const;
