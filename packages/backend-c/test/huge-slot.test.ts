import { MalformedProgramError } from '@paradox/backend';
import { GraphBuilder } from '@paradox/ir';
import { lowerGraph } from '@paradox/pass-lower';
import { describe, expect, it } from 'vitest';
import { cBackend } from '../src/index.js';

describe.skipIf(cBackend.unavailableReason !== undefined)('backend-c program storage', () => {
  it('a slot the host cannot allocate is a typed error naming the slot, not a RangeError', () => {
    // Regression (fuzz compile:c): a valid program whose memory plan asks for a 2^40-byte slot made
    // compile() throw a bare "RangeError: Array buffer allocation failed".
    const b = new GraphBuilder('huge');
    const x = b.input('x', { dtype: 'float32', shape: [4, 8] });
    // Unfused, the sum is a temporary in a memory-plan slot that the exp kernel reads.
    const graph = b.output(b.op('exp', [b.op('sum', [x], { axes: [1], keepdims: true })])).build();
    const program = structuredClone(lowerGraph(graph));
    expect(program.slots.length).toBeGreaterThan(0);
    program.slots[0]!.bytes = 2 ** 40;
    let error: unknown;
    try {
      cBackend.compile(program);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(MalformedProgramError);
    expect(String((error as Error).message)).toMatch(/slot 0 needs 1099511627776 bytes/);
  });
});
