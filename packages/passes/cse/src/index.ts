// @paradox/pass-cse: importing this module registers the 'cse' pass.
import { registerPass } from '@paradox/pass-manager';
import { csePass } from './cse.js';

registerPass(csePass);

export { csePass };
export { canonicalKey } from './canonical-key.js';
