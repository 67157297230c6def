import { describe, expect, it } from '@jest/globals';
import { ruleRole } from '../../lib/config-rule/run.js';

const event = {
  accountId: '333333333333',
  partition: 'aws',
  executionRoleArn: 'arn:aws:iam::333333333333:role/config-role',
};

describe('ruleRole', () => {
  it('assumes nothing for a rule of the function own account', () => {
    // Act
    const role = ruleRole(
      { ...event, accountId: '111111111111' },
      { functionAccountId: '111111111111', memberRoleName: 'Scanner' },
    );
    // Assess
    expect(role).toBeUndefined();
  });

  it('assumes the configured member role in the rule account (organization mode)', () => {
    // Act
    const role = ruleRole(event, {
      functionAccountId: '111111111111',
      memberRoleName: 'EksComplianceScannerRole',
    });
    // Assess
    expect(role).toBe('arn:aws:iam::333333333333:role/EksComplianceScannerRole');
  });

  it('falls back to the execution role the event names', () => {
    // Act
    const role = ruleRole(event, { functionAccountId: '111111111111' });
    // Assess
    expect(role).toBe('arn:aws:iam::333333333333:role/config-role');
  });
});
