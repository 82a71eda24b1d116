import { CudaCompileError } from '../errors.js';
import { type KoffiLibrary, openLibrary } from './koffi.js';

/** Raw NVRTC bindings. Out-parameters are one-element arrays; results are nvrtcResult (0 = success). */
interface NvrtcApi {
  nvrtcVersion(major: number[], minor: number[]): number;
  nvrtcCreateProgram(
    program: (bigint | null)[],
    source: string,
    name: string,
    headers: number,
    headerSources: null,
    includeNames: null,
  ): number;
  nvrtcCompileProgram(program: bigint, count: number, options: string[]): number;
  nvrtcGetProgramLogSize(program: bigint, size: number[]): number;
  nvrtcGetProgramLog(program: bigint, log: Uint8Array): number;
  nvrtcGetPTXSize(program: bigint, size: number[]): number;
  nvrtcGetPTX(program: bigint, ptx: Uint8Array): number;
  nvrtcGetCUBINSize(program: bigint, size: number[]): number;
  nvrtcGetCUBIN(program: bigint, cubin: Uint8Array): number;
  nvrtcDestroyProgram(program: bigint[]): number;
  nvrtcGetErrorString(result: number): string;
  nvrtcGetNumSupportedArchs(count: number[]): number;
  nvrtcGetSupportedArchs(archs: Int32Array): number;
}

const PROTOTYPES: Record<keyof NvrtcApi, string> = {
  nvrtcVersion: 'int nvrtcVersion(_Out_ int *major, _Out_ int *minor)',
  nvrtcCreateProgram:
    'int nvrtcCreateProgram(_Out_ void **program, const char *source, const char *name, int headers, ' +
    'const char **headerSources, const char **includeNames)',
  nvrtcCompileProgram: 'int nvrtcCompileProgram(void *program, int count, const char **options)',
  nvrtcGetProgramLogSize: 'int nvrtcGetProgramLogSize(void *program, _Out_ size_t *size)',
  nvrtcGetProgramLog: 'int nvrtcGetProgramLog(void *program, void *log)',
  nvrtcGetPTXSize: 'int nvrtcGetPTXSize(void *program, _Out_ size_t *size)',
  nvrtcGetPTX: 'int nvrtcGetPTX(void *program, void *ptx)',
  nvrtcGetCUBINSize: 'int nvrtcGetCUBINSize(void *program, _Out_ size_t *size)',
  nvrtcGetCUBIN: 'int nvrtcGetCUBIN(void *program, void *cubin)',
  nvrtcDestroyProgram: 'int nvrtcDestroyProgram(_Inout_ void **program)',
  nvrtcGetErrorString: 'const char *nvrtcGetErrorString(int result)',
  nvrtcGetNumSupportedArchs: 'int nvrtcGetNumSupportedArchs(_Out_ int *count)',
  nvrtcGetSupportedArchs: 'int nvrtcGetSupportedArchs(void *archs)',
};

/** Library names tried in order; PARADOX_NVRTC overrides them. */
export function nvrtcCandidates(): string[] {
  const override = process.env.PARADOX_NVRTC;
  if (override) return [override];
  if (process.platform === 'win32') return ['nvrtc64_130_0.dll', 'nvrtc64_120_0.dll', 'nvrtc64_112_0.dll'];
  const names = ['libnvrtc.so', 'libnvrtc.so.13', 'libnvrtc.so.12', 'libnvrtc.so.11.2'];
  const dirs = [process.env.CUDA_HOME, process.env.CUDA_PATH, '/usr/local/cuda']
    .filter((d): d is string => !!d)
    .map((d) => `${d}/lib64`);
  return [...names, ...dirs.flatMap((d) => names.map((n) => `${d}/${n}`))];
}

/** The compiled image of one source: a cubin for the device's own architecture (preferred) or PTX. */
export interface NvrtcImage {
  kind: 'cubin' | 'ptx';
  /** Bytes to hand to cuModuleLoadData (PTX is NUL-terminated). */
  data: Uint8Array;
  log: string;
}

/** NVRTC, loaded lazily: compiles CUDA C to a cubin for one compute capability. */
export class Nvrtc {
  private readonly api: NvrtcApi;
  readonly version: { major: number; minor: number };

