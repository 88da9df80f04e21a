// Public surface of leaf/statsd: DogStatsD datagram parsing, name mapping, the UDP listener.
export {
  parseDatagram,
  StatsdLine,
  StatsdType,
  MAX_VALUES_PER_LINE,
  type StatsdHandler,
  type StatsdDropReason,
} from './datagram.ts';
export { toPromMetricName, toPromLabelName, tagsToLabels } from './name-mapping.ts';
export { StatsdServer, type StatsdServerOptions, type StatsdServerStats } from './server.ts';
