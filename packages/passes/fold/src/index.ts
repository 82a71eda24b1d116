// @paradox/pass-fold: importing this module registers the 'fold' pass.
import { registerPass } from '@paradox/pass-manager';
import { foldPass } from './fold.js';

registerPass(foldPass);

export { DEFAULT_FOLD_MAX_ELEMENTS, foldPass } from './fold.js';
export { type Rewrite, SIMPLIFY_RULES, type SimplifyRule } from './simplify-rules.js';
