/**
 * docs/checks.md, the check reference, generated from the check declarations: `npm run docs`. A test
 * (test/docs/checks-doc.test.ts) fails when the committed file differs from what this renders.
 */
import { execFileSync } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { type CatalogueEntry, describeCheck } from '../lib/checks/catalogue.js';
import { CHECKS } from '../lib/checks/registry.js';
import type { Check, FrameworkMapping } from '../lib/checks/types.js';
import { LISTING_PERMISSIONS } from '../lib/snapshot/types.js';

export const CHECKS_DOC_URL = new URL('./checks.md', import.meta.url);
const ROOT = new URL('../', import.meta.url);

const FSBP = 'AWS Foundational Security Best Practices v1.0.0';
const CIS_EKS = 'CIS Amazon EKS Benchmark v1.1.0';

/** Text safe in a Markdown table cell. */
const cell = (text: string) => text.replace(/\|/g, '\\|').replace(/\n/g, ' ');

const code = (text: string) => `\`${text}\``;

/** A control, with the parameter setting it holds under when it does not hold under every one. */
const controlOf = (mapping: FrameworkMapping) =>
  mapping.onlyWhen === undefined
    ? mapping.control
    : `${mapping.control} (only with ${mapping.onlyWhen.description})`;

const controls = (check: Check, framework: string) =>
  check.frameworks.filter((mapping) => mapping.framework === framework).map(controlOf);

function severityLine(check: Check): string {
  if (check.severities.length === 1) return check.severities[0];
  return `${check.severities.join(' or ')} (each failed result carries the one that applies)`;
}

function frameworksLine(check: Check): string {
  if (check.frameworks.length === 0) return 'none';
  const byFramework = new Map<string, string[]>();
  for (const mapping of check.frameworks) {
    byFramework.set(mapping.framework, [...(byFramework.get(mapping.framework) ?? []), controlOf(mapping)]);
  }
  return [...byFramework.entries()]
    .map(([framework, list]) => `${framework}: ${list.join('; ')}`)
    .join(' · ');
}

function parametersBlock(entry: CatalogueEntry): string[] {
  const parameters = Object.entries(entry.parameters);
  if (parameters.length === 0) return ['- **Parameters:** none.'];
  return [
    '- **Parameters** (`--param name=value` on the CLI, `checkParameters` when deployed, or the AWS Config rule',
    '  parameters):',
    '',
    '  | Parameter | Default | Description |',
    '  | --- | --- | --- |',
    ...parameters.map(
      ([name, parameter]) =>
        `  | ${code(name)} | ${code(cell(parameter.default))} | ${cell(parameter.description)} |`,
    ),
    '',
  ];
}

function checkSection(check: Check): string[] {
  const entry = describeCheck(check);
  return [
    `## ${check.id}`,
    '',
    `${check.title}.`,
    '',
    `- **Resource:** ${check.resource.description}; ASFF ${check.resource.asffTypes.map(code).join(', ')}, ` +
      `AWS Config ${code(check.resource.configType)}.`,
    `- **Severity:** ${severityLine(check)}.`,
    `- **What fails:** ${check.failsWhen} Data the check needs that could not be collected gives ERROR, ` +
      'never PASSED.',
    `- **Why it matters:** ${check.risk}`,
    `- **Remediation:** ${check.remediation.text} ([AWS documentation](${check.remediation.url}))`,
    ...parametersBlock(entry),
    `- **Frameworks:** ${frameworksLine(check)}.`,
    `- **IAM permissions:** ${entry.permissions.map(code).join(', ')}.`,
    `- **ASFF finding types:** ${check.asffTypes.map(code).join(', ')}.`,
    '',
  ];
}

/** The whole reference, in catalogue order. */
export function checksMarkdown(checks: readonly Check[] = CHECKS): string {
  const summary = checks.map((check) => {
    const fsbp = controls(check, FSBP);
    const cis = controls(check, CIS_EKS);
    return (
      `| [${check.id}](#${check.id}) | ${check.severities.join(' / ')} | ${check.resource.scope} | ` +
      `${fsbp.join(', ') || '-'} | ${cis.join(', ') || '-'} | ${cell(check.title)} |`
    );
  });
  return [
    '# Check reference',
    '',
    '<!-- Generated from the check declarations in lib/checks/ by `npm run docs`. Do not edit by hand: a test',
    '     fails when this file is stale. -->',
    '',
    `${checks.length} checks. Each judges one kind of resource and gives one result per resource: PASSED, FAILED`,
    '(at the severity shown), NOT_APPLICABLE when the check does not apply, or ERROR when the data it needs',
    'could not be collected (never PASSED). `eks-scan checks` prints the same catalogue, and',
    '`eks-scan checks --format json` gives it as data.',
    '',
    `Every scan also needs ${LISTING_PERMISSIONS.map(code).join(', ')} to find the clusters; the permissions listed per`,
    'check are the read-only calls that check adds. The FSBP column names AWS Foundational Security Best',
    `Practices controls, the CIS column controls of the ${CIS_EKS}.`,
    '',
    "A result cites a control only when its verdict, with the parameters in force, is that control's verdict on",
    'what the check judges: a control marked "only with" is cited under that parameter setting alone (so by',
    'default the endpoint check fails every public endpoint, as FSBP EKS.1 does, and cites EKS.1). Each JSON',
    'result lists what it cites in `frameworks`; ASFF findings carry it as `Compliance.RelatedRequirements`,',
    'SARIF results as `taxa`.',
    '',
    '| Check | Severity | Resource | FSBP | CIS EKS | Passes when |',
    '| --- | --- | --- | --- | --- | --- |',
    ...summary,
    '',
    ...checks.flatMap(checkSection),
  ].join('\n');
}

/**
 * Markdown as the project's formatter (Biome, which `npm run lint` runs on docs/ too) writes it, so the
 * committed file passes the lint and the staleness test compares like with like.
 */
export function formatMarkdown(markdown: string): string {
  return execFileSync(
    fileURLToPath(new URL('node_modules/.bin/biome', ROOT)),
    ['format', '--stdin-file-path=docs/checks.md'],
    { cwd: fileURLToPath(ROOT), input: markdown, encoding: 'utf8' },
  );
}

if (process.argv[1] !== undefined && fileURLToPath(import.meta.url) === process.argv[1]) {
  await writeFile(CHECKS_DOC_URL, formatMarkdown(checksMarkdown()));
}
