import { copy4, transpose2 } from "./copy-kernel";
import { gemmRowsKernel, packB } from "./gemm-kernel";
import { encodeModule } from "./wasm-builder";

/** The engine's wasm module: every kernel, importing the tfjs heap as `env.memory` (shared on the threaded build). */
export function kernelModuleBytes(shared: boolean): Uint8Array<ArrayBuffer> {
  return encodeModule([packB(), gemmRowsKernel("gemmRows", 4), copy4(), transpose2()], { shared });
}

/** The kernel entry points as JS sees them; all addresses and strides are in bytes. */
export interface KernelExports {
  packB(b: number, sBk: number, sBn: number, K: number, N: number, dst: number): void;
  gemmRows(
    a: number,
    sAm: number,
    sAk: number,
    packed: number,
    K: number,
    N: number,
    c: number,
    ldc: number,
    r0: number,
    r1: number,
    spill: number,
    accumulate: number,
    apack: number,
  ): void;
  copy4(
    src: number,
    dst: number,
    n0: number,
    n1: number,
    n2: number,
    n3: number,
    s0: number,
    s1: number,
    s2: number,
    s3: number,
    d0: number,
    d1: number,
    d2: number,
    d3: number,
  ): void;
  transpose2(src: number, dst: number, batch: number, R: number, C: number, sb: number, db: number): void;
}
