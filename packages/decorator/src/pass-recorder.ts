import type { Graph } from '@paradox/ir';
import type { PassInstrumentation } from '@paradox/pass-manager';

/** One pass run as the pass manager saw it. Graphs are kept by reference: passes never mutate them. */
export interface PassRecord {
  pass: string;
  changed: boolean;
  ms: number;
  before: Graph;
  after: Graph;
}

/** Instrumentation that records every pass run, for inspect(); IR text is printed only when asked. */
export function passRecorder(): { records: PassRecord[]; instrumentation: PassInstrumentation } {
  const records: PassRecord[] = [];
  return {
    records,
    instrumentation: {
      afterPass(pass, before, result, ms) {
        records.push({ pass, changed: result.changed, ms, before, after: result.graph });
      },
    },
  };
}
