import {
  type ContractionShape,
  declareAxes,
  type EmitContext,
  type KernelAnalysis,
  Lines,
  stageContraction,
  tileableContraction,
} from '@paradox/codegen-c/render';
import { type CFrame, PARALLEL_FOR, PARALLEL_MIN_WORK } from './frame.js';

/** Rows of the register block (the micro-kernel keeps MR x NR accumulators in vector registers). */
const MR = 6;
/** Largest NR the C code may pick (32 with AVX-512, 16 with AVX, 8 otherwise); pack buffers are sized for it. */
const MAX_NR = 32;
/** Pack buffers above this many floats per kernel fall back to the reduction template. */
const MAX_PACK = 1 << 26;

/** A float32 contraction the packed micro-kernel handles, or undefined. */
export function tileableMatmul(analysis: KernelAnalysis): ContractionShape | undefined {
  const shape = tileableContraction(analysis);
  if (!shape || analysis.kernel.exprs[shape.acc]!.dtype !== 'float32') return undefined;
  const { M, N, K } = sizes(analysis, shape);
  if (Math.ceil(M / MR) * MR * K > MAX_PACK || Math.ceil(N / MAX_NR) * MAX_NR * K > MAX_PACK)
    return undefined;
  return shape;
}

function sizes(analysis: KernelAnalysis, shape: ContractionShape): { M: number; N: number; K: number } {
  const { domain } = analysis.kernel;
  return { M: domain[shape.m]!, N: domain[shape.n]!, K: analysis.kernel.reduce!.shape[0]! };
}

/**
 * Packed, register-blocked matmul with the epilogue fused, per batch: B is packed into panels of
 * NR columns ([panel][k][NR], zero-padded), A into panels of MR rows ([panel][k][MR]), each
 * element computed by the operand's own load expression (views, guards and fused prologues work
 * unchanged). Each MR x NR tile then accumulates over all of K in 2 x MR native vector
 * accumulators (one broadcast of A times two vectors of B per row and k: FMAs), and the epilogue
 * (`relu(acc + bias)`) runs on the tile before its stores. Tiles are spread over threads.
 */
