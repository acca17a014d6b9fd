import { describe, expect, it } from 'vitest';
import {
  DagLoadError,
  parseDagSource,
} from '../../src-main/dags/dag-loader.js';
import { resolveParams, tokenizeParams } from '../../src-main/dags/params.js';
import { DagdeskError } from '../../src-main/errors.js';

const load = (yaml: string, path = '/dags/etl.yaml') =>
  parseDagSource(yaml, path);

function loadError(yaml: string): string {
  try {
    load(yaml);
  } catch (error) {
    if (error instanceof DagLoadError) return error.message;
    throw error;
  }
  throw new Error('the DAG loaded');
}

describe('DAG files', () => {
  it('names the DAG after its file when it has no name', () => {
    expect(load('steps:\n  - run: echo hi\n').main.name).toBe('etl');
    expect(load('name: other\nsteps:\n  - run: echo hi\n').main.name).toBe(
      'other',
    );
  });

  it('reads env as a list of maps, a map, or KEY=value strings, in order', () => {
    const listOfMaps = load('env:\n  - A: 1\n  - B: two\nsteps: [{run: x}]');
    const map = load('env:\n  A: 1\n  B: two\nsteps: [{run: x}]');
    const strings = load('env:\n  - A=1\n  - B=two\nsteps: [{run: x}]');
    for (const file of [listOfMaps, map, strings]) {
      expect(file.main.env).toEqual([
        ['A', '1'],
        ['B', 'two'],
      ]);
    }
  });

  it('reads params as a string, a list, and a rich list with defaults', () => {
    expect(
      load('params: "A=1 B=\\"x y\\" pos"\nsteps: [{run: x}]').main.params,
    ).toEqual([
      { name: 'A', value: '1', positional: false },
      { name: 'B', value: 'x y', positional: false },
      { name: '1', value: 'pos', positional: true },
    ]);
    const rich = load(
      'params:\n' +
        '  - REGION: eu\n' +
        '  - name: LEVEL\n' +
        '    default: info\n' +
        '    enum: [info, debug]\n' +
        'steps: [{run: x}]',
    );
    expect(rich.main.params).toEqual([
      { name: 'REGION', value: 'eu', positional: false },
      {
        name: 'LEVEL',
        value: 'info',
        positional: false,
        required: false,
        enum: ['info', 'debug'],
      },
    ]);
  });

  it('names steps cmd_1, cmd_2 by their place when they have no name', () => {
    const file = load(
      'steps:\n  - run: a\n  - name: named\n    run: b\n  - run: c\n',
    );
    expect(file.main.steps.map((s) => s.name)).toEqual([
      'cmd_1',
      'named',
      'cmd_3',
    ]);
  });

  it('uses a step id as its name and accepts it in depends', () => {
    const file = load(
      'steps:\n  - id: fetch\n    run: a\n  - run: b\n    depends: fetch\n',
    );
    expect(file.main.steps[1]!.depends).toEqual(['fetch']);
  });

  it('makes each step of a chain follow the one before, a group after all of it', () => {
    const file = load(
      'type: chain\nsteps:\n  - run: a\n  - - run: b\n    - run: c\n  - run: d\n',
    );
    expect(file.main.steps.map((s) => [s.name, s.depends])).toEqual([
      ['cmd_1', []],
      ['cmd_2', ['cmd_1']],
      ['cmd_3', ['cmd_1']],
      ['cmd_4', ['cmd_2', 'cmd_3']],
    ]);
  });

  it('reads run as one command, a multi-line script, or a list of commands', () => {
    const steps = load(
      'steps:\n' +
        '  - run: echo a\n' +
        '  - run: |\n' +
        '      echo b\n' +
        '      echo c\n' +
        '  - run: [echo d, echo e]\n',
    ).main.steps;
    expect(steps.map((s) => s.action)).toEqual([
      { kind: 'commands', lines: ['echo a'] },
      { kind: 'script', script: 'echo b\necho c' },
      { kind: 'commands', lines: ['echo d', 'echo e'] },
    ]);
  });

  it('reads legacy command, script and call steps', () => {
    const steps = load(
      'steps:\n' +
        '  - command: echo a\n' +
        '  - command: python3\n' +
        '    script: print(1)\n' +
        '  - call: child\n' +
        '    params: "X=1"\n',
    ).main.steps;
    expect(steps.map((s) => s.action)).toEqual([
      { kind: 'commands', lines: ['echo a'] },
      { kind: 'script', script: 'print(1)', interpreter: ['python3'] },
      { kind: 'dag.run', dag: 'child', params: 'X=1', queue: undefined },
    ]);
  });

  it('reads dag.run and dag.enqueue actions with their with block', () => {
    const steps = load(
      'steps:\n' +
        '  - action: dag.run\n' +
        '    with:\n' +
        '      dag: child\n' +
        '      params: {A: "1"}\n' +
        '  - action: dag.enqueue\n' +
        '    with: {dag: child, queue: batch}\n',
    ).main.steps;
    expect(steps[0]!.action).toEqual({
      kind: 'dag.run',
      dag: 'child',
      params: 'A="1"',
      queue: undefined,
    });
    expect(steps[1]!.action).toMatchObject({
      kind: 'dag.enqueue',
      dag: 'child',
      queue: 'batch',
    });
    expect(steps.map((s) => s.name)).toEqual(['dag_1', 'dag_2']);
  });

  it('keeps the other documents of a file as DAGs callable by name', () => {
    const file = load(
      'steps:\n  - call: child\n---\nname: child\nsteps:\n  - run: echo child\n',
    );
    expect([...file.locals.keys()]).toEqual(['child']);
  });

  it('reads secrets by provider env or file, or by ref', () => {
    const file = load(
      'secrets:\n' +
        '  - name: A\n' +
        '    provider: env\n' +
        '    key: HOST_A\n' +
        '  - name: B\n' +
        '    provider: file\n' +
        '    key: b.txt\n' +
        '  - name: C\n' +
        '    ref: team/c\n' +
        'steps: [{run: x}]',
    );
    expect(file.main.secrets).toEqual([
      { name: 'A', provider: 'env', key: 'HOST_A' },
      { name: 'B', provider: 'file', key: 'b.txt' },
      { name: 'C', ref: 'team/c' },
    ]);
  });

  it('accepts Dagu keys a local run has no use for, and says which', () => {
    const file = load('schedule: "0 * * * *"\nlabels: [a]\nsteps: [{run: x}]');
    expect(file.main.ignored).toEqual(['schedule', 'labels']);
  });
});

