/** docs/checks.md: generated from the check declarations, and kept current (`npm run docs`). */
import { readFile } from 'node:fs/promises';
import { describe, expect, it } from '@jest/globals';
import { CHECKS_DOC_URL, checksMarkdown, formatMarkdown } from '../../docs/generate-checks.js';
import { describeCheck } from '../../lib/checks/catalogue.js';
import { CHECKS } from '../../lib/checks/registry.js';
import type { Check } from '../../lib/checks/types.js';

const committed = await readFile(CHECKS_DOC_URL, 'utf8');

/** The section of one check: from its heading to the next. */
function sectionOf(markdown: string, id: string): string {
  const start = markdown.indexOf(`\n## ${id}\n`);
  if (start < 0) throw new Error(`No section for ${id}.`);
  const end = markdown.indexOf('\n## ', start + 1);
  return markdown.slice(start, end < 0 ? undefined : end);
}

describe('docs/checks.md', () => {
  it('is up to date with the check declarations (run `npm run docs` when this fails)', () => {
    // Act
    const generated = formatMarkdown(checksMarkdown());
    // Assess
    expect(committed).toBe(generated);
  });

  it('documents every check: title, severity, parameters, what fails, remediation, FSBP/CIS and IAM', () => {
    // Act
    const sections = CHECKS.map((check) => ({
      check,
      entry: describeCheck(check),
      text: sectionOf(committed, check.id),
    }));
    // Assess
    expect(committed.match(/^## /gm)).toHaveLength(CHECKS.length);
    for (const { check, entry, text } of sections) {
      expect(text).toContain(`${check.title}.`);
      expect(text).toContain(`- **Severity:** ${check.severities.join(' or ')}`);
      expect(text).toContain(`- **What fails:** ${check.failsWhen}`);
      expect(text).toContain(`- **Why it matters:** ${check.risk}`);
      expect(text).toContain(
        `- **Remediation:** ${check.remediation.text} ([AWS documentation](${check.remediation.url}))`,
      );
      expect(text).toContain(
        `- **IAM permissions:** ${entry.permissions.map((action) => `\`${action}\``).join(', ')}.`,
      );
      for (const mapping of check.frameworks) expect(text).toContain(mapping.control);
      for (const [name, parameter] of Object.entries(entry.parameters)) {
        expect(text).toMatch(new RegExp(`\\| \`${name}\` +\\| \`${parameter.default}\` +\\|`));
      }
    }
  });

  it('maps the FSBP and CIS controls in the summary table', () => {
    // Prepare
    const summaryRow = (id: string) =>
      committed
        .split('\n')
        .find((line) => line.startsWith(`| [${id}](#${id})`))
        ?.split('|')
        .map((cell) => cell.trim());
    // Act
    const endpoint = summaryRow('eks_cluster_endpoint_not_public');
    const ssh = summaryRow('eks_nodegroup_no_ssh_access');
    // Assess
    expect(endpoint?.slice(2, 6)).toEqual([
      'HIGH',
      'cluster',
      'EKS.1 (only with allowRestrictedPublicEndpoint=false)',
      '5.4.2 (only with allowRestrictedPublicEndpoint=false), 5.4.1 (only with allowRestrictedPublicEndpoint=true)',
    ]);
    expect(ssh?.slice(2, 6)).toEqual(['HIGH / MEDIUM', 'nodegroup', '-', '-']);
  });

  it('escapes table cells and goes stale when a declaration changes', () => {
    // Prepare
    const first = CHECKS[0] as Check;
    const changed: Check = {
      ...first,
      title: 'Endpoint | private',
      remediation: { ...first.remediation, text: 'New text.' },
    };
    // Act
    const markdown = checksMarkdown([changed]);
    // Assess
    expect(markdown).toContain('| Endpoint \\| private |');
    expect(markdown).toContain('- **Remediation:** New text.');
    expect(formatMarkdown(checksMarkdown())).not.toBe(formatMarkdown(markdown));
  });
});
