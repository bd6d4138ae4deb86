/**
 * The voxel → world affines of a NIfTI header, with nibabel's semantics (`Nifti1Header.get_qform`,
 * `get_sform`, `get_base_affine`, `get_best_affine`), and the inverse step used when writing a qform.
 * Affines are 4×4 row-major Float64Arrays.
 */

/** The quaternion fields of a NIfTI header plus what the qform needs from `pixdim`. */
export interface QformFields {
  readonly quaternB: number;
  readonly quaternC: number;
  readonly quaternD: number;
  readonly qoffset: readonly [number, number, number];
  /** pixdim[0]..pixdim[3]: qfac and the voxel sizes. */
  readonly pixdim: ArrayLike<number>;
}

/**
 * The rotation matrix (row-major 3×3) of the unit quaternion whose vector part is (b, c, d); the scalar part
 * a = √(1 − b² − c² − d²), set to 0 when 1 − b² − c² − d² is negative but above `threshold` (nibabel's
 * `fillpositive`: float rounding of stored values). The matrix is nibabel's `quat2mat` (normalising by the
 * squared norm). @throws RangeError when 1 − b² − c² − d² < threshold (not a unit quaternion).
 */
export function quaternionToRotation(b: number, c: number, d: number, threshold: number): Float64Array {
  const w2 = 1 - (b * b + c * c + d * d);
  if (w2 < threshold) throw new RangeError(`quaternion (b, c, d) = (${b}, ${c}, ${d}) has norm above 1`);
  const w = w2 < 0 ? 0 : Math.sqrt(w2);
  const nq = w * w + b * b + c * c + d * d;
  if (nq < 2.220446049250313e-16) return Float64Array.of(1, 0, 0, 0, 1, 0, 0, 0, 1);
  const s = 2 / nq;
  const X = b * s, Y = c * s, Z = d * s;
  const wX = w * X, wY = w * Y, wZ = w * Z;
  const xX = b * X, xY = b * Y, xZ = b * Z;
  const yY = c * Y, yZ = c * Z, zZ = d * Z;
  return Float64Array.of(
    1 - (yY + zZ), xY - wZ, xZ + wY,
    xY + wZ, 1 - (xX + zZ), yZ - wX,
    xZ - wY, yZ + wX, 1 - (xX + yY),
  );
}

/**
 * The qform affine: R · diag(dx, dy, qfac·dz) with translation qoffset, where qfac = pixdim[0] (−1 or
 * +1; any other value reads as +1, as nibabel's header check fixes it) and the voxel sizes are |pixdim[1..3]|.
 * `threshold` is nibabel's quaternion threshold: −3·eps(float32) for NIfTI-1, −3·eps(float64) for NIfTI-2.
 */
export function qformAffine(q: QformFields, threshold: number): Float64Array {
  const R = quaternionToRotation(q.quaternB, q.quaternC, q.quaternD, threshold);
  const qfac = q.pixdim[0] === -1 ? -1 : 1;
  const vox = [Math.abs(q.pixdim[1]), Math.abs(q.pixdim[2]), Math.abs(q.pixdim[3]) * qfac];
  const a = new Float64Array(16);
  for (let r = 0; r < 3; r++) {
    for (let c = 0; c < 3; c++) a[r * 4 + c] = R[r * 3 + c] * vox[c];
    a[r * 4 + 3] = q.qoffset[r];
  }
  a[15] = 1;
  for (let i = 0; i < 16; i++) a[i] += 0; // −0 → 0
  return a;
}

/**
 * The fall-back affine of a header with neither sform nor qform (nibabel's `get_base_affine`, Analyze
 * convention): diag(−dx, dy, dz) with the centre voxel (shape − 1)/2 at the origin. Missing dimensions count as 1.
 */
export function baseAffine(shape: readonly number[], pixdim: ArrayLike<number>): Float64Array {
  const sh = [0, 1, 2].map((i) => shape[i] ?? 1);
  const zooms = [0, 1, 2].map((i) => (i < shape.length ? Math.abs(pixdim[i + 1]) : 1));
  zooms[0] = -zooms[0];
  const a = new Float64Array(16);
  for (let i = 0; i < 3; i++) {
    a[i * 4 + i] = zooms[i];
    a[i * 4 + 3] = -((sh[i] - 1) / 2) * zooms[i] + 0; // + 0: −0 → 0
  }
  a[15] = 1;
  return a;
}

/** Which transform a header's best affine came from. */
export type AffineSource = 'sform' | 'qform' | 'base';

/**
 * nibabel's `get_best_affine`: the sform when sform_code ≠ 0, else the qform when qform_code ≠ 0, else the
 * fall-back {@link baseAffine}.
 */
export function bestAffine(
  h: { sformCode: number; qformCode: number; sform: Float64Array; shape: readonly number[]; pixdim: ArrayLike<number> } & QformFields,
  threshold: number,
): { affine: Float64Array; source: AffineSource } {
  if (h.sformCode !== 0) return { affine: h.sform, source: 'sform' };
  if (h.qformCode !== 0) return { affine: qformAffine(h, threshold), source: 'qform' };
  return { affine: baseAffine(h.shape, h.pixdim), source: 'base' };
}

function det3(m: ArrayLike<number>): number {
  return m[0] * (m[4] * m[8] - m[5] * m[7]) - m[1] * (m[3] * m[8] - m[5] * m[6]) + m[2] * (m[3] * m[7] - m[4] * m[6]);
}

