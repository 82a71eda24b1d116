import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  deserializeGraph,
  type Graph,
  GraphBuilder,
  IR_VERSION,
  IrError,
  interpret,
  parseGraph,
  registerMigration,
  SerializationError,
  serializeGraph,
  VerifyError,
  VersionError,
} from '../src/index.js';

function sample(): Graph {
  const b = new GraphBuilder('g');
  const x = b.input('x', { dtype: 'float32', shape: [2, 3] });
  const c = b.constant([NaN, -0, Infinity], [3], 'float32');
  const m = b.constant([1, 0, 1], [3], 'bool');
  const i = b.constant([-2147483648, 7, 2147483647], [3], 'int32');
  const y = b.op(
    'pad',
    [b.op('add', [x, c])],
    {
      pads: [
        [0, 0],
        [1, 1],
      ],
      value: -Infinity,
    },
    { file: 'a.ts', line: 1 },
  );
  b.output(y, m, i);
  return b.build();
}

const doc = () => JSON.parse(serializeGraph(sample()));
type ErrorClass = new (...args: any[]) => Error;
const expectTyped = (input: unknown, cls: ErrorClass, fragment?: string) => {
  let err: unknown;
  try {
    deserializeGraph(input);
  } catch (e) {
    err = e;
  }
  expect(err).toBeInstanceOf(cls);
  if (fragment) expect((err as Error).message).toContain(fragment);
};

