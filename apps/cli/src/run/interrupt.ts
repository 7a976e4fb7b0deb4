import { constants } from "node:os";

/** The signals a long command stops on. */
export type StopSignal = "SIGINT" | "SIGTERM";

const STOP_SIGNALS: readonly StopSignal[] = ["SIGINT", "SIGTERM"];

/** Exit status of a command ended by `signal`, as shells report it: 128 + the signal's number (SIGINT: 130). */
export function signalExitCode(signal: StopSignal): number {
  return 128 + constants.signals[signal];
}

/** A two-stage Ctrl-C: the first signal asks for a graceful stop, a second one quits at once. */
export interface GracefulStop {
  /** Aborted (with the signal's name as its reason) on the first SIGINT or SIGTERM. */
  readonly signal: AbortSignal;
  /** The signal that asked to stop, once one has. */
  readonly received: StopSignal | undefined;
  /** Remove the handlers; later signals get Node's default behaviour again. */
  dispose(): void;
}

export interface GracefulStopHandlers {
  /** The first signal: say that the command stops at its next safe point. */
  onStop(signal: StopSignal): void;
  /** A second signal, just before the process exits with {@link signalExitCode}. */
  onForce(signal: StopSignal): void;
}

/**
 * Listen for SIGINT and SIGTERM until disposed. The first one aborts {@link GracefulStop.signal}, so the running
 * work can finish its current unit and save; a second one exits the process immediately (status 128 + signal
 * number), for a user who does not want to wait; whatever was written atomically before stays intact.
 *
 * @example
 * ```ts
 * const stop = gracefulStop({ onStop: () => log(io, "stopping after this step"), onForce: () => log(io, "quitting") });
 * try {
 *   const result = await new Trainer({ ...options, signal: stop.signal }).run();
 *   if (result.stopped) ctx.exitCode = signalExitCode(stop.received ?? "SIGINT"); // runCli returns it
 * } finally {
 *   stop.dispose();
 * }
 * ```
 */
export function gracefulStop(handlers: GracefulStopHandlers): GracefulStop {
  const controller = new AbortController();
  let received: StopSignal | undefined;
  const listeners = STOP_SIGNALS.map((name) => {
    const listener = () => {
      if (received === undefined) {
        received = name;
        handlers.onStop(name);
        controller.abort(name);
        return;
      }
      handlers.onForce(name);
      process.exit(signalExitCode(name));
    };
    process.on(name, listener);
    return [name, listener] as const;
  });
  return {
    signal: controller.signal,
    get received() {
      return received;
    },
    dispose() {
      for (const [name, listener] of listeners) process.off(name, listener);
    },
  };
}
