/**
 * Which deployed role makes which AWS calls: the one place the granted-vs-used test takes its mapping
 * from. Calls are recorded by the emulator with the credentials that made them; a function's own calls
 * belong to the role serverless.yml gives it (`role:`, read from the packaged template), calls made
 * with credentials of the member role belong to the member role (resources/member-role.yml).
 *
 * When the code gains a call that no local run can make (the emulator does not serve it, or AWS makes
 * it on the function's behalf), add it to UNRECORDED_CALLS with the reason; when a function or a Task
 * state appears, it is picked up from local/state-machine.ts TASKS and the packaged template.
 */

/** The member role's key in the granted and used maps. */
export const MEMBER_ROLE = 'MemberRole (resources/member-role.yml)';

/** Calls IAM never authorizes: every principal may make them. */
export const UNAUTHORIZED_CALLS = new Set(['sts:GetCallerIdentity']);

/** The calls a function makes in AWS that a local run cannot record, by the function's role. */
export const UNRECORDED_CALLS: Readonly<Record<string, readonly { action: string; why: string }[]>> = {
  PlanScanRole: [
    { action: 'logs:CreateLogStream', why: 'the Lambda runtime writes the function log' },
    { action: 'logs:PutLogEvents', why: 'the Lambda runtime writes the function log' },
  ],
  ScanTaskRole: [
    { action: 'logs:CreateLogStream', why: 'the Lambda runtime writes the function logs' },
    { action: 'logs:PutLogEvents', why: 'the Lambda runtime writes the function logs' },
  ],
  SummarizeRole: [
    { action: 'logs:CreateLogStream', why: 'the Lambda runtime writes the function log' },
    { action: 'logs:PutLogEvents', why: 'the Lambda runtime writes the function log' },
  ],
  ConfigRuleRole: [
    { action: 'logs:CreateLogStream', why: 'the Lambda runtime writes the function log' },
    { action: 'logs:PutLogEvents', why: 'the Lambda runtime writes the function log' },
    {
      action: 'sqs:SendMessage',
      why: "Lambda's on-failure destination of Config's asynchronous invocations",
    },
  ],
};

/** One recorded call, as the emulator reports it (GET /_emulator/calls-by-principal). */
export interface PrincipalCall {
  readonly principal: string;
  readonly service: string;
  readonly operation: string;
}

/** The IAM action of a recorded call: the SigV4 service name is the IAM prefix for every service here. */
export const actionOf = (call: Pick<PrincipalCall, 'service' | 'operation'>) =>
  `${call.service}:${call.operation}`;

/** Whether a principal is the member role (credentials the emulator issued for role/<memberRoleName>). */
export const isMemberRole = (principal: string, memberRoleName: string) =>
  principal.endsWith(`:role/${memberRoleName}`);

/** Used minus granted ("missing") and granted minus used ("unused"), per role; empty lists when equal. */
export function compareGrantedWithUsed(
  granted: Readonly<Record<string, ReadonlySet<string>>>,
  used: Readonly<Record<string, ReadonlySet<string>>>,
): Record<string, { missing: string[]; unused: string[] }> {
  const roles = [...new Set([...Object.keys(granted), ...Object.keys(used)])].sort();
  return Object.fromEntries(
    roles.map((role) => {
      const has = granted[role] ?? new Set<string>();
      const needs = new Set([
        ...(used[role] ?? []),
        ...(UNRECORDED_CALLS[role] ?? []).map((call) => call.action),
      ]);
      return [
        role,
        {
          missing: [...needs].filter((action) => !has.has(action)).sort(),
          unused: [...has].filter((action) => !needs.has(action)).sort(),
        },
      ];
    }),
  );
}
