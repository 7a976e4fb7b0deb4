import cliProgress from "cli-progress";
import type { CliIO } from "../io";

/** A running progress display. `info` is a short free text shown beside the bar (loss, accuracy...). */
export interface Progress {
  update(done: number, info?: string): void;
  /** Change the total (e.g. when it becomes known late). */
  setTotal(total: number): void;
  /** Finish the display; `summary` is printed as a final line. */
  stop(summary?: string): void;
}

export interface ProgressOptions {
  label: string;
  total: number;
  /** What is counted, for the plain lines ("steps", "examples"). */
  unit?: string;
  /** Plain-mode: print at most one line per this many ms, besides every 10% (default 5000). */
  intervalMs?: number;
  /** Overrides `io.isTTY`. */
  tty?: boolean;
}

/**
 * A progress bar on an interactive terminal (cli-progress, on stderr), plain log lines otherwise, so logs of
 * CI jobs and pipes stay readable: one line per 10% or per interval, and one at the end.
 *
 * @example
 * ```ts
 * const bar = createProgress(io, { label: "train", total: 1000, unit: "steps" });
 * for (let s = 1; s <= 1000; s++) bar.update(s, `loss ${loss.toFixed(3)}`);
 * bar.stop("done");
 * ```
 */
export function createProgress(io: CliIO, options: ProgressOptions): Progress {
  return (options.tty ?? io.isTTY) ? barProgress(io, options) : lineProgress(io, options);
}

function barProgress(io: CliIO, options: ProgressOptions): Progress {
  const bar = new cliProgress.SingleBar(
    {
      stream: io.stderr,
      format: `${options.label} {bar} {percentage}% | {value}/{total} ${options.unit ?? ""} | ETA {eta_formatted} | {info}`,
      hideCursor: true,
      clearOnComplete: false,
      etaBuffer: 50,
      barsize: 30,
    },
    cliProgress.Presets.shades_classic,
  );
  bar.start(Math.max(options.total, 1), 0, { info: "" });
  return {
    update(done, info) {
      bar.update(done, { info: info ?? "" });
    },
    setTotal(total) {
      bar.setTotal(Math.max(total, 1));
    },
    stop(summary) {
      bar.stop();
      if (summary) io.stderr.write(summary + "\n");
    },
  };
}

function lineProgress(io: CliIO, options: ProgressOptions): Progress {
  let total = Math.max(options.total, 1);
  const interval = options.intervalMs ?? 5000;
  const start = Date.now();
  let lastTime = start;
  let lastDecile = 0;
  let last = 0;
  let lastInfo = "";
  const line = (done: number, info: string) => {
    const pct = Math.floor((100 * done) / total);
    const secs = ((Date.now() - start) / 1000).toFixed(1);
    io.stderr.write(`${options.label}: ${done}/${total} ${options.unit ?? ""} (${pct}%) ${secs}s${info ? " " + info : ""}\n`.replace(/ +\(/, " ("));
  };
  return {
    update(done, info = "") {
      last = done;
      lastInfo = info;
      const decile = Math.floor((10 * done) / total);
      const now = Date.now();
      if (decile > lastDecile || now - lastTime >= interval) {
        lastDecile = decile;
        lastTime = now;
        line(done, info);
      }
    },
    setTotal(t) {
      total = Math.max(t, 1);
    },
    stop(summary) {
      if (last < total && last > 0 && lastDecile < 10) line(last, lastInfo);
      if (summary) io.stderr.write(summary + "\n");
    },
  };
}
