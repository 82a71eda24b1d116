import {
  allocateHostBuffer,
  asHostBuffer,
  type Backend,
  BackendRegistrationError,
  BufferMismatchError,
  checkProgram,
  checkProgramSupported,
  checkRunInputs,
  defaultTiers,
  getBackend,
  KernelLimitError,
  listBackends,
  NoBackendError,
  registerBackend,
  supportedOps,
  UnknownBackendError,
  UnsupportedDtypeError,
  UnsupportedOpError,
  unregisterBackend,
  uploadHostBuffer,
} from '@paradox/backend';
import { type KernelProgram, VerifyError } from '@paradox/ir';
import { afterEach, describe, expect, it } from 'vitest';

const fake = (
  name: string,
  ops: string[] = ['add'],
  dtypes: Backend['capabilities']['dtypes'] = ['float32'],
): Backend => ({
  name,
  capabilities: { dtypes, ops: new Set(ops), maxBuffersPerKernel: 3, sync: true },
  compile: () => {
    throw new Error('not used');
  },
  allocate: (dtype, size) => allocateHostBuffer(name, dtype, size),
  upload: () => {},
  download: () => new Float32Array(),
  free: () => {},
});

const program = (over: Partial<KernelProgram> = {}): KernelProgram => ({
  irVersion: '1.0',
  name: 'p',
  inputs: [0, 1],
  outputs: [2],
  inputShapes: [[4], [4]],
  outputShapes: [[4]],
  slots: [],
  constants: [],
  buffers: [
    { id: 0, dtype: 'float32', size: 4, kind: 'input' },
    { id: 1, dtype: 'float32', size: 4, kind: 'input' },
    { id: 2, dtype: 'float32', size: 4, kind: 'output' },
  ],
  kernels: [
    {
      name: 'k0',
      kind: 'elementwise',
      domain: [4],
      exprs: [
        { op: 'load', dtype: 'float32', buffer: 0, index: { k: 'axis', axis: 0 } },
        { op: 'load', dtype: 'float32', buffer: 1, index: { k: 'axis', axis: 0 } },
        { op: 'binary', fn: 'add', dtype: 'float32', a: 0, b: 1 },
      ],
      stores: [{ buffer: 2, index: { k: 'axis', axis: 0 }, value: 2 }],
    },
  ],
  ...over,
});

describe('registry', () => {
  afterEach(() => {
    for (const n of listBackends()) unregisterBackend(n);
  });

  it('has no default until a backend registers, and names the package to import', () => {
    expect(() => getBackend()).toThrow(NoBackendError);
    expect(() => getBackend()).toThrow(/import '@paradox\/backend-js'/);
  });

  it('picks the highest priority as default, earliest on ties', () => {
    const a = fake('a');
    const b = fake('b');
    const c = fake('c');
    registerBackend(a, { priority: 5 });
    registerBackend(b, { priority: 100 });
    registerBackend(c, { priority: 100 });
    expect(getBackend()).toBe(b);
    expect(listBackends()).toEqual(['b', 'c', 'a']);
    expect(getBackend('a')).toBe(a);
  });

  it('never makes a slow-compile backend the default; default tiers put it first when it outranks', () => {
    const js = fake('js');
    const wasm = fake('wasm');
    const c = fake('c');
    registerBackend(c, { priority: 200, slowCompile: true });
    // Only a slow backend: it is the default, with no tier above it.
    expect(getBackend()).toBe(c);
    expect(defaultTiers()).toEqual(['c']);
    registerBackend(js, { priority: 100 });
    expect(getBackend()).toBe(js);
    expect(defaultTiers()).toEqual(['c', 'js']);
    registerBackend(wasm, { priority: 150 });
    expect(getBackend()).toBe(wasm);
    expect(listBackends()).toEqual(['wasm', 'js', 'c']);
    expect(defaultTiers()).toEqual(['c', 'wasm']);
    // Below the quick default, a slow backend is chosen by name only.
    registerBackend(c, { priority: 50, slowCompile: true });
    expect(defaultTiers()).toEqual(['wasm']);
  });

  it('has no default tiers without a backend', () => {
    expect(() => defaultTiers()).toThrow(NoBackendError);
  });

  it('names the registered backends when asked for an unknown one', () => {
    registerBackend(fake('a'));
    expect(() => getBackend('wgsl')).toThrow(UnknownBackendError);
    expect(() => getBackend('wgsl')).toThrow(/unknown backend 'wgsl'; registered: a/);
  });

  it('rejects a different backend under a taken name unless replacing', () => {
    registerBackend(fake('a'));
    expect(() => registerBackend(fake('a'))).toThrow(BackendRegistrationError);
    const next = fake('a');
    registerBackend(next, { replace: true });
    expect(getBackend('a')).toBe(next);
    expect(() => registerBackend(fake('bad name!'))).toThrow(BackendRegistrationError);
  });
});

