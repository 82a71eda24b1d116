import { formatFusionReport } from '@paradox/pass-fusion';
import { type EmitInput, registerEmitter } from './emitters.js';
import { EmitError } from './errors.js';

/** `--emit fusion-report`: why each fusion happened or not (the pipeline must run `fusion`). */
function emitFusionReport({ graph, outputs }: EmitInput): string {
  if (!outputs.fusionReport) throw new EmitError("--emit fusion-report needs a pipeline that runs 'fusion'");
  return formatFusionReport(outputs.fusionReport, graph);
}

registerEmitter({
  name: 'fusion-report',
  description: 'the fusion report (pipeline must run fusion)',
  emit: emitFusionReport,
});
