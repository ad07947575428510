import { readFileSync } from 'node:fs';
import os from 'node:os';
import { markdownTable } from './markdown-table.ts';

/** The machine the figures were measured on. */
export interface MachineInfo {
  cpuModel: string;
  /** Logical CPUs this process may use (what `nproc` prints). */
  cpus: number;
  /** Total memory, in bytes (the `total` column of `free`). */
  memoryBytes: number;
  /** Memory available for new work when measured, in bytes (`MemAvailable`, the `available` column of `free`). */
  availableBytes: number;
  nodeVersion: string;
  platform: string;
  /** Load averages over 1, 5 and 15 minutes when read; other processes slow the figures down. */
  loadAverage: number[];
}

/** Reads the machine's CPU, memory and Node version. */
export function readMachineInfo(): MachineInfo {
  return {
    cpuModel: os.cpus()[0]?.model.trim() ?? 'unknown',
    cpus: os.availableParallelism(),
    memoryBytes: os.totalmem(),
    availableBytes: readAvailableMemory() ?? os.freemem(),
    nodeVersion: process.version,
    platform: `${os.type()} ${os.release()} (${os.arch()})`,
    loadAverage: os.loadavg(),
  };
}

/** Returns `MemAvailable` from `/proc/meminfo` in bytes, or `null` off Linux. */
function readAvailableMemory(): number | null {
  try {
    const match = /^MemAvailable:\s+(\d+) kB$/m.exec(readFileSync('/proc/meminfo', 'utf8'));
    return match ? Number(match[1]) * 1024 : null;
  } catch {
    return null;
  }
}

/** Formats the machine as a two-column Markdown table. */
export function formatMachineTable(machine: MachineInfo): string {
  return markdownTable(
    ['machine', ''],
    [
      ['CPU', `${machine.cpuModel}, ${machine.cpus} logical CPUs (\`nproc\`)`],
      ['memory', `${formatGiB(machine.memoryBytes)} total, ${formatGiB(machine.availableBytes)} available when measured (\`free\`)`],
      ['Node', machine.nodeVersion],
      ['system', machine.platform],
      ['load average before the benchmarks', machine.loadAverage.map((load) => load.toFixed(2)).join(', ')],
    ],
  );
}

function formatGiB(bytes: number): string {
  return `${(bytes / 1024 ** 3).toFixed(1)} GiB`;
}