function inverse3(m: ArrayLike<number>): Float64Array {
  const d = det3(m);
  const r = Float64Array.of(
    m[4] * m[8] - m[5] * m[7], m[2] * m[7] - m[1] * m[8], m[1] * m[5] - m[2] * m[4],
    m[5] * m[6] - m[3] * m[8], m[0] * m[8] - m[2] * m[6], m[2] * m[3] - m[0] * m[5],
    m[3] * m[7] - m[4] * m[6], m[1] * m[6] - m[0] * m[7], m[0] * m[4] - m[1] * m[3],
  );
  for (let i = 0; i < 9; i++) r[i] /= d;
  return r;
}

/**
 * The qform parameters that represent `affine` as closely as a qform can (nibabel's `set_qform`): voxel
 * sizes are the column norms, qfac = −1 when the rotation part has a negative determinant (the third column is
 * flipped), shears are removed by taking the nearest orthogonal matrix (polar decomposition, computed by the
 * Newton iteration R ← (R + R⁻ᵀ)/2), and the quaternion has a non-negative scalar part.
 * @throws RangeError for a singular affine.
 */
export function affineToQform(affine: Float64Array): { b: number; c: number; d: number; qfac: 1 | -1; zooms: [number, number, number]; offset: [number, number, number] } {
  const zooms: [number, number, number] = [0, 0, 0];
  for (let c = 0; c < 3; c++) zooms[c] = Math.hypot(affine[c], affine[4 + c], affine[8 + c]);
  if (zooms.some((z) => !(z > 0))) throw new RangeError('affine has a zero-length axis');
  let R = new Float64Array(9);
  for (let r = 0; r < 3; r++) for (let c = 0; c < 3; c++) R[r * 3 + c] = affine[r * 4 + c] / zooms[c];
  let qfac: 1 | -1 = 1;
  if (det3(R) < 0) {
    qfac = -1;
    for (let r = 0; r < 3; r++) R[r * 3 + 2] = -R[r * 3 + 2];
  }
  for (let it = 0; it < 50; it++) {
    const inv = inverse3(R);
    const next = new Float64Array(9);
    let diff = 0;
    for (let r = 0; r < 3; r++) for (let c = 0; c < 3; c++) {
      next[r * 3 + c] = 0.5 * (R[r * 3 + c] + inv[c * 3 + r]);
      diff = Math.max(diff, Math.abs(next[r * 3 + c] - R[r * 3 + c]));
    }
    R = next;
    if (diff < 1e-15) break;
  }
  // Rotation matrix → unit quaternion (Shepperd's method: pivot on the largest of the four squares).
  const [r00, r01, r02, r10, r11, r12, r20, r21, r22] = R;
  const tr = r00 + r11 + r22;
  let w: number, x: number, y: number, z: number;
  if (tr > 0) {
    const s = 2 * Math.sqrt(1 + tr);
    w = s / 4; x = (r21 - r12) / s; y = (r02 - r20) / s; z = (r10 - r01) / s;
  } else if (r00 > r11 && r00 > r22) {
    const s = 2 * Math.sqrt(1 + r00 - r11 - r22);
    w = (r21 - r12) / s; x = s / 4; y = (r01 + r10) / s; z = (r02 + r20) / s;
  } else if (r11 > r22) {
    const s = 2 * Math.sqrt(1 + r11 - r00 - r22);
    w = (r02 - r20) / s; x = (r01 + r10) / s; y = s / 4; z = (r12 + r21) / s;
  } else {
    const s = 2 * Math.sqrt(1 + r22 - r00 - r11);
    w = (r10 - r01) / s; x = (r02 + r20) / s; y = (r12 + r21) / s; z = s / 4;
  }
  if (w < 0) { x = -x; y = -y; z = -z; }
  return { b: x, c: y, d: z, qfac, zooms, offset: [affine[3], affine[7], affine[11]] };
}

/** The inverse of a 4×4 affine (last row 0 0 0 1). @throws RangeError for a singular affine. */
export function invertAffine(a: Float64Array): Float64Array {
  const m = [a[0], a[1], a[2], a[4], a[5], a[6], a[8], a[9], a[10]];
  if (Math.abs(det3(m)) < 1e-300) throw new RangeError('affine is singular');
  const inv = inverse3(m);
  const out = new Float64Array(16);
  for (let r = 0; r < 3; r++) {
    for (let c = 0; c < 3; c++) out[r * 4 + c] = inv[r * 3 + c];
    out[r * 4 + 3] = -(inv[r * 3] * a[3] + inv[r * 3 + 1] * a[7] + inv[r * 3 + 2] * a[11]);
  }
  out[15] = 1;
  return out;
}

/** The product a · b of two 4×4 row-major matrices. */
export function multiplyAffines(a: Float64Array, b: Float64Array): Float64Array {
  const out = new Float64Array(16);
  for (let r = 0; r < 4; r++) for (let c = 0; c < 4; c++) {
    let s = 0;
    for (let k = 0; k < 4; k++) s += a[r * 4 + k] * b[k * 4 + c];
    out[r * 4 + c] = s;
  }
  return out;
}

/** World (mm) coordinates of voxel (i, j, k) under `affine`. */
export function applyAffine(affine: Float64Array, i: number, j: number, k: number): [number, number, number] {
  return [0, 1, 2].map((r) => affine[r * 4] * i + affine[r * 4 + 1] * j + affine[r * 4 + 2] * k + affine[r * 4 + 3]) as [number, number, number];
}
