// Public surface of leaf/scrape: exposition parsing, relabeling, targets, scrape loops, file SD.
export {
  parseExposition,
  parseExpositionFloat,
  isOpenMetrics,
  SCRAPE_ACCEPT_HEADER,
  type ExpositionResult,
  type ExpositionSample,
  type MetricMetadata,
  type MetricType,
} from '../../shared/exposition.ts';
export {
  parseRelabelConfigs,
  parseRelabelConfig,
  relabel,
  type RelabelConfig,
  type RelabelAction,
} from './relabel.ts';
export { STALE_NAN, isStaleNaN } from './staleness.ts';
export {
  parseScrapeJobConfig,
  parseStaticConfigs,
  parseTargetGroup,
  buildTargets,
  type ScrapeJobConfig,
  type TargetGroup,
  type Target,
} from './target.ts';
export {
  ScrapeLoop,
  type ScrapeLoopOptions,
  type ScrapeResult,
  type ScrapedSample,
  type ScrapeDropReason,
} from './scrape-loop.ts';
export { ScrapePool } from './scrape-pool.ts';
export { FileSD, parseFileSDConfigs, readTargetFile, type FileSDConfig } from './file-sd.ts';