describe('DAG load errors name the file, line and column', () => {
  it('hints snake_case for a camelCase key, as Dagu does', () => {
    expect(loadError('steps:\n  - run: x\n    continueOn: failed\n')).toBe(
      '/dags/etl.yaml:3:5: steps[0]: unknown key "continueOn"; ' +
        'use snake_case keys (continueOn -> continue_on)',
    );
  });

  it('reports YAML syntax errors where they are', () => {
    expect(loadError('steps:\n  - run: [a\n')).toMatch(
      /^\/dags\/etl\.yaml:3:1: /,
    );
  });

  it('reports a dependency on a step that does not exist', () => {
    expect(
      loadError('steps:\n  - run: a\n  - run: b\n    depends: nope\n'),
    ).toBe(
      '/dags/etl.yaml:4:14: steps[1].depends: ' +
        'step "cmd_2" depends on "nope", which is not a step of this DAG',
    );
  });

  it('refuses a cycle, naming it', () => {
    expect(
      loadError(
        'steps:\n' +
          '  - name: a\n' +
          '    run: x\n' +
          '    depends: b\n' +
          '  - name: b\n' +
          '    run: y\n' +
          '    depends: a\n',
      ),
    ).toMatch(/steps depend on each other in a cycle: a -> b -> a/);
  });

  it('refuses depends in a chain', () => {
    expect(
      loadError(
        'type: chain\nsteps:\n  - run: a\n  - run: b\n    depends: cmd_1\n',
      ),
    ).toMatch(/depends is not allowed in a DAG of type chain/);
  });

  it('says what Dagdesk does not run', () => {
    expect(
      loadError('steps:\n  - run: a\n    container: {image: alpine}\n'),
    ).toMatch(/3:5: steps\[0\]: "container" is not supported by Dagdesk/);
  });

  it.each([
    ['a step without a command', 'steps:\n  - name: a\n', /a step needs run/],
    [
      'a bad timeout',
      'timeout_sec: -1\nsteps: [{run: x}]',
      /timeout_sec must be 0 or more/,
    ],
    [
      'an unknown type',
      'type: dag\nsteps: [{run: x}]',
      /type must be "graph" or "chain"/,
    ],
    [
      'a duplicate step name',
      'steps:\n  - {name: a, run: x}\n  - {name: a, run: y}',
      /step name must be unique/,
    ],
    ['a bad step id', 'steps:\n  - {id: 1st, run: x}', /invalid step id "1st"/],
    [
      'an env value that is a list',
      'env:\n  - A: [1]\nsteps: [{run: x}]',
      /A must be a string, number or boolean/,
    ],
    [
      'a secret with two sources',
      'secrets:\n  - {name: A, ref: a, provider: env, key: K}\nsteps: [{run: x}]',
      /exactly one of 'ref' or 'provider' plus 'key'/,
    ],
    [
      'an unknown handler',
      'handler_on:\n  cancel: {run: x}\nsteps: [{run: x}]',
      /unknown handler "cancel" \(Dagu calls it abort\)/,
    ],
    [
      'a second DAG without a name',
      'steps: [{run: x}]\n---\nsteps: [{run: y}]',
      /every DAG after the first in a file must have one/,
    ],
  ])('refuses %s', (_what, yaml, message) => {
    expect(loadError(yaml)).toMatch(message);
  });
});

