// @paradox/pass-dce: importing this module registers the 'dce' pass.
import { registerPass } from '@paradox/pass-manager';
import { dcePass } from './dce.js';

registerPass(dcePass);

export { dcePass };
