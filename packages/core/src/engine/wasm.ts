import "@tensorflow/tfjs-backend-wasm";

/**
 * Prepare the wasm backend before it is selected. The backend registers itself on import; this is the seam where
 * faster kernels and threading are installed (see the engine performance work).
 */
export async function setupWasm(): Promise<void> {
  // Intentionally empty for now: registering the backend is the import's effect.
}