  constructor(path?: string) {
    const lib: KoffiLibrary = openLibrary(
      'the NVRTC library (libnvrtc)',
      path ? [path] : nvrtcCandidates(),
      'install the CUDA toolkit or set PARADOX_NVRTC to its path',
    );
    const api: Partial<Record<keyof NvrtcApi, unknown>> = {};
    for (const [name, prototype] of Object.entries(PROTOTYPES)) {
      try {
        api[name as keyof NvrtcApi] = lib.func(prototype);
      } catch {
        // nvrtcGetCUBIN* (11.1) and nvrtcGetSupportedArchs (11.2) are optional: compile() falls back to PTX.
      }
    }
    this.api = api as NvrtcApi;
    const major = [0];
    const minor = [0];
    this.api.nvrtcVersion(major, minor);
    this.version = { major: major[0]!, minor: minor[0]! };
  }

  /**
   * Architectures this NVRTC can target (undefined when it cannot say). A device newer than all
   * of them gets PTX for the newest one, which the driver compiles at load time.
   */
  supportedArchs(): number[] | undefined {
    if (typeof this.api.nvrtcGetSupportedArchs !== 'function') return undefined;
    const count = [0];
    if (this.api.nvrtcGetNumSupportedArchs(count) !== 0 || count[0]! <= 0) return undefined;
    const archs = new Int32Array(count[0]!);
    if (this.api.nvrtcGetSupportedArchs(archs) !== 0) return undefined;
    return Array.from(archs);
  }

  /**
   * Compiles `source` for the device architecture `arch` (e.g. 90): a cubin for sm_<arch> when
   * NVRTC supports it, else PTX for the newest architecture it knows below it. Throws
   * CudaCompileError with NVRTC's log on failure.
   */
  compile(source: string, arch: number, name = 'paradox.cu'): NvrtcImage {
    const api = this.api;
    const supported = this.supportedArchs();
    const cubinAvailable = typeof api.nvrtcGetCUBIN === 'function';
    let target = `compute_${arch}`;
    if (supported && !supported.includes(arch)) {
      const below = supported.filter((a) => a <= arch);
      target = `compute_${below.length > 0 ? Math.max(...below) : Math.min(...supported)}`;
    } else if (cubinAvailable) {
      target = `sm_${arch}`;
    }
    const handle: (bigint | null)[] = [null];
    this.check('nvrtcCreateProgram', api.nvrtcCreateProgram(handle, source, name, 0, null, null));
    const program = handle[0]!;
    try {
      const options = [`--gpu-architecture=${target}`];
      const result = api.nvrtcCompileProgram(program, options.length, options);
      const log = this.log(program);
      if (result !== 0) throw new CudaCompileError(`NVRTC (${api.nvrtcGetErrorString(result)})`, log, source);
      const size = [0];
      if (target.startsWith('sm_')) {
        this.check('nvrtcGetCUBINSize', api.nvrtcGetCUBINSize(program, size));
        const data = new Uint8Array(size[0]!);
        this.check('nvrtcGetCUBIN', api.nvrtcGetCUBIN(program, data));
        return { kind: 'cubin', data, log };
      }
      this.check('nvrtcGetPTXSize', api.nvrtcGetPTXSize(program, size));
      const data = new Uint8Array(size[0]!);
      this.check('nvrtcGetPTX', api.nvrtcGetPTX(program, data));
      return { kind: 'ptx', data, log };
    } finally {
      api.nvrtcDestroyProgram([program]);
    }
  }

  private log(program: bigint): string {
    const size = [0];
    if (this.api.nvrtcGetProgramLogSize(program, size) !== 0 || size[0]! <= 1) return '';
    const bytes = new Uint8Array(size[0]!);
    this.api.nvrtcGetProgramLog(program, bytes);
    return new TextDecoder().decode(
      bytes.subarray(0, bytes.indexOf(0) < 0 ? bytes.length : bytes.indexOf(0)),
    );
  }

  private check(call: string, result: number): void {
    if (result !== 0)
      throw new CudaCompileError(`NVRTC ${call} (${this.api.nvrtcGetErrorString(result)})`, '', '');
  }
}