describe('checkProgramSupported', () => {
  it('accepts a program within the capabilities', () => {
    expect(() => checkProgramSupported(fake('x'), program())).not.toThrow();
  });
  it('names a missing op and the backend', () => {
    expect(() => checkProgramSupported(fake('x', ['mul']), program())).toThrow(UnsupportedOpError);
    expect(() => checkProgramSupported(fake('x', ['mul']), program())).toThrow(
      /backend 'x' does not support op 'add' \(kernel 0, expr 2\)/,
    );
  });
  it('names a missing dtype', () => {
    expect(() => checkProgramSupported(fake('x', ['add'], ['int32']), program())).toThrow(
      UnsupportedDtypeError,
    );
    expect(() => checkProgramSupported(fake('x', ['add'], ['int32']), program())).toThrow(/dtype 'float32'/);
  });
  it('enforces the buffer limit per kernel', () => {
    const b = { ...fake('x'), capabilities: { ...fake('x').capabilities, maxBuffersPerKernel: 2 } };
    expect(() => checkProgramSupported(b, program())).toThrow(KernelLimitError);
  });
  it('maps contraction kernels to matmul', () => {
    const p = program();
    p.kernels[0]!.kind = 'contraction';
    expect(() => checkProgramSupported(fake('x'), p)).toThrow(/op 'matmul'/);
  });
});

describe('checkProgram', () => {
  it('verifies the program before checking capabilities', () => {
    expect(() => checkProgram(fake('x'), program())).not.toThrow();
    const p = program();
    p.kernels[0]!.stores[0]!.index = { k: 'add', a: { k: 'axis', axis: 0 }, b: { k: 'const', v: 4 } };
    expect(() => checkProgram(fake('x'), p)).toThrow(VerifyError);
    expect(() => checkProgram(fake('x'), p)).toThrow('store index ranges over [4, 7], outside b2 of size 4');
    expect(() => checkProgram(fake('x'), { ...program(), kernels: [null] })).toThrow(VerifyError);
    expect(() => checkProgram(fake('x', ['mul']), program())).toThrow(UnsupportedOpError);
  });
});

describe('host buffers and run inputs', () => {
  it('checks ownership, liveness and upload sizes', () => {
    const buf = allocateHostBuffer('a', 'int32', 3);
    expect(() => asHostBuffer(buf, 'b')).toThrow(BufferMismatchError);
    expect(() => uploadHostBuffer(buf, new Int32Array(4))).toThrow(/4 elements into a buffer of 3/);
    expect(() => uploadHostBuffer(buf, new Float32Array(3))).toThrow(BufferMismatchError);
    uploadHostBuffer(buf, Int32Array.from([1, 2, 3]));
    expect([...buf.data]).toEqual([1, 2, 3]);
    buf.freed = true;
    expect(() => asHostBuffer(buf, 'a')).toThrow(/after free/);
  });
  it('checks count, dtype and size of run() inputs', () => {
    const p = program();
    const f = (dtype: 'float32' | 'int32', n: number) => allocateHostBuffer('x', dtype, n);
    expect(() => checkRunInputs(p, [f('float32', 4)], 'x')).toThrow(/expects 2 input/);
    expect(() => checkRunInputs(p, [f('float32', 4), f('int32', 4)], 'x')).toThrow(
      /input 1 should be float32 x 4/,
    );
    expect(() => checkRunInputs(p, [f('float32', 4), f('float32', 4)], 'x')).not.toThrow();
  });
});

describe('supportedOps', () => {
  it("adds every op kernels express structurally (registry traits) to a renderer's unary/binary ops", () => {
    expect([...supportedOps(['exp'], ['add'])].sort()).toEqual(
      [
        'exp',
        'add',
        'sum',
        'prod',
        'max',
        'min',
        'argmax',
        'argmin',
        'matmul',
        'reshape',
        'transpose',
        'broadcast',
        'slice',
        'pad',
        'concat',
        'cast',
        'where',
        'constant',
        'full',
        'iota',
        'random',
        'gather',
        'scatterAdd',
        'erf',
        'conv',
        'convTranspose',
        'maxPool',
        'avgPool',
        'cumsum',
      ].sort(),
    );
  });
});
