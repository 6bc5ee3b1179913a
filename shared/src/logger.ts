/**
 * Structured JSON logs (winston). Child loggers carry the stage, the job id and the
 * correlation id that follows one URL through every stage, so `grep <correlation id>` shows
 * a URL's whole journey.
 */
import winston from "winston";

export type Logger = winston.Logger;

let root: winston.Logger | undefined;

/** Patterns of secrets that must never reach a log line. */
const SECRET_KEYS = /pass(word)?|secret|token|api[_-]?key|authorization/i;

const redact = winston.format((info) => {
  for (const key of Object.keys(info)) {
    if (SECRET_KEYS.test(key)) info[key] = "[redacted]";
  }
  return info;
});

export function rootLogger(level = process.env.LOG_LEVEL ?? "info"): winston.Logger {
  if (!root) {
    root = winston.createLogger({
      level,
      format: winston.format.combine(redact(), winston.format.timestamp(), winston.format.errors({ stack: true }), winston.format.json()),
      defaultMeta: { service: "tidings", pid: process.pid },
      // stderr keeps stdout free for command output (JSON lines of `process`, tables of `query`).
      transports: [new winston.transports.Console({ stderrLevels: ["error", "warn", "info", "http", "verbose", "debug", "silly"] })],
    });
  }
  return root;
}

export interface LogContext {
  stage?: string;
  job_id?: string;
  correlation_id?: string;
  source_id?: string;
  batch_id?: string;
}

export function childLogger(context: LogContext): winston.Logger {
  return rootLogger().child(context);
}
