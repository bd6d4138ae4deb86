import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Matrix } from '@conceptlab/core';

/**
 * The output of reference/authors_port.py (a numpy port of the authors' MATLAB scripts, written from
 * authors-procedures.md items 1–3; the command that made it is in the script's header). Indices are MATLAB's
 * (1-based); null is the reorder's sentinel.
 */
export interface PortCorrespondence {
  corr: number[][];
  ii: (number | null)[];
  si: number[];
  adaptedRaw: number[][];
  adapted: number[][];
  matches: { a: number; position: number; b: number; value: number }[];
  diagSortedDescending: number[];
}
export interface PortShared { pairs: { a: number; position: number; value: number }[]; remainingB: number[]; counts: { '11': number; '10': number; '01': number } }
export interface PortThreeWay {
  ab: { a: number; position: number; value: number }[];
  ac: { a: number; position: number; value: number }[];
  bc: { b: number; position: number; value: number }[];
  remainingB: number[];
  remainingC: number[];
  rows: number;
  counts: Record<'111' | '110' | '101' | '011' | '100' | '010' | '001', number>;
}
export interface AuthorsPort {
  correspondence: Record<string, { reference: number[][]; model: number[][]; paper: PortCorrespondence; shared: PortShared }>;
  threeWay: { A: number[][]; B: number[][]; C: number[][]; result: PortThreeWay };
  threeWayUnequal: { A: number[][]; B: number[][]; C: number[][]; result: PortThreeWay };
  tsne: { X: number[][]; Y0: number[][]; iterations: number; d2p5Row0: number[]; d2p30Row7: number[]; Y1: number[][]; Y: number[][] };
  thingsCorrespondence?: {
    p: number[]; q: number[]; p2: number[]; q2: number[];
    M1: Omit<PortCorrespondence, 'corr' | 'adaptedRaw'>;
    M2: Omit<PortCorrespondence, 'corr' | 'adaptedRaw'>;
    sharedM1: PortShared;
    threeWay: PortThreeWay;
  };
  thingsCategories?: {
    categories: string[];
    droppedSmall: { name: string; size: number }[];
    objects: number[];
    labels: number[];
    predicted: number[];
    accuracy: number;
    chanceMean: number;
    chanceLower: number;
    chanceUpper: number;
    chanceSd: number;
    chanceExpected: number;
  };
}

export const authorsPort = JSON.parse(readFileSync(join(__dirname, '..', 'reference', 'authors_port.json'), 'utf8')) as AuthorsPort;

/** A row-major Float64 matrix from nested rows. */
export function matrixOf(rows: number[][]): Matrix<Float64Array> {
  return { rows: rows.length, cols: rows[0].length, data: Float64Array.from(rows.flat()) };
}
