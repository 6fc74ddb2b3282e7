/**
 * /metrics is closed unless METRICS_TOKEN is set: the test app and test instances are started
 * with this token, and tests read metrics the way a Prometheus scraper does.
 */
export const SCRAPER_TOKEN = 'test-scraper-token-0123456789';

/** The headers a scraper sends. */
export const SCRAPER_HEADERS = { authorization: `Bearer ${SCRAPER_TOKEN}` };

/** The text of `${baseUrl}/metrics`, read with the scraper's token. */
export async function scrape(baseUrl: string): Promise<string> {
  const res = await fetch(`${baseUrl}/metrics`, {
    headers: SCRAPER_HEADERS,
    signal: AbortSignal.timeout(5_000),
  });
  if (res.status !== 200) throw new Error(`/metrics answered ${res.status}`);
  return res.text();
}
