// Importing @paradox/jit makes eager ops run on the registered backend: the tracer imports no lowering
// pass itself (without one it runs eager ops on the reference interpreter), so jit injects pass-lower's.

import { lowerGraph } from '@paradox/pass-lower';
import { setEagerLowering } from '@paradox/tracer';

setEagerLowering(lowerGraph);
