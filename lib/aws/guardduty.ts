/** The Amazon GuardDuty client, in its own module so a bundle carries only the clients its function uses. */
import { GuardDutyClient } from '@aws-sdk/client-guardduty';
import { type ClientOptions, clientConfig } from './client-config.js';

export const createGuardDutyClient = (options: ClientOptions): GuardDutyClient =>
  new GuardDutyClient(clientConfig(options));
