/** The dependency audit gate: what npm audit's JSON means, and what the gate prints and returns. */
import { describe, expect, it } from '@jest/globals';
import { auditOutcome, auditVerdict } from '../../deploy/audit.js';

const report = (vulnerabilities: Record<string, unknown>, counts: Record<string, number>) =>
  JSON.stringify({ auditReportVersion: 2, vulnerabilities, metadata: { vulnerabilities: counts } });

const NO_COUNTS = { info: 0, low: 0, moderate: 0, high: 0, critical: 0, total: 0 };

describe('auditVerdict', () => {
  it('is clean when no production dependency has an advisory', () => {
    // Act
    const verdict = auditVerdict(report({}, NO_COUNTS));
    // Assess
    expect(verdict).toEqual({ kind: 'clean', counts: NO_COUNTS });
  });

  it('is clean with low and moderate advisories only', () => {
    // Prepare
    const counts = { ...NO_COUNTS, moderate: 1, total: 1 };
    // Act
    const verdict = auditVerdict(
      report(
        { esbuild: { severity: 'moderate', via: [{ title: 'dev server CORS', url: 'https://x/1' }] } },
        counts,
      ),
    );
    // Assess
    expect(verdict).toEqual({ kind: 'clean', counts });
  });

  it('names each high or critical advisory, direct or through another dependency', () => {
    // Prepare
    const output = report(
      {
        'fast-xml-parser': {
          severity: 'high',
          via: [
            { title: 'Entity expansion bypass', url: 'https://github.com/advisories/GHSA-8gc5-j5rx-235r' },
          ],
        },
        '@aws-sdk/xml-builder': { severity: 'critical', via: ['fast-xml-parser'] },
        tslib: { severity: 'low', via: [{ title: 'minor' }] },
      },
      { ...NO_COUNTS, low: 1, high: 1, critical: 1, total: 3 },
    );
    // Act
    const verdict = auditVerdict(output);
    // Assess
    expect(verdict).toMatchObject({
      kind: 'advisories',
      advisories: [
        { dependency: '@aws-sdk/xml-builder', severity: 'critical', via: ['through fast-xml-parser'] },
        {
          dependency: 'fast-xml-parser',
          severity: 'high',
          via: ['Entity expansion bypass https://github.com/advisories/GHSA-8gc5-j5rx-235r'],
        },
      ],
    });
  });

  it('did not run when the registry refuses the audit endpoint', () => {
    // Prepare: what npm prints when the registry answers 405
    const output = JSON.stringify({
      message: '405 Method Not Allowed - POST https://registry.example/-/npm/v1/security/advisories/bulk',
      statusCode: 405,
      error: { summary: '', detail: '' },
    });
    // Act
    const verdict = auditVerdict(output);
    // Assess
    expect(verdict).toEqual({
      kind: 'not-run',
      reason: '405 Method Not Allowed - POST https://registry.example/-/npm/v1/security/advisories/bulk',
    });
  });

  it('did not run when npm printed no JSON', () => {
    // Act
    const verdict = auditVerdict('');
    // Assess
    expect(verdict).toEqual({ kind: 'not-run', reason: 'npm audit printed no JSON report: (nothing)' });
  });
});

describe('auditOutcome', () => {
  it('passes a clean audit', () => {
    // Act
    const outcome = auditOutcome({ kind: 'clean', counts: NO_COUNTS }, true);
    // Assess
    expect(outcome.exitCode).toBe(0);
    expect(outcome.lines[0]).toMatch(/no high or critical advisories/);
  });

  it('fails on advisories and lists them', () => {
    // Act
    const outcome = auditOutcome(
      {
        kind: 'advisories',
        advisories: [{ dependency: 'esbuild', severity: 'high', via: ['dev server request smuggling'] }],
        counts: { ...NO_COUNTS, high: 1, total: 1 },
      },
      false,
    );
    // Assess
    expect(outcome).toEqual({
      exitCode: 1,
      lines: [
        'npm audit --omit=dev: 1 production dependencies with high or critical advisories:',
        '  esbuild (high): dev server request smuggling',
      ],
    });
  });

  it('says an audit that did not run is not a pass, and fails it when strict', () => {
    // Prepare
    const verdict = { kind: 'not-run', reason: '405 Method Not Allowed' } as const;
    // Act
    const lenient = auditOutcome(verdict, false);
    const strict = auditOutcome(verdict, true);
    // Assess
    expect(lenient.exitCode).toBe(0);
    expect(lenient.lines.join('\n')).toMatch(/DID NOT RUN: 405 Method Not Allowed[\s\S]*Not a pass/);
    expect(strict.exitCode).toBe(2);
  });
});
