// The passes jit's pipeline names register themselves when imported.
import '@paradox/pass-dce';
import '@paradox/pass-cse';
import '@paradox/pass-fold';
import '@paradox/pass-layout';
import '@paradox/pass-fusion';

/** What `jit` runs unless told otherwise: clean up to a fixed point, then layout, then fusion. */
export { DEFAULT_PIPELINE } from '@paradox/pass-manager';
