import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from '@jest/globals';
import { type AslMachine, loadDefinition, TASKS, toLocalDefinition } from '../../local/state-machine.js';

// asl-validator is CommonJS without type declarations.
const aslValidator = createRequire(import.meta.url)('asl-validator') as (
  definition: unknown,
  options?: { checkPaths?: boolean; checkArn?: boolean },
) => { isValid: boolean; errorsText: (separator?: string) => string };

/** Every state of a definition, nested ones included, by name. */
function allStates(machine: AslMachine): [string, Record<string, unknown>][] {
  return Object.entries(machine.States).flatMap(([name, state]) => [
    [name, state] as [string, Record<string, unknown>],
    ...[state.ItemProcessor, state.Iterator, ...(Array.isArray(state.Branches) ? state.Branches : [])]
      .filter((nested): nested is AslMachine => typeof nested === 'object' && nested !== null)
      .flatMap(allStates),
  ]);
}

const stateNamed = (machine: AslMachine, name: string) =>
  allStates(machine).find(([stateName]) => stateName === name)?.[1];

describe('loadDefinition', () => {
  it('substitutes every serverless param variable, with numbers where ASL takes numbers', () => {
    // Act
    const definition = loadDefinition();
    // Assess
    expect(JSON.stringify(definition)).not.toContain('${param:');
    const scanTargets = stateNamed(definition, 'ScanAccounts');
    expect(scanTargets?.MaxConcurrency).toBe(40);
    expect(scanTargets?.ItemBatcher).toEqual({ MaxItemsPerBatch: 10 });
    expect(scanTargets?.ToleratedFailurePercentage).toBe(100);
    expect(stateNamed(definition, 'ScanClusters')?.MaxConcurrency).toBe(4);
  });

  it('makes the results bucket, a Ref, a placeholder name or the name it is given', () => {
    // Act
    const placeholder = loadDefinition();
    const named = loadDefinition({}, { refs: { ScanResultsBucket: 'scan-results-123' } });
    // Assess
    expect(stateNamed(placeholder, 'ScanAccounts')?.ResultWriter).toEqual({
      Resource: 'arn:aws:states:::s3:putObject',
      Parameters: { Bucket: 'local-scan-results-bucket', Prefix: 'scan-runs' },
    });
    expect(stateNamed(named, 'ScanAccounts')?.ResultWriter).toEqual({
      Resource: 'arn:aws:states:::s3:putObject',
      Parameters: { Bucket: 'scan-results-123', Prefix: 'scan-runs' },
    });
  });

  it('takes the values it is given over the defaults', () => {
    // Act
    const definition = loadDefinition({ childConcurrency: '25', toleratedFailurePercentage: '5' });
    // Assess
    const scanTargets = stateNamed(definition, 'ScanAccounts');
    expect(scanTargets?.MaxConcurrency).toBe(25);
    expect(scanTargets?.ToleratedFailurePercentage).toBe(5);
    expect(stateNamed(definition, 'ScanClusters')?.MaxConcurrency).toBe(4);
  });

  it('refuses a value that is not a number where ASL takes a number', () => {
    // Act
    const load = () => loadDefinition({ clusterConcurrency: 'four' });
    // Assess
    expect(load).toThrow(/^\$\{param:clusterConcurrency\} of MaxConcurrency must be a number\.$/);
  });

  it('makes every Task Resource the Lambda ARN of its function, for every Task state of TASKS', () => {
    // Act
    const definition = loadDefinition();
    // Assess
    const tasks = Object.fromEntries(
      allStates(definition)
        .filter(([, state]) => state.Type === 'Task')
        .map(([name, state]) => [name, state.Resource]),
    );
    expect(tasks).toEqual({
      PlanScan: 'arn:aws:lambda:us-east-1:123456789012:function:planScan',
      ListRegions: 'arn:aws:lambda:us-east-1:123456789012:function:listRegions',
      ListClusters: 'arn:aws:lambda:us-east-1:123456789012:function:listClusters',
      ScanCluster: 'arn:aws:lambda:us-east-1:123456789012:function:scanCluster',
      ReconcileTarget: 'arn:aws:lambda:us-east-1:123456789012:function:reconcileTarget',
      Summarize: 'arn:aws:lambda:us-east-1:123456789012:function:summarize',
    });
    expect(Object.keys(tasks).sort()).toEqual(Object.keys(TASKS).sort());
    expect(JSON.stringify(definition)).not.toMatch(/Fn::|"Ref"/);
  });

  it('resolves the YAML anchors: every Task retries the Lambda service errors', () => {
    // Act
    const definition = loadDefinition();
    // Assess
    const retries = allStates(definition)
      .filter(([, state]) => state.Type === 'Task')
      .map(([, state]) => (state.Retry as { ErrorEquals: string[] }[])[0]?.ErrorEquals);
    expect(retries).toHaveLength(Object.keys(TASKS).length);
    for (const errors of retries) expect(errors).toContain('Lambda.TooManyRequestsException');
  });

  it('gives a definition asl-validator accepts, as deployed and as run locally', () => {
    // Prepare: the validator annotates what it validates.
    const definition = loadDefinition();
    const local = toLocalDefinition(loadDefinition()).definition;
    // Act
    const deployed = aslValidator(structuredClone(definition));
    const runnable = aslValidator(structuredClone(local));
    // Assess
    expect(deployed.errorsText()).toBe('');
    expect(deployed.isValid).toBe(true);
    expect(runnable.errorsText()).toBe('');
    expect(runnable.isValid).toBe(true);
  });
});

