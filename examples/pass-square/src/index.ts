// @paradox/example-pass-square: importing it registers the pass 'pow2-to-mul' (for jit's
// `insert` option and `paradox-opt --load @paradox/example-pass-square`).
import { registerPass } from '@paradox/pass-manager';
import { squarePass } from './square-pass.js';

export { squarePass } from './square-pass.js';

registerPass(squarePass);
