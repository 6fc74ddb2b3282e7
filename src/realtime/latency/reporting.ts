/**
 * How reader pages report the delays they see (ADR 0017). The page learns these from the
 * `clock` event of its stream, so one setting on the server governs every open page.
 */
export interface LatencyReporting {
  /** The chance that one live event's delay is reported (LATENCY_SAMPLE_RATE). */
  sampleRate: number;
  /** The least time between two reports from one reader page. */
  reportEveryMs: number;
}

export const DEFAULT_REPORTING: LatencyReporting = { sampleRate: 0.1, reportEveryMs: 10_000 };

/**
 * A delay below zero is clock error (the page's offset is an estimate): up to this much it is
 * counted as 0, further below a report is refused.
 */
export const CLOCK_TOLERANCE_MS = 1_000;

/** The most delays one report carries. */
export const MAX_REPORT_ITEMS = 20;

/** The largest report body read: 20 delays are well under 1 KiB. */
export const REPORT_BODY_LIMIT = 2 * 1024;

/** Reports one client address may send per minute (a page sends at most 6 at the defaults). */
export const REPORTS_PER_ADDRESS_PER_MINUTE = 120;