describe('loadDefinition of another file', () => {
  /** `${param:name}`, as a serverless variable in the YAML. */
  const param = (name: string) => ['$', '{param:', name, '}'].join('');
  const directory = mkdtempSync(join(tmpdir(), 'asl-'));
  afterAll(() => rmSync(directory, { recursive: true, force: true }));
  const file = (name: string, text: string) => {
    const path = join(directory, name);
    writeFileSync(path, text);
    return path;
  };

  it('substitutes params inside strings as text, and whole params of numeric fields as numbers', () => {
    // Prepare
    const path = file(
      'params.asl.yaml',
      [
        'StartAt: Wait',
        'States:',
        '  Wait:',
        '    Type: Wait',
        `    Comment: waits ${param('seconds')} seconds in ${param('stage')}`,
        `    Seconds: ${param('seconds')}`,
        '    End: true',
      ].join('\n'),
    );
    // Act
    const definition = loadDefinition({ seconds: '30', stage: 'dev' }, { file: path });
    // Assess
    expect(definition.States.Wait).toEqual({
      Type: 'Wait',
      Comment: 'waits 30 seconds in dev',
      Seconds: 30,
      End: true,
    });
  });

  it('refuses a param it has no value for, and CloudFormation functions other than GetAtt Arn and Ref', () => {
    // Prepare
    const unknownParam = file(
      'unknown.asl.yaml',
      `StartAt: A\nStates:\n  A: { Type: Pass, Comment: "${param('nope')}", End: true }`,
    );
    const sub = file(
      'sub.asl.yaml',
      'StartAt: A\nStates:\n  A: { Type: Task, Resource: { "Fn::Sub": "arn" }, End: true }',
    );
    // Act
    const loadUnknown = () => loadDefinition({}, { file: unknownParam });
    const loadSub = () => loadDefinition({}, { file: sub });
    // Assess
    expect(loadUnknown).toThrow(/^No value for \$\{param:nope\} in .*unknown\.asl\.yaml\.$/);
    expect(loadSub).toThrow(
      /^Unsupported CloudFormation function in .*sub\.asl\.yaml: \{"Fn::Sub":"arn"\}\.$/,
    );
  });
});
