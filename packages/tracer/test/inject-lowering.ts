// What importing @paradox/jit does: eager ops run on the registered backend, lowered by pass-lower.
import { lowerGraph } from '@paradox/pass-lower';
import { setEagerLowering } from '../src/index.js';

setEagerLowering(lowerGraph);
