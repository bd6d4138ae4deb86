/**
 * The geometry of the paper's vision input, shared by the client that composes it
 * (@conceptlab/llm-annotator's compositeImages) and the server that reads it back (@conceptlab/sim-server).
 */

/** Composite geometry of the paper's vision input (Du et al.): each image 800×800 on a white 2620×820 canvas. */
export const COMPOSITE = {
  width: 2620,
  height: 820,
  tile: 800,
  x: [10, 910, 1810] as const,
  y: 10,
  background: { r: 255, g: 255, b: 255 },
} as const;
