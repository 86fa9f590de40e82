import { readFileSync } from 'node:fs';

/** Clock ticks per second for /proc/<pid>/stat (USER_HZ; 100 on every Linux this runs on). */
const TICKS = 100;

export interface ProcSample {
  /** user + system CPU time of the process, ms */
  cpuMs: number;
  /** resident set size, KiB */
  rssKb: number;
}

/** CPU time and RSS of another process, read from /proc (Linux only). Undefined when it is gone. */
export function procSample(pid: number): ProcSample | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) may contain spaces: fields are counted after its closing parenthesis.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const utime = Number(fields[11]);
    const stime = Number(fields[12]);
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const m = /VmRSS:\s+(\d+) kB/.exec(status);
    return { cpuMs: ((utime + stime) * 1000) / TICKS, rssKb: m ? Number(m[1]) : 0 };
  } catch {
    return undefined;
  }
}

/** CPU time (user + system, ms) of one thread of another process: its main thread when tid = pid. */
export function threadCpuMs(pid: number, tid = pid): number {
  try {
    const stat = readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / TICKS;
  } catch {
    return NaN;
  }
}

/** This process's CPU time (user + system), ms. */
export function selfCpuMs(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
}

/** What a server and the generator did over one measurement window. */
export interface CpuWindow { serverCpuMs: number; serverRssKb: number; genCpuMs: number; wallMs: number }

/** The window between server samples a and b, generator CPU readings ga and gb, and wallMs apart. */
export function cpuWindow(a: ProcSample | undefined, b: ProcSample | undefined, ga: number, gb: number, wallMs: number): CpuWindow {
  return { serverCpuMs: (b?.cpuMs ?? NaN) - (a?.cpuMs ?? NaN), serverRssKb: b?.rssKb ?? NaN, genCpuMs: gb - ga, wallMs };
}
