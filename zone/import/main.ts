// `canopy import <format> INPUT --data-dir DIR`: backfill history into a zone's data directory
// as blocks (see docs/import.md). Run it while the zone is stopped (or restart the zone after):
// a zone loads blocks when it opens its data directory.
//
//   canopy import openmetrics FILE --data-dir DIR [--max-block-duration 2h] [--human-readable] [--quiet]
//   canopy import prometheus-tsdb DIR --data-dir DIR [--human-readable] [--quiet]
import { CanopyError } from '../../shared/errors.ts';
import { formatDurationMs, parseDurationMs, parseFlags, type FlagSpec } from '../../shared/config/index.ts';
import { DEFAULT_BLOCK_DURATION_MS, importOpenMetrics, type ImportedBlock } from './openmetrics.ts';
import { importPrometheusTSDB } from './prometheus-tsdb.ts';

export const IMPORT_FLAGS: Record<string, FlagSpec> = {
  'data-dir': {
    type: 'string',
    arg: 'DIR',
    help: "the zone's data directory to write blocks into (default data/zone)",
  },
  'max-block-duration': {
    type: 'string',
    arg: 'DURATION',
    help: 'openmetrics: longest block to write, 2h×3^k up to this (default 2h)',
  },
  'human-readable': { type: 'bool', help: 'print times, durations and sizes human-readably' },
  quiet: { type: 'bool', help: 'do not print the blocks created' },
};

const HEADER = [
  'BLOCK ULID',
  'MIN TIME',
  'MAX TIME',
  'DURATION',
  'NUM SAMPLES',
  'NUM CHUNKS',
  'NUM SERIES',
  'SIZE',
];

function humanBytes(n: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let i = 0;
  while (n >= 1024 && i < units.length - 1) {
    n /= 1024;
    i++;
  }
  return i === 0 ? `${n}B` : `${n.toFixed(1)}${units[i]}`;
}

/** One row of promtool's block table. */
export function blockRow(b: ImportedBlock, human: boolean): string[] {
  const m = b.meta;
  const time = (t: number): string => (human ? new Date(t).toISOString() : String(t));
  return [
    m.ulid,
    time(m.minTime),
    time(m.maxTime),
    human ? formatDurationMs(m.maxTime - m.minTime) : String(m.maxTime - m.minTime),
    String(m.stats.numSamples),
    String(m.stats.numChunks),
    String(m.stats.numSeries),
    human ? humanBytes(b.sizeBytes) : String(b.sizeBytes),
  ];
}

function table(rows: string[][]): string {
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((r) => r[c]!.length)));
  return (
    rows
      .map((r) =>
        r
          .map((cell, c) => cell.padEnd(widths[c]!))
          .join('  ')
          .trimEnd(),
      )
      .join('\n') + '\n'
  );
}

export async function main(argv: string[]): Promise<number> {
  if (argv.includes('--help') || argv.includes('-h')) return -1;
  const positional: string[] = [];
  const flagArgs: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a.startsWith('--')) {
      flagArgs.push(a);
      const spec = IMPORT_FLAGS[a.slice(2)];
      if (!a.includes('=') && spec && spec.type !== 'bool' && i + 1 < argv.length) flagArgs.push(argv[++i]!);
    } else positional.push(a);
  }
  const f = parseFlags(flagArgs, IMPORT_FLAGS, 'import');
  const [format, input, ...extra] = positional;
  if (format !== 'openmetrics' && format !== 'prometheus-tsdb') {
    throw new CanopyError(
      'flag_invalid',
      format === undefined
        ? 'missing format (openmetrics, prometheus-tsdb)'
        : `unknown import format "${format}" (openmetrics, prometheus-tsdb)`,
    );
  }
  if (input === undefined || extra.length > 0)
    throw new CanopyError(
      'flag_invalid',
      `usage: canopy import ${format} ${format === 'openmetrics' ? 'FILE' : 'DIR'} --data-dir DIR`,
    );
  if (format === 'prometheus-tsdb' && f['max-block-duration'] !== undefined)
    throw new CanopyError(
      'flag_invalid',
      '--max-block-duration applies to openmetrics only (Prometheus blocks keep their ranges)',
    );
  let maxBlockMs = DEFAULT_BLOCK_DURATION_MS;
  if (typeof f['max-block-duration'] === 'string') {
    const d = parseDurationMs(f['max-block-duration']);
    if (d === undefined || d <= 0)
      throw new CanopyError('flag_invalid', `invalid --max-block-duration "${f['max-block-duration']}"`);
    maxBlockMs = d;
  }
  const dataDir = typeof f['data-dir'] === 'string' ? f['data-dir'] : 'data/zone';
  const human = f['human-readable'] === true;
  const quiet = f.quiet === true;
  const rows: string[][] = [HEADER];
  const started = Date.now();
  const onBlock = (b: ImportedBlock): number => rows.push(blockRow(b, human));
  const res =
    format === 'openmetrics'
      ? importOpenMetrics({ file: input, dataDir, maxBlockDurationMs: maxBlockMs, onBlock })
      : { ...importPrometheusTSDB({ dir: input, dataDir, onBlock }), duplicatesIgnored: 0 };
  if (!quiet && rows.length > 1) process.stdout.write(table(rows));
  process.stderr.write(
    `imported ${res.samples} samples of ${res.series} series into ${res.blocks.length} blocks in ${dataDir}/blocks in ${((Date.now() - started) / 1000).toFixed(1)}s` +
      (res.duplicatesIgnored > 0 ? ` (${res.duplicatesIgnored} repeated samples ignored)` : '') +
      '\n',
  );
  return 0;
}