describe('parameters', () => {
  it('tokenizes quoted values and keeps backtick tokens literal', () => {
    expect(tokenizeParams('A="x y" `date` b')).toEqual([
      { name: 'A', value: 'x y' },
      { value: '`date`' },
      { value: 'b' },
    ]);
  });

  it('overrides defaults by name and position', () => {
    const defaults = load('params: "A=1 first second"\nsteps: [{run: x}]').main
      .params;
    expect(
      resolveParams(defaults, [{ name: 'A', value: '2' }, { value: 'one' }]),
    ).toEqual({
      named: [['A', '2']],
      positional: ['one', 'second'],
    });
  });

  it('refuses unknown names and too many positional values', () => {
    const defaults = load('params: "A=1 p"\nsteps: [{run: x}]').main.params;
    const message = (given: Parameters<typeof resolveParams>[1]) => {
      try {
        resolveParams(defaults, given);
      } catch (error) {
        return (error as DagdeskError).message;
      }
    };
    expect(message([{ name: 'B', value: '1' }])).toBe(
      'unknown parameter "B": accepted parameters are A',
    );
    expect(message([{ value: 'x' }, { value: 'y' }])).toBe(
      'too many positional params: expected at most 1, got 2',
    );
  });

  it('checks required and enum rules of rich params', () => {
    const defaults = load(
      'params:\n  - name: ENV\n    required: true\n    enum: [dev, prod]\nsteps: [{run: x}]',
    ).main.params;
    expect(() => resolveParams(defaults, [])).toThrow(
      'parameter "ENV" is required',
    );
    expect(() =>
      resolveParams(defaults, [{ name: 'ENV', value: 'qa' }]),
    ).toThrow('parameter "ENV" must be one of dev, prod, got "qa"');
  });
});
