import { Chalk, type ChalkInstance } from 'chalk';
import { describeError } from './errors.js';
import { inert } from './render.js';

export type LogLevel = 'debug' | 'info' | 'warn' | 'error' | 'silent';
const ORDER: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40, silent: 99 };

export interface LogRecord { level: Exclude<LogLevel, 'silent'>; scope: string; message: string; time: Date }

/** Where log lines go; tests collect them instead of printing. */
export interface LogSink { write(record: LogRecord): void }

export class ConsoleSink implements LogSink {
  private readonly chalk: ChalkInstance;
  constructor(private readonly stream: NodeJS.WritableStream & { isTTY?: boolean } = process.stderr) {
    const color = !process.env.NO_COLOR && Boolean(stream.isTTY);
    this.chalk = new Chalk({ level: color ? 1 : 0 });
  }
  write(r: LogRecord): void {
    const c = this.chalk;
    const level = { debug: c.gray('debug'), info: c.cyan('info '), warn: c.yellow('warn '), error: c.red('error') }[r.level];
    this.stream.write(`${c.gray(r.time.toISOString())} ${level} ${c.magenta(r.scope)} ${r.message}\n`);
  }
}

export class Logger {
  constructor(private readonly sink: LogSink, private readonly level: LogLevel = 'info', readonly scope = 'whiskr') {}

  /** A logger whose lines are prefixed with a plugin's or a subsystem's name. */
  child(scope: string): Logger { return new Logger(this.sink, this.level, inert(scope)); }

  debug(message: string): void { this.log('debug', message); }
  info(message: string): void { this.log('info', message); }
  warn(message: string): void { this.log('warn', message); }
  error(message: string, err?: unknown): void {
    if (ORDER.error < ORDER[this.level]) return;
    // A stack keeps its lines, indented under the record, so none of them can pass for a record of its own.
    const detail = err === undefined ? '' : `: ${describeError(err).split('\n').map(inert).join('\n    ')}`;
    this.sink.write({ level: 'error', scope: this.scope, message: inert(message) + detail, time: new Date() });
  }

  /**
   * Every message is made inert here, once, whatever it quotes (a name given to /login, a reason, a config
   * value): controls, bidi marks and line breaks are shown, so a user can neither forge a log line nor
   * drive the terminal the operator reads the log on.
   */
  private log(level: Exclude<LogLevel, 'silent'>, message: string): void {
    if (ORDER[level] < ORDER[this.level]) return;
    this.sink.write({ level, scope: this.scope, message: inert(message), time: new Date() });
  }
}
