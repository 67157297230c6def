import { describe, expect, it } from '@jest/globals';
import { type AslMachine, toLocalDefinition } from '../../local/state-machine.js';

const RETRY = [
  { ErrorEquals: ['Lambda.ServiceException'], IntervalSeconds: 2, MaxAttempts: 6, BackoffRate: 2 },
];
const CATCH = [{ ErrorEquals: ['States.ALL'], ResultPath: '$.mapError', Next: 'Failed' }];
const WORK = { Type: 'Task', Resource: 'arn:aws:lambda:us-east-1:123456789012:function:work', End: true };

/** A Distributed Map with every field an inline Map lacks, around an inline Map and a nested Distributed one. */
function distributedDefinition(): AslMachine {
  return {
    Comment: 'fixture',
    StartAt: 'Outer',
    States: {
      Outer: {
        Type: 'Map',
        Label: 'Outer',
        ItemsPath: '$.targets',
        ItemSelector: { 'run.$': '$.run', 'target.$': '$$.Map.Item.Value' },
        ItemReader: {
          Resource: 'arn:aws:states:::s3:getObject',
          ReaderConfig: { InputType: 'JSON' },
          Parameters: { Bucket: 'b', Key: 'k' },
        },
        ItemBatcher: { MaxItemsPerBatch: 10 },
        ResultWriter: { Resource: 'arn:aws:states:::s3:putObject', Parameters: { Bucket: 'b', Prefix: 'p' } },
        ToleratedFailurePercentage: 100,
        ToleratedFailureCountPath: '$.tolerated',
        MaxConcurrency: 10,
        ItemProcessor: {
          ProcessorConfig: { Mode: 'DISTRIBUTED', ExecutionType: 'STANDARD' },
          StartAt: 'Clusters',
          States: {
            Clusters: {
              Type: 'Map',
              ItemsPath: '$.clusters',
              MaxConcurrency: 4,
              ItemProcessor: { ProcessorConfig: { Mode: 'INLINE' }, StartAt: 'Work', States: { Work: WORK } },
              ResultPath: '$.clusterResults',
              Next: 'Branches',
            },
            Branches: {
              Type: 'Parallel',
              Branches: [
                {
                  StartAt: 'Deep',
                  States: {
                    Deep: {
                      Type: 'Map',
                      ToleratedFailureCount: 1,
                      ItemBatcher: { MaxItemsPerBatch: 2 },
                      ItemProcessor: {
                        ProcessorConfig: { Mode: 'DISTRIBUTED', ExecutionType: 'EXPRESS' },
                        StartAt: 'Work',
                        States: { Work: WORK },
                      },
                      End: true,
                    },
                  },
                },
              ],
              End: true,
            },
          },
        },
        Retry: RETRY,
        Catch: CATCH,
        ResultPath: '$.outcomes',
        Next: 'Done',
      },
      Failed: { Type: 'Fail', Error: 'MapFailed' },
      Done: { Type: 'Succeed' },
    },
  };
}

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null) {
    for (const item of Object.values(value)) deepFreeze(item);
    Object.freeze(value);
  }
  return value;
}

describe('toLocalDefinition', () => {
  it('makes a Distributed Map a Task of the same name, keeping its Retry, Catch, ResultPath and transition', () => {
    // Prepare
    const definition = distributedDefinition();
    // Act
    const { definition: local, distributedMaps } = toLocalDefinition(definition);
    // Assess
    expect(local.Comment).toBe('fixture');
    expect(local.StartAt).toBe('Outer');
    expect(local.States.Outer).toEqual({
      Type: 'Task',
      Resource: expect.stringMatching(/^arn:aws:lambda:/),
      TimeoutSeconds: 2_000_000,
      Retry: RETRY,
      Catch: CATCH,
      ResultPath: '$.outcomes',
      Next: 'Done',
    });
    expect(distributedMaps.get('Outer')).toBe(definition.States.Outer);
    expect(local.States.Failed).toEqual({ Type: 'Fail', Error: 'MapFailed' });
    expect(local.States.Done).toEqual({ Type: 'Succeed' });
  });

  it('finds the Distributed Maps nested in inline Maps and Parallel branches, and keeps inline Maps as they are', () => {
    // Prepare
    const definition: AslMachine = {
      StartAt: 'Inline',
      States: {
        Inline: {
          Type: 'Map',
          ItemsPath: '$.items',
          ItemProcessor: {
            ProcessorConfig: { Mode: 'INLINE' },
            StartAt: 'Branches',
            States: {
              Branches: {
                Type: 'Parallel',
                Branches: [
                  { StartAt: 'Deep', States: { Deep: distributedDefinition().States.Outer as never } },
                ],
                End: true,
              },
            },
          },
          End: true,
        },
      },
    };
    // Act
    const { definition: local, distributedMaps } = toLocalDefinition(definition);
    // Assess
    const processor = local.States.Inline?.ItemProcessor as AslMachine;
    expect(local.States.Inline?.Type).toBe('Map');
    expect(processor.ProcessorConfig).toEqual({ Mode: 'INLINE' });
    const branch = (processor.States.Branches?.Branches as AslMachine[] | undefined)?.[0];
    expect(branch?.States.Deep?.Type).toBe('Task');
    expect([...distributedMaps.keys()]).toEqual(['Deep']);
  });

  it('leaves its input as it was', () => {
    // Prepare
    const definition = deepFreeze(distributedDefinition());
    // Act
    const { definition: local } = toLocalDefinition(definition);
    // Assess: a frozen input would have thrown on any write, and still equals a fresh copy.
    expect(definition).toEqual(distributedDefinition());
    expect(local).not.toBe(definition);
  });

  it("gives a Task without a timeout Step Functions' (no 60 s limit), and keeps one it has", () => {
    // Prepare
    const definition: AslMachine = {
      StartAt: 'Work',
      States: { Work: { ...WORK, End: undefined, Next: 'Timed' }, Timed: { ...WORK, TimeoutSeconds: 30 } },
    };
    // Act
    const { definition: local, distributedMaps } = toLocalDefinition(definition);
    // Assess
    expect(local.States.Work?.TimeoutSeconds).toBe(2_000_000);
    expect(local.States.Timed).toEqual({ ...WORK, TimeoutSeconds: 30 });
    expect(distributedMaps.size).toBe(0);
  });
});
