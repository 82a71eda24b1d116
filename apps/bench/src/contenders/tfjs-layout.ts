/**
 * W7 in tfjs's native layout: tfjs convolves NHWC images with HWIO filters, so the tfjs row gets
 * the workload's NCHW/OIHW arrays converted on the host at upload, and the dense weights' rows
 * reordered from (c, h, w) to (h, w, c) to match the NHWC flatten. Results are [batch, 10] either way.
 */
export function cnnInputsNhwc(
  [x, w1, b1, w2, b2, w3, b3]: Float32Array[],
  shapes: number[][],
): { arrays: Float32Array[]; shapes: number[][] } {
  const nhwc = [0, 2, 3, 1];
  const hwio = [2, 3, 1, 0];
  const [c2] = shapes[3]! as [number];
  const [flat, outDim] = shapes[5]! as [number, number];
  const side = Math.round(Math.sqrt(flat / c2));
  const dense = new Float32Array(w3!.length);
  for (let c = 0; c < c2; c++)
    for (let p = 0; p < side * side; p++)
      for (let o = 0; o < outDim; o++)
        dense[(p * c2 + c) * outDim + o] = w3![(c * side * side + p) * outDim + o]!;
  return {
    arrays: [
      permute4(x!, shapes[0]!, nhwc),
      permute4(w1!, shapes[1]!, hwio),
      b1!,
      permute4(w2!, shapes[3]!, hwio),
      b2!,
      dense,
      b3!,
    ],
    shapes: [
      nhwc.map((p) => shapes[0]![p]!),
      hwio.map((p) => shapes[1]![p]!),
      shapes[2]!,
      hwio.map((p) => shapes[3]![p]!),
      shapes[4]!,
      shapes[5]!,
      shapes[6]!,
    ],
  };
}

/** A 4-D row-major array with its axes reordered: output axis k is input axis perm[k]. */
function permute4(a: Float32Array, dims: number[], perm: number[]): Float32Array {
  const strides = [dims[1]! * dims[2]! * dims[3]!, dims[2]! * dims[3]!, dims[3]!, 1];
  const [d0, d1, d2, d3] = perm.map((p) => dims[p]!) as [number, number, number, number];
  const [s0, s1, s2, s3] = perm.map((p) => strides[p]!) as [number, number, number, number];
  const out = new Float32Array(a.length);
  let k = 0;
  for (let i = 0; i < d0; i++)
    for (let j = 0; j < d1; j++)
      for (let m = 0; m < d2; m++)
        for (let q = 0; q < d3; q++) out[k++] = a[i * s0 + j * s1 + m * s2 + q * s3]!;
  return out;
}
