/**
 * W7 in tfjs's native layout: tfjs convolves NHWC images with HWIO filters, so the tfjs row gets
 * the workload's NCHW/OIHW arrays converted on the host at upload, and the dense weights' rows
 * reordered from (c, h, w) to (h, w, c) to match the NHWC flatten. Results are [batch, 10] either way.
 */
export function cnnInputsNhwc(
  [x, w1, b1, w2, b2, w3, b3]: Float32Array[],
  shapes: number[][],
): { arrays: Float32Array[]; shapes: number[][] } {
  const [n, c0, h, w] = shapes[0]! as [number, number, number, number];
  const nhwc = (a: Float32Array, [n0, c, hh, ww]: number[]) => {
    const out = new Float32Array(a.length);
    for (let i = 0; i < n0!; i++)
      for (let ch = 0; ch < c!; ch++)
        for (let y = 0; y < hh!; y++)
          for (let xx = 0; xx < ww!; xx++)
            out[((i * hh! + y) * ww! + xx) * c! + ch] = a[((i * c! + ch) * hh! + y) * ww! + xx]!;
    return out;
  };
  // OIHW -> HWIO is NCHW -> NHWC of the transposed view: o plays n, i plays c, then move o last.
  const hwio = (a: Float32Array, [o, i, kh, kw]: number[]) => {
    const out = new Float32Array(a.length);
    for (let p = 0; p < o!; p++)
      for (let q = 0; q < i!; q++)
        for (let y = 0; y < kh!; y++)
          for (let xx = 0; xx < kw!; xx++)
            out[((y * kw! + xx) * i! + q) * o! + p] = a[((p * i! + q) * kh! + y) * kw! + xx]!;
    return out;
  };
  const [c2] = shapes[3]! as [number];
  const [flat, outDim] = shapes[5]! as [number, number];
  const side = Math.round(Math.sqrt(flat / c2));
  const dense = new Float32Array(w3!.length);
  for (let c = 0; c < c2; c++)
    for (let p = 0; p < side * side; p++)
      for (let o = 0; o < outDim; o++)
        dense[(p * c2 + c) * outDim + o] = w3![(c * side * side + p) * outDim + o]!;
  const w1s = shapes[1]!;
  const w2s = shapes[3]!;
  return {
    arrays: [nhwc(x!, shapes[0]!), hwio(w1!, w1s), b1!, hwio(w2!, w2s), b2!, dense, b3!],
    shapes: [
      [n, h, w, c0],
      [w1s[2]!, w1s[3]!, w1s[1]!, w1s[0]!],
      shapes[2]!,
      [w2s[2]!, w2s[3]!, w2s[1]!, w2s[0]!],
      shapes[4]!,
      shapes[5]!,
      shapes[6]!,
    ],
  };
}
