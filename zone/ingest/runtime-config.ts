// The runtime configuration file (Mimir's `-runtime-config.file`): per-tenant limit overrides,
// re-read every reload period without a restart.
//
//   overrides:
//     team-a:                        # a tenant id (validated as X-Scope-OrgID)
//       ingestion_rate: 50000        # Mimir's names; each one replaces that zone default
//       ingestion_burst_size: 500000
//       max_global_series_per_user: 1000000
//       max_global_series_per_metric: 0
//       max_label_names_per_series: 40
//       max_label_name_length: 1024
//       max_label_value_length: 4096
//
// A tenant's limits are the zone's `limits:` with its entry applied. A file that cannot be
// read or fails validation changes nothing: the previous overrides stay and the error (file,
// key, what was expected) is logged and counted; a later good file is applied. A file that is
// unchanged since the last read is not parsed again.
import { readFile } from 'node:fs/promises';
import { parseYaml } from '../../shared/config/index.ts';
import { CanopyError, errorMessage } from '../../shared/errors.ts';
import type { Logger } from '../../shared/log.ts';
import { tenantIdError } from '../../shared/tenant.ts';
import { parseAdmissionLimits, type AdmissionLimits } from './admission.ts';

/** Overrides keys (Mimir's limit names) → Canopy's `limits:` keys. */
export const OVERRIDE_KEYS: Readonly<Record<string, keyof AdmissionLimits>> = Object.freeze({
  ingestion_rate: 'ingestionRate',
  ingestion_burst_size: 'ingestionBurstSize',
  max_global_series_per_user: 'maxSeriesPerTenant',
  max_global_series_per_metric: 'maxSeriesPerMetric',
  max_label_names_per_series: 'maxLabelsPerSeries',
  max_label_name_length: 'maxLabelNameLength',
  max_label_value_length: 'maxLabelValueLength',
});

/** Parses the file's text into each overridden tenant's full limits; throws CanopyError config_invalid. */
export function parseRuntimeConfig(
  file: string,
  text: string,
  defaults: Readonly<AdmissionLimits>,
): Map<string, Readonly<AdmissionLimits>> {
  const doc = parseYaml(file, text);
  const out = new Map<string, Readonly<AdmissionLimits>>();
  if (doc === null || typeof doc !== 'object' || Array.isArray(doc))
    throw new CanopyError('config_invalid', `${file}: expected a mapping with the key "overrides"`);
  for (const k of Object.keys(doc))
    if (k !== 'overrides')
      throw new CanopyError('config_invalid', `${file}: key "${k}": unknown key (expected overrides)`);
  const ov = (doc as Record<string, unknown>).overrides;
  if (ov === undefined || ov === null) return out;
  if (typeof ov !== 'object' || Array.isArray(ov))
    throw new CanopyError(
      'config_invalid',
      `${file}: key "overrides": expected a mapping of tenant ids to limits`,
    );
  for (const [tenant, raw] of Object.entries(ov as Record<string, unknown>)) {
    const bad = tenantIdError(tenant);
    if (bad) throw new CanopyError('config_invalid', `${file}: overrides.${tenant}: ${bad}`);
    out.set(tenant, parseAdmissionLimits(raw ?? {}, `${file}: overrides.${tenant}`, defaults, OVERRIDE_KEYS));
  }
  return out;
}

export interface RuntimeConfigOptions {
  file: string;
  periodMs: number;
  defaults: Readonly<AdmissionLimits>;
  /** Receives every successfully parsed file's overrides. */
  apply: (overrides: ReadonlyMap<string, Readonly<AdmissionLimits>>) => void;
  logger: Logger;
  /** Counts reloads by outcome (success / failure). */
  onReload?: (ok: boolean) => void;
}

export class RuntimeConfigLoader {
  private timer: NodeJS.Timeout | undefined;
  private inFlight = false;
  private lastText: string | undefined;
  /** When the last good file was applied (ms), and the last error ('' when none). */
  lastSuccessMs = 0;
  lastError = '';

  constructor(private readonly o: RuntimeConfigOptions) {}

  /** Loads once (a bad file at start is an error the caller reports), then every period. */
  async start(): Promise<void> {
    const err = await this.reload();
    if (err) throw new CanopyError('config_invalid', err);
    this.timer = setInterval(() => void this.tick(), this.o.periodMs);
    this.timer.unref();
  }

  stop(): void {
    clearInterval(this.timer);
  }

  private async tick(): Promise<void> {
    if (this.inFlight) return;
    this.inFlight = true;
    try {
      await this.reload();
    } finally {
      this.inFlight = false;
    }
  }

  /** Reads and applies the file; returns the error message (old overrides kept) or ''. */
  async reload(): Promise<string> {
    let text: string;
    try {
      text = await readFile(this.o.file, 'utf8');
    } catch (e) {
      return this.failed(
        `cannot read runtime config file ${this.o.file}: ${(e as NodeJS.ErrnoException).code ?? errorMessage(e)}`,
      );
    }
    if (text === this.lastText) return '';
    let parsed: Map<string, Readonly<AdmissionLimits>>;
    try {
      parsed = parseRuntimeConfig(this.o.file, text, this.o.defaults);
    } catch (e) {
      return this.failed(errorMessage(e));
    }
    this.lastText = text;
    this.o.apply(parsed);
    this.lastSuccessMs = Date.now();
    this.lastError = '';
    this.o.onReload?.(true);
    this.o.logger.info(
      { file: this.o.file, tenants: [...parsed.keys()] },
      'runtime config (limit overrides) applied',
    );
    return '';
  }

  private failed(msg: string): string {
    if (msg !== this.lastError)
      this.o.logger.error({ file: this.o.file }, `${msg}; keeping the previous overrides`);
    this.lastError = msg;
    this.o.onReload?.(false);
    return msg;
  }
}