describe('graph JSON', () => {
  it('round-trips exactly, including non-finite numbers, -0 and all storages', () => {
    const g = sample();
    const json = serializeGraph(g);
    const parsed = JSON.parse(json);
    expect(parsed.irVersion).toBe(IR_VERSION);
    expect(parsed.kind).toBe('graph');
    expect(parsed.graph.buffers[0].dtype).toBe('float32');
    expect(typeof parsed.graph.buffers[0].data).toBe('string');
    expect(parsed.graph.nodes[1].attrs.value).toEqual({ $num: '-inf' });
    const back = deserializeGraph(json);
    expect(back).toStrictEqual(g);
    expect(Object.is(back.buffers[0]![1], -0)).toBe(true);
    expect(deserializeGraph(parsed)).toStrictEqual(g); // an already-parsed document works too
  });

  it('reads a newer minor of the same major (unknown optional fields dropped)', () => {
    const d = doc();
    d.irVersion = '1.7';
    d.graph.futureField = { x: 1 };
    d.graph.nodes[0].futureHint = true;
    expect(deserializeGraph(JSON.stringify(d))).toStrictEqual(sample());
  });

  it('rejects malformed documents with typed errors, never a half-loaded graph', () => {
    expectTyped('{"irVersion": "1.0", "kind": "graph", ', SerializationError, 'invalid JSON');
    expectTyped('[]', SerializationError, 'JSON object');
    expectTyped('42', SerializationError);
    expectTyped(42, SerializationError);
    expectTyped(null, SerializationError);
    expectTyped('{}', SerializationError, 'irVersion');
    const mutations: [string, (d: any) => void, ErrorClass, string][] = [
      [
        'bad version text',
        (d) => {
          d.irVersion = 'one';
        },
        SerializationError,
        'MAJOR.MINOR',
      ],
      [
        'wrong kind',
        (d) => {
          d.kind = 'program';
        },
        SerializationError,
        'kind',
      ],
      ['graph missing', (d) => delete d.graph, SerializationError, 'graph'],
      [
        'nodes not an array',
        (d) => {
          d.graph.nodes = {};
        },
        SerializationError,
        'graph.nodes',
      ],
      [
        'shape has a string',
        (d) => {
          d.graph.inputs[0].type.shape = [2, '3'];
        },
        SerializationError,
        'graph.inputs.0.type.shape.1',
      ],
      [
        'unknown dtype',
        (d) => {
          d.graph.inputs[0].type.dtype = 'float64';
        },
        SerializationError,
        'dtype',
      ],
      [
        'negative dim',
        (d) => {
          d.graph.nodes[0].type.shape = [-2, 3];
        },
        SerializationError,
        'shape',
      ],
      [
        'bad base64',
        (d) => {
          d.graph.buffers[0].data = '!!!!';
        },
        SerializationError,
        'base64',
      ],
      [
        'bad buffer length',
        (d) => {
          d.graph.buffers[0].data = 'AAAA';
        },
        SerializationError,
        'whole number',
      ],
      [
        'bool buffer with 2',
        (d) => {
          d.graph.buffers[1].data = 'AgEB';
        },
        SerializationError,
        'bool',
      ],
      [
        'bad $num',
        (d) => {
          d.graph.nodes[1].attrs.value = { $num: 'huge' };
        },
        SerializationError,
        '$num',
      ],
      [
        'unknown op',
        (d) => {
          d.graph.nodes[0].op = 'teleport';
        },
        VerifyError,
        "unknown op 'teleport'",
      ],
      [
        'bad attrs',
        (d) => {
          d.graph.nodes[1].attrs = { pads: 'wide', value: 0 };
        },
        VerifyError,
        "attribute 'pads'",
      ],
      [
        'shape mismatch',
        (d) => {
          d.graph.nodes[0].type.shape = [3, 3];
        },
        VerifyError,
        'f32[2,3]',
      ],
      [
        'dangling reference',
        (d) => {
          d.graph.nodes[1].inputs = ['ghost'];
        },
        VerifyError,
        '%ghost',
      ],
      [
        'dangling output',
        (d) => {
          d.graph.outputs = ['ghost'];
        },
        VerifyError,
        '%ghost',
      ],
      [
        'constant buffer out of range',
        (d) => {
          d.graph.constants[0].buffer = 9;
        },
        VerifyError,
        'buffer 9',
      ],
      [
        'constant length mismatch',
        (d) => {
          d.graph.constants[0].type.shape = [4];
        },
        VerifyError,
        'needs 4',
      ],
    ];
    for (const [what, mutate, cls, fragment] of mutations) {
      const d = doc();
      mutate(d);
      let err: unknown;
      try {
        deserializeGraph(JSON.stringify(d));
      } catch (e) {
        err = e;
      }
      expect(err, what).toBeInstanceOf(cls);
      expect((err as Error).message, what).toContain(fragment);
    }
  });

  it('unknown major is a VersionError naming both versions', () => {
    const d = doc();
    d.irVersion = '2.0';
    expectTyped(JSON.stringify(d), VersionError, '2.0');
    expectTyped(JSON.stringify(d), VersionError, IR_VERSION);
  });

  it('migrates the v0 fixture to 1.x and it verifies and runs', () => {
    const text = readFileSync(join(import.meta.dirname, 'fixtures', 'v0-graph.json'), 'utf8');
    const g = deserializeGraph(text);
    expect(g.inputs).toEqual([{ id: 'x', type: { dtype: 'float32', shape: [2, 3] } }]);
    expect(g.nodes.map((n) => n.op)).toEqual(['add', 'sum']);
    expect(g.nodes[1]!.attrs).toEqual({ axes: [1], keepdims: false });
    const [out] = interpret(g, [new Float32Array([1, 1, 1, 2, 2, 2])]);
    expect(Array.from(out!.data)).toEqual([9, 12]);
    // the migrated graph is indistinguishable from one written in 1.0 text
    const same = parseGraph(
      'graph @legacy(%x: f32[2,3]) {\n  %k: f32[3] = const [1,2,3]\n  %0: f32[2,3] = add %x, %k\n  %1: f32[2] = sum %0 {axes=[1], keepdims=false}\n  return %1\n}\n',
    );
    expect(g).toStrictEqual(same);
  });

  it('a malformed v0 document fails with a typed error', () => {
    const v0 = JSON.parse(readFileSync(join(import.meta.dirname, 'fixtures', 'v0-graph.json'), 'utf8'));
    v0.graph.params[0].dtype = 'f64';
    expectTyped(JSON.stringify(v0), SerializationError, 'graph.params.0.dtype');
    delete v0.graph.ops;
    v0.graph.params[0].dtype = 'f32';
    expectTyped(JSON.stringify(v0), SerializationError, 'graph.ops');
  });

  it('registerMigration validates its arguments', () => {
    expect(() => registerMigration(0, (d) => d)).toThrow(/already registered/);
    expect(() => registerMigration(1, (d) => d)).toThrow(IrError);
    expect(() => registerMigration(-1, (d) => d)).toThrow(IrError);
  });
});
