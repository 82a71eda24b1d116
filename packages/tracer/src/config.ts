/** Tracer settings. */
export interface TracerConfig {
  /**
   * A closed-over eager tensor with more elements than this is still captured as a graph constant, but
   * with a console warning: it is copied into every compiled program, and passing it as an argument
   * is usually what was meant. Infinity silences the warning.
   */
  constantWarningElements: number;
}

const config: TracerConfig = { constantWarningElements: 100_000 };

export const tracerConfig = (): Readonly<TracerConfig> => config;

/** Updates settings; returns the previous ones so tests can restore them. */
export function configureTracer(options: Partial<TracerConfig>): TracerConfig {
  const previous = { ...config };
  Object.assign(config, options);
  return previous;
}
