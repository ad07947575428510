/** Formats epoch milliseconds as `2026-12-04 19:38:51 UTC`. */
export function formatTimestamp(epochMs: number): string {
  return `${new Date(epochMs).toISOString().slice(0, 19).replace('T', ' ')} UTC`;
}

/** Formats a duration in milliseconds as `850 ms`, `12.3 s`, `4m 05s`, `2h 03m` or `3d 04h`. */
export function formatDuration(durationMs: number): string {
  const ms = Math.max(0, Math.round(durationMs));
  if (ms < 1_000) {
    return `${ms} ms`;
  }
  const seconds = ms / 1_000;
  if (seconds < 60) {
    return `${seconds.toFixed(1)} s`;
  }
  const totalSeconds = Math.floor(seconds);
  const minutes = Math.floor(totalSeconds / 60);
  if (minutes < 60) {
    return `${minutes}m ${pad(totalSeconds % 60)}s`;
  }
  const hours = Math.floor(minutes / 60);
  if (hours < 24) {
    return `${hours}h ${pad(minutes % 60)}m`;
  }
  return `${Math.floor(hours / 24)}d ${pad(hours % 24)}h`;
}

function pad(value: number): string {
  return String(value).padStart(2, '0');
}
