// Build identity, reported by /api/v1/status/buildinfo and heartbeats.
import { readFileSync } from 'node:fs';

const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as {
  version: string;
};

export const CANOPY_VERSION = pkg.version;

/**
 * Grafana and other clients read `version` to decide which Prometheus API features exist, so
 * Canopy reports the Prometheus version whose HTTP API and PromQL it implements, and names
 * itself in `revision`/`branch`.
 */
export function buildInfo(component: string): Record<string, string> {
  return {
    version: '2.42.0',
    revision: `canopy-${CANOPY_VERSION}`,
    branch: `canopy-${component}`,
    buildUser: 'canopy',
    buildDate: '',
    goVersion: `node${process.versions.node}`,
  };
}
