import { Bytes } from './bytes.js';
import { ConstantPool } from './constant-pool.js';
import type { FunctionBody } from './function-body.js';

/** Value types of the binary format. */
export const I32 = 0x7f;
export const I64 = 0x7e;
export const F32 = 0x7d;
export const F64 = 0x7c;
export const V128 = 0x7b;
export type ValType = typeof I32 | typeof I64 | typeof F32 | typeof F64 | typeof V128;

export interface FuncType {
  params: ValType[];
  results: ValType[];
}

interface Func {
  type: number;
  body: FunctionBody;
  export?: string;
}

/**
 * Assembles a module: one imported memory, imported helper functions, defined functions and their
 * exports. Every name it writes is chosen by the backend ('env', 'memory', 'k0', ...), never by IR.
 */
export class ModuleBuilder {
  private readonly types: FuncType[] = [];
  private readonly typeKeys = new Map<string, number>();
  private readonly imports: { module: string; name: string; type: number }[] = [];
  private readonly funcs: Func[] = [];
  private memory?: { minPages: number; maxPages: number; shared: boolean };
  /** v128 constants of functions that hoist them (the global section). */
  readonly constants = new ConstantPool();

  typeIndex(t: FuncType): number {
    const key = `${t.params.join(',')}:${t.results.join(',')}`;
    let i = this.typeKeys.get(key);
    if (i === undefined) {
      i = this.types.length;
      this.types.push(t);
      this.typeKeys.set(key, i);
    }
    return i;
  }

  importMemory(minPages: number, maxPages: number, shared: boolean): void {
    this.memory = { minPages, maxPages, shared };
  }

  /** Imports must all come before defined functions; returns the function index. */
  importFunction(module: string, name: string, type: FuncType): number {
    if (this.funcs.length > 0) throw new Error('imports must precede defined functions');
    this.imports.push({ module, name, type: this.typeIndex(type) });
    return this.imports.length - 1;
  }

  /** Index the next defined function will get (so bodies can call functions defined later). */
  nextFunctionIndex(): number {
    return this.imports.length + this.funcs.length;
  }

  addFunction(type: FuncType, body: FunctionBody, exportName?: string): number {
    this.funcs.push({ type: this.typeIndex(type), body, export: exportName });
    return this.imports.length + this.funcs.length - 1;
  }

  encode(): Uint8Array {
    const out = new Bytes().raw([0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00]);
    const section = (id: number, fill: (b: Bytes) => void) => {
      const body = new Bytes();
      fill(body);
      out.byte(id).u32(body.length).append(body);
    };
    section(1, (b) => {
      b.u32(this.types.length);
      for (const t of this.types) {
        b.byte(0x60).u32(t.params.length).raw(t.params).u32(t.results.length).raw(t.results);
      }
    });
    section(2, (b) => {
      b.u32(this.imports.length + (this.memory ? 1 : 0));
      if (this.memory) {
        const m = this.memory;
        b.name('env').name('memory').byte(0x02);
        b.byte(m.shared ? 0x03 : 0x01)
          .u32(m.minPages)
          .u32(m.maxPages);
      }
      for (const imp of this.imports) b.name(imp.module).name(imp.name).byte(0x00).u32(imp.type);
    });
    section(3, (b) => {
      b.u32(this.funcs.length);
      for (const f of this.funcs) b.u32(f.type);
    });
    if (this.constants.size > 0) section(6, (b) => this.constants.encode(b));
    const exported = this.funcs
      .map((f, i) => ({ name: f.export, index: this.imports.length + i }))
      .filter((e): e is { name: string; index: number } => e.name !== undefined);
    section(7, (b) => {
      b.u32(exported.length);
      for (const e of exported) b.name(e.name).byte(0x00).u32(e.index);
    });
    section(10, (b) => {
      b.u32(this.funcs.length);
      for (const f of this.funcs) {
        const code = f.body.encode();
        b.u32(code.length).append(code);
      }
    });
    return out.view().slice();
  }
}