export function renderMatmul(frame: CFrame, ctx: EmitContext, shape: ContractionShape): Lines {
  const { analysis } = ctx;
  const { kernel } = analysis;
  const I = frame.indexType;
  const lit = frame.literal;
  const rank = kernel.domain.length;
  const batchExtents = kernel.domain.slice(0, rank - 2);
  const B = batchExtents.reduce((a, b) => a * b, 1);
  const { M, N, K } = sizes(analysis, shape);
  const MP = Math.ceil(M / MR);
  const name = frame.name;

  const { batchVars, lhs: lhsLines, rhs: rhsLines, epilogue } = stageContraction(ctx, shape, 'tile[ii][jj]');

  const parallel = M * N * K >= PARALLEL_MIN_WORK;
  const out = new Lines();
  out.push(
    `static float ${name}_pa[${MP * MR * K || 1}] __attribute__((aligned(64)));`,
    `static float ${name}_pb[${Math.ceil(N / MAX_NR) * MAX_NR * K || 1}] __attribute__((aligned(64)));`,
  );
  out.block(frame.signature, () => {
    if (analysis.domainSize === 0) return;
    out.push(`const ${I} NP = (${lit(N)} + PX_NR - 1) / PX_NR;`);
    out.block(`for (${I} batch = 0; batch < ${lit(B)}; ++batch)`, () => {
      declareAxes(out, batchExtents, batchVars.axes, 'batch', 'a', I, lit);
      // Largest |element| of each packed operand (Inf for NaN): decides below whether FMAs are exact enough.
      out.push('float ma = 0.0f, mb = 0.0f;');
      // Both packs read their operand along its rows (B row k for every panel; A row m along k) and
      // fold the max in vector lanes: a strided walk or a scalar max chain costs more than the copy.
      if (parallel) out.push(`${PARALLEL_FOR} reduction(max:mb)`);
      out.block(`for (${I} k = 0; k < ${lit(K)}; ++k)`, () => {
        out.block(`for (${I} jp = 0; jp < NP; ++jp)`, () => {
          out.push('#pragma omp simd reduction(max:mb)');
          out.block('for (int jj = 0; jj < PX_NR; ++jj)', () => {
            out.push(`const ${I} n = jp * PX_NR + jj;`, 'float value = 0.0f;');
            out.block(`if (n < ${lit(N)})`, () => out.append(rhsLines));
            out.push(`${name}_pb[(jp * ${lit(K)} + k) * PX_NR + jj] = value;`, maxAbs('mb'));
          });
        });
      });
      if (parallel) out.push(`${PARALLEL_FOR} reduction(max:ma)`);
      out.block(`for (${I} ip = 0; ip < ${lit(MP)}; ++ip)`, () => {
        out.block(`for (int ii = 0; ii < ${MR}; ++ii)`, () => {
          out.push(`const ${I} m = ip * ${MR} + ii;`);
          out.push('#pragma omp simd reduction(max:ma)');
          out.block(`for (${I} k = 0; k < ${lit(K)}; ++k)`, () => {
            out.push('float value = 0.0f;');
            out.block(`if (m < ${lit(M)})`, () => out.append(lhsLines));
            out.push(`${name}_pa[(ip * ${lit(K)} + k) * ${MR} + ii] = value;`, maxAbs('ma'));
          });
        });
      });
      // Below 1e38 no product or partial sum can overflow, so a fused multiply-add rounds to the
      // reference's result within tolerance; otherwise each product is rounded before its sum, as
      // the reference does (an overflowing product is Inf, and Inf - Inf is NaN).
      out.push(`const int fused = (double)ma * (double)mb * ${lit(K)}.0 < 1e38;`);
      if (parallel) out.push(PARALLEL_FOR);
      out.block(`for (${I} t = 0; t < NP * ${lit(MP)}; ++t)`, () => {
        // Consecutive tiles share a B panel, which stays in cache.
        out.push(`const ${I} jp = t / ${lit(MP)}, ip = t % ${lit(MP)};`);
        out.push(`const float* pa = ${name}_pa + ip * ${lit(K)} * ${MR};`);
        out.push(`const float* pb = ${name}_pb + jp * ${lit(K)} * PX_NR;`);
        // Separate native-width vectors (not an array, not one wide vector type): the 2 x MR
        // accumulators must live in registers.
        const rows = Array.from({ length: MR }, (_, ii) => ii);
        const acc = rows.flatMap((ii) => [`c${ii}_0`, `c${ii}_1`]);
        out.push(`px_v ${acc.map((c) => `${c} = (px_v){0}`).join(', ')};`);
        // Two copies of the k loop keep the test out of the hot loop.
        const kLoop = (fma: boolean) =>
          out.block(`for (${I} k = 0; k < ${lit(K)}; ++k)`, () => {
            out.push('px_v b0, b1;', '__builtin_memcpy(&b0, pb + k * PX_NR, sizeof b0);');
            out.push('__builtin_memcpy(&b1, pb + k * PX_NR + PX_VW, sizeof b1);');
            out.push(`const float* a = pa + k * ${MR};`);
            for (const ii of rows) {
              for (const h of [0, 1]) {
                const c = `c${ii}_${h}`;
                out.push(fma ? `${c} = PX_FMA(a[${ii}], b${h}, ${c});` : `${c} += a[${ii}] * b${h};`);
              }
            }
          });
        out.block('if (fused)', () => kLoop(true));
        out.block('else', () => kLoop(false));
        out.push(`float tile[${MR}][PX_NR];`);
        for (const ii of rows) {
          out.push(`__builtin_memcpy(tile[${ii}], &c${ii}_0, sizeof c${ii}_0);`);
          out.push(`__builtin_memcpy(tile[${ii}] + PX_VW, &c${ii}_1, sizeof c${ii}_1);`);
        }
        out.block(`for (int ii = 0; ii < ${MR}; ++ii)`, () => {
          out.push(`const ${I} m = ip * ${MR} + ii;`);
          out.push(`if (m >= ${lit(M)}) break;`);
          out.push('#pragma omp simd');
          out.block('for (int jj = 0; jj < PX_NR; ++jj)', () => {
            out.push(`const ${I} n = jp * PX_NR + jj;`);
            out.block(`if (n < ${lit(N)})`, () => out.append(epilogue));
          });
        });
      });
    });
  });
  return out;
}

/** `m = max(m, |value|)`, NaN counted as Inf. */
const maxAbs = (m: string) =>
  `{ const float av = value == value ? __builtin_fabsf(value) : __builtin_inff(); ${m} = av > ${m} ? av : ${m}; }`;

/**
 * The C definitions the micro-kernel needs: the native float vector (PX_VW lanes), NR = 2 vectors,
 * and PX_FMA(scalar, vector, acc), an explicit fused multiply-add (the program is compiled with
 * -ffp-contract=off, so nothing else is fused).
 */
export const MATMUL_PRELUDE = `#if defined(__AVX512F__)
#include <immintrin.h>
#define PX_VW 16
#define PX_FMA(s, v, c) ((px_v)_mm512_fmadd_ps(_mm512_set1_ps(s), (__m512)(v), (__m512)(c)))
#elif defined(__AVX__)
#define PX_VW 8
#if defined(__FMA__)
#include <immintrin.h>
#define PX_FMA(s, v, c) ((px_v)_mm256_fmadd_ps(_mm256_set1_ps(s), (__m256)(v), (__m256)(c)))
#endif
#else
#define PX_VW 4
#endif
#if !defined(PX_FMA) && defined(__ARM_FEATURE_FMA) && PX_VW == 4
#include <arm_neon.h>
#define PX_FMA(s, v, c) ((px_v)vfmaq_n_f32((float32x4_t)(c), (float32x4_t)(v), (s)))
#endif
#ifndef PX_FMA
#define PX_FMA(s, v, c) ((c) + (s) * (v))
#endif
#define PX_NR (2 * PX_VW)
typedef float px_v __attribute__((vector_size(PX_VW * 4)));`;
