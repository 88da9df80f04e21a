// RecordingRule: one `record:` rule. Its result is renamed to the recorded metric, the rule's
// labels are applied, and the samples are written back into the zone's TSDB at the
// evaluation time (Prometheus rules/recording.go).
import { CanopyError } from '../errors.ts';
import { labelsFromRecord, labelsKey, labelsToRecord } from '../labels.ts';
import type { RuleSpec } from './rule-file.ts';
import type { QueryValue } from '../value.ts';
import type { EvalSample } from './alerting-rule.ts';

export class RecordingRule {
  readonly kind = 'recording' as const;
  health: 'unknown' | 'ok' | 'err' = 'unknown';
  lastError = '';
  lastEvalMs = 0;
  evalDurationMs = 0;

  constructor(
    readonly spec: RuleSpec,
    readonly key: string,
  ) {}

  get name(): string {
    return this.spec.name;
  }

  /** The samples to write for one evaluation result at tMs. */
  apply(value: QueryValue, tMs: number, limit: number): EvalSample[] {
    let input: { labels: Record<string, string>; f: number }[];
    if (value.type === 'scalar') input = [{ labels: {}, f: value.f }];
    else if (value.type === 'vector')
      input = value.vector
        .filter((s) => s.d === undefined)
        .map((s) => ({ labels: labelsToRecord(s.labels), f: s.f }));
    else throw new CanopyError('execution', `rule result is not a vector or scalar: ${value.type}`);
    const out: EvalSample[] = [];
    const seen = new Set<string>();
    for (const s of input) {
      const rec = { ...s.labels };
      // Recording-rule labels are literal in Prometheus (no templating).
      for (const [k, v] of Object.entries(this.spec.labels)) {
        if (v === '') delete rec[k];
        else rec[k] = v;
      }
      rec.__name__ = this.spec.name;
      const labels = labelsFromRecord(rec);
      const key = labelsKey(labels);
      if (seen.has(key))
        throw new CanopyError(
          'execution',
          'vector contains metrics with the same labelset after applying rule labels',
        );
      seen.add(key);
      out.push({ labels, tMs, f: s.f });
    }
    if (limit > 0 && out.length > limit)
      throw new CanopyError('execution', `exceeded limit of ${limit} with ${out.length} series`);
    return out;
  }
}
