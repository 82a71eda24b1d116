import type { Attrs } from '@paradox/ir';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  type ApplyPrimitive,
  interpreterExecutor,
  setEagerExecutor,
  type Tensor,
  type TraceInterpreter,
  tensor,
  trace,
  withTraceInterpreter,
} from '../src/index.js';
import { expectTensor } from './helpers.js';

// Trace interpreters defined here, outside the tracer: one that records primitive applications,
// one that rewrites them, and forward-mode autodiff (JVP) keeping tangents beside primals.
beforeAll(() => {
  setEagerExecutor(interpreterExecutor);
});

class Recorder implements TraceInterpreter {
  readonly ops: string[] = [];
  applyPrimitive(op: string, inputs: readonly Tensor[], attrs: Attrs, next: ApplyPrimitive): Tensor {
    this.ops.push(op);
    return next(op, inputs, attrs);
  }
}

const f = (x: Tensor) => x.mul(3).add(1).relu();

describe('trace interpreters', () => {
  it('receive every primitive application, the ones a trace records', () => {
    const recorder = new Recorder();
    const y = withTraceInterpreter(recorder, () => f(tensor([-1, 0, 2])));
    expectTensor(y, 'float32', [0, 1, 7]);
    const graph = trace(f, tensor([-1, 0, 2]));
    expect(recorder.ops).toEqual(graph.nodes.map((n) => n.op));
    expect(recorder.ops.filter((op) => ['mul', 'add', 'relu'].includes(op))).toEqual(['mul', 'add', 'relu']);
  });

  it('can rewrite primitives (every add becomes a sub)', () => {
    const rewrite: TraceInterpreter = {
      applyPrimitive: (op, inputs, attrs, next) => next(op === 'add' ? 'sub' : op, inputs, attrs),
    };
    expectTensor(
      withTraceInterpreter(rewrite, () => f(tensor([-1, 0, 2]))),
      'float32',
      [0, 0, 5],
    );
  });

  it('nest: the inner level receives an op first and passes it outward', () => {
    const seen: string[] = [];
    const tag = (name: string): TraceInterpreter => ({
      applyPrimitive(op, inputs, attrs, next) {
        seen.push(`${name}:${op}`);
        return next(op, inputs, attrs);
      },
    });
    withTraceInterpreter(tag('outer'), () => withTraceInterpreter(tag('inner'), () => tensor([1, 2]).neg()));
    expect(seen.slice(-2)).toEqual(['inner:neg', 'outer:neg']);
  });

  it('compute with tensors themselves without re-entering their own level (forward-mode autodiff)', () => {
    const x0 = [0.5, -1.25, 2];
    const x = tensor(x0);
    const jvp = new Jvp();
    jvp.seed(x, tensor([1, 1, 1]));
    const y = withTraceInterpreter(jvp, () => x.sin().mul(x).add(x.exp()));
    const dy = jvp.tangent(y)!;
    // d/dx (sin x * x + exp x) = cos x * x + sin x + exp x
    expectTensor(
      dy,
      'float32',
      x0.map((v) => Math.cos(v) * v + Math.sin(v) + Math.exp(v)),
    );
    expectTensor(
      y,
      'float32',
      x0.map((v) => Math.sin(v) * v + Math.exp(v)),
    );
  });

  it('work while tracing: the trace records what the level applies below it', () => {
    const graph = trace(
      (x: Tensor) => {
        const jvp = new Jvp();
        jvp.seed(x, x.mul(0).add(1));
        const y = withTraceInterpreter(jvp, () => x.mul(x));
        return [y, jvp.tangent(y)!];
      },
      tensor([3, -2]),
    );
    expect(graph.outputs).toHaveLength(2);
    expect(graph.nodes.filter((n) => n.op === 'mul').length).toBeGreaterThanOrEqual(3);
  });
});

/** Forward-mode autodiff for the primitives used above, as a trace level outside the tracer. */
export class Jvp implements TraceInterpreter {
  private readonly tangents = new WeakMap<Tensor, Tensor>();

  seed(x: Tensor, dx: Tensor): void {
    this.tangents.set(x, dx);
  }

  tangent(x: Tensor): Tensor | undefined {
    return this.tangents.get(x);
  }

  applyPrimitive(op: string, inputs: readonly Tensor[], attrs: Attrs, next: ApplyPrimitive): Tensor {
    const out = next(op, inputs, attrs);
    const d = inputs.map((t) => this.tangents.get(t));
    if (d.every((t) => t === undefined)) return out;
    const zero = (i: number) => d[i] ?? inputs[i]!.mul(0);
    const [a, b] = inputs as [Tensor, Tensor];
    let dout: Tensor;
    switch (op) {
      case 'add':
        dout = zero(0).add(zero(1));
        break;
      case 'sub':
        dout = zero(0).sub(zero(1));
        break;
      case 'mul':
        dout = zero(0)
          .mul(b)
          .add(a.mul(zero(1)));
        break;
      case 'sin':
        dout = zero(0).mul(a.cos());
        break;
      case 'exp':
        dout = zero(0).mul(out);
        break;
      case 'broadcast':
      case 'cast':
        dout = next(op, [zero(0)], attrs);
        break;
      default:
        throw new Error(`jvp: no rule for ${op}`);
    }
    this.tangents.set(out, dout);
    return out;
  }
}
