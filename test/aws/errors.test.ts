import { EKSServiceException } from '@aws-sdk/client-eks';
import { describe, expect, it } from '@jest/globals';
import { toCollectionFailure } from '../../lib/aws/errors.js';

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
