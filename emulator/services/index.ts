/** Every operation the emulator serves, by SigV4 service name and operation name. */
import { autoScalingHandlers } from './autoscaling.js';
import { configHandlers } from './config.js';
import type { Handler } from './context.js';
import { ec2Handlers } from './ec2.js';
import { ecrHandlers } from './ecr.js';
import { eksHandlers } from './eks.js';
import { guardDutyHandlers } from './guardduty.js';
import { iamHandlers } from './iam.js';
import { inspector2Handlers } from './inspector2.js';
import { organizationsHandlers } from './organizations.js';
import { securityHubHandlers } from './securityhub.js';
import { ssmHandlers } from './ssm.js';
import { stsHandlers } from './sts.js';

export const SERVICE_HANDLERS: Readonly<Record<string, Readonly<Record<string, Handler>>>> = {
  eks: eksHandlers,
  ec2: ec2Handlers,
  autoscaling: autoScalingHandlers,
  inspector2: inspector2Handlers,
  ssm: ssmHandlers,
  sts: stsHandlers,
  organizations: organizationsHandlers,
  securityhub: securityHubHandlers,
  config: configHandlers,
  iam: iamHandlers,
  guardduty: guardDutyHandlers,
  ecr: ecrHandlers,
};
