/** A progress indicator for long work. */
export interface Progress {
  /** Sets the number of completed units. */
  update(done: number): void;
  /** Advances by `n` units (default 1). */
  tick(n?: number): void;
  /** Clears the bar. */
  done(): void;
}

const silent: Progress = { update() {}, tick() {}, done() {} };

/**
 * A one-line progress bar on `stream`, redrawn at most every 100 ms. Draws nothing when
 * the stream is not a TTY, so piped and CI output stays clean.
 */
export function createProgress(
  stream: NodeJS.WriteStream | { isTTY?: boolean; write(s: string): unknown },
  label: string,
  total: number,
): Progress {
  if (!stream.isTTY || !(total > 0)) return silent;
  let current = 0;
  let lastDraw = 0;
  const draw = (force: boolean) => {
    const now = Date.now();
    if (!force && now - lastDraw < 100) return;
    lastDraw = now;
    const fraction = Math.min(1, current / total);
    const width = 30;
    const filled = Math.round(fraction * width);
    const bar = "█".repeat(filled) + "░".repeat(width - filled);
    stream.write(
      `\r${label} ${bar} ${(fraction * 100).toFixed(0).padStart(3)}% ${current}/${total}`,
    );
  };
  return {
    update(done) {
      current = done;
      draw(current >= total);
    },
    tick(n = 1) {
      current += n;
      draw(current >= total);
    },
    done() {
      stream.write("\r\x1b[2K");
    },
  };
}
