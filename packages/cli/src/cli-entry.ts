// Process entry of paradox-opt (bin/paradox-opt.js starts this, from dist or from source).
import { main } from './main.js';

process.exitCode = await main(process.argv.slice(2));
