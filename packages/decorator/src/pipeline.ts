// The passes jit's pipeline names register themselves when imported.
import '@paradox/pass-dce';
import '@paradox/pass-cse';
import '@paradox/pass-fold';
import '@paradox/pass-layout';
import '@paradox/pass-fusion';
import { registerPipeline } from '@paradox/pass-manager';

/** What `jit` runs unless told otherwise: clean up to a fixed point, then layout, then fusion. */
export const DEFAULT_PIPELINE = 'fixpoint(dce,cse,fold),layout,fusion';

registerPipeline('default', DEFAULT_PIPELINE);
