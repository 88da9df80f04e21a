// The web UI's pages per tier: the server mounts the HTML shell at these paths
// (shared/http/ui.ts) and the browser bundle draws the same list as its navigation (ui/nav.ts).
// Pure data, no imports: the browser bundle includes it.

export type UiTier = 'root' | 'zone' | 'leaf';

export interface UiPage {
  /** path without the leading slash, as the navigation links it (relative) */
  readonly path: string;
  readonly label: string;
}

export const UI_NAV: Readonly<Record<UiTier, readonly UiPage[]>> = {
  root: [
    { path: 'graph', label: 'Graph' },
    { path: 'alerts', label: 'Alerts' },
    { path: 'rules', label: 'Rules' },
    { path: 'silences', label: 'Silences' },
    { path: 'zones', label: 'Zones' },
    { path: 'cardinality', label: 'Cardinality' },
    { path: 'query-plan', label: 'Query plan' },
  ],
  zone: [
    { path: 'graph', label: 'Graph' },
    { path: 'alerts', label: 'Alerts' },
    { path: 'rules', label: 'Rules' },
    { path: 'silences', label: 'Silences' },
    { path: 'zones', label: 'Zone' },
    { path: 'cardinality', label: 'Cardinality' },
  ],
  leaf: [{ path: 'targets', label: 'Targets' }],
};

/** Every path that serves the shell: '/' (the tier's first page) and each page. */
export function uiPaths(tier: UiTier): string[] {
  return ['/', ...UI_NAV[tier].map((p) => `/${p.path}`)];
}
