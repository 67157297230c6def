/**
 * What `eks-scan --help` and `eks-scan <command> --help` print. Kept apart from the commands, so help
 * (and `--version`) answer without loading the AWS SDK.
 */
export const MAIN_USAGE = `Usage: eks-scan <command> [options]

Commands:
  scan       scan an estate file, an AWS-compatible endpoint or real AWS, and report or publish the results
  emulator   serve an estate file on loopback, as a local AWS, until stopped
  checks     the check catalogue: severities, parameters and defaults

Options:
  -h, --help     this help; \`eks-scan <command> --help\` gives a command's options
  --version      the version

Exit status: 0 when the command ran (whatever the findings), 1 when any target, call or publication
failed (the rest is still reported), 2 on bad usage or an invalid input file.
`;

export const SCAN_USAGE = `Usage: eks-scan scan [target] [selection] [output] [publishing] [--now ISO] [--param key=value ...]

Target (one of):
  --estate FILE            an estate file, served by an embedded local emulator (no AWS account needed)
  --endpoint URL           any AWS-compatible endpoint (the emulator, LocalStack)
  (neither)                real AWS, with the SDK's default credentials: --profile NAME, the
                           environment (AWS_ACCESS_KEY_ID, ...), SSO (aws sso login), an instance role
  --profile NAME           the AWS profile to use
  --region R               the Region of account-level calls (STS, Organizations)

Selection:
  --accounts ID,...        default: every ACTIVE account Organizations lists, else the caller's own
  --role-name NAME         the role assumed in each member account (default EksComplianceScannerRole)
  --regions R,...          default: each account's enabled Regions
  --clusters NAME,...      only these clusters
  --checks ID,...          only these checks (\`eks-scan checks\` lists them)

Output:
  --format F               table | json | asff | html | sarif; default: from the --output extension
                           (.json, .html, .sarif, .txt), else table on a terminal and json otherwise
  --output FILE            write there instead of stdout (its folder must exist)

Publishing:
  --publish securityhub    import the findings into each scanned account's Security Hub
  --only-failed            import FAILED findings only (still updating those Security Hub holds);
                           applies to publishing and --format asff, refused otherwise
  --suppressions FILE      a JSON list of suppression rules; suppressed results are marked in every
                           output format, and imported into Security Hub with Workflow SUPPRESSED

  --now ISO                the scan time, e.g. 2026-11-22T12:00:00Z (reproducible AMI ages, support dates)
  --param key=value        override a check parameter (repeatable)
  -h, --help               this help
`;

export const EMULATOR_USAGE = `Usage: eks-scan emulator --estate FILE [--port N]

Serves the estate file on 127.0.0.1 (port N, default: any free port) with the wire protocols of every
AWS call the scanner makes, until stopped (Ctrl-C). Prints the endpoint, then the environment other
tools (the AWS CLI, an SDK, \`eks-scan scan --endpoint\`) need to use it.

  --estate FILE   the estate to serve (examples/demo-estate.json is the demo organization)
  --port N        the port to listen on
  -h, --help      this help
`;

export const CHECKS_USAGE = `Usage: eks-scan checks [--format table|json]

Lists the checks: id, severities, resource, parameters with their defaults, and title.

  --format F   table (default on a terminal) or json (default otherwise: risks, remediation, IAM
               permissions and framework mappings too)
  -h, --help   this help
`;

/** Error codes the SDK gives when it found no credentials, or only expired ones. */
const CREDENTIAL_ERROR_CODES = new Set([
  'CredentialsProviderError',
  'TokenProviderError',
  'ExpiredToken',
  'ExpiredTokenException',
]);

/** How to provide AWS credentials, when the scan failed for want of them; undefined otherwise. */
export function credentialsHint(errors: readonly { readonly code: string }[]): string | undefined {
  if (!errors.some((error) => CREDENTIAL_ERROR_CODES.has(error.code))) return undefined;
  return `eks-scan scan: no usable AWS credentials. Provide them in one of these ways:
  --profile NAME (or AWS_PROFILE=NAME)  a profile of ~/.aws/config or ~/.aws/credentials
  AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY (and AWS_SESSION_TOKEN)  in the environment
  aws sso login --profile NAME, then --profile NAME  for IAM Identity Center (SSO)
  an instance, container or Lambda role  when running in AWS
To try the scanner without AWS: eks-scan scan --estate FILE (the local emulator serves the estate).
`;
}
