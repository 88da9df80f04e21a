// /targets (leaf): the leaf's scrape jobs (targets up of total) and its buffer toward the zone.
import { getJson } from '../api.ts';
import { h } from '../dom.ts';
import { badge, loader } from './common.ts';

interface LeafStatus {
  name: string;
  zones: string[];
  queue: string;
  jobs: { job: string; targets: number; up: number; droppedTargets: number; fileSdReadErrors: number }[];
  bufferBytes: number;
  bufferBatches: number;
  bufferCorrupt: number | null;
  series: number;
  seriesLimit: number;
  lastAck: number;
}

export function targetsPage(root: HTMLElement): void {
  loader(root, 'Targets', async () => {
    const s = (await getJson<{ data: LeafStatus }>('api/v1/status/leaf')).data;
    return [
      h(
        'table',
        { class: 'jobs' },
        h(
          'thead',
          {},
          h(
            'tr',
            {},
            h('th', {}, 'Job'),
            h('th', {}, 'Up'),
            h('th', {}, 'Targets'),
            h('th', {}, 'Dropped targets'),
            h('th', {}, 'file_sd read errors'),
          ),
        ),
        h(
          'tbody',
          {},
          s.jobs.map((j) =>
            h(
              'tr',
              {},
              h('td', {}, j.job),
              h('td', {}, badge(j.up === j.targets ? 'up' : 'down'), ` ${j.up}`),
              h('td', {}, String(j.targets)),
              h('td', {}, String(j.droppedTargets)),
              h('td', {}, String(j.fileSdReadErrors)),
            ),
          ),
        ),
      ),
      h('h2', {}, 'Buffer'),
      h(
        'table',
        {},
        h(
          'tbody',
          {},
          h('tr', {}, h('th', {}, 'Leaf'), h('td', {}, s.name)),
          h('tr', {}, h('th', {}, 'Zones'), h('td', {}, s.zones.join(', '))),
          h(
            'tr',
            {},
            h('th', {}, 'Queue'),
            h(
              'td',
              {},
              `${s.queue}: ${s.bufferBatches} batches, ${s.bufferBytes} bytes${s.bufferCorrupt ? `, ${s.bufferCorrupt} corrupt` : ''}`,
            ),
          ),
          h('tr', {}, h('th', {}, 'Series'), h('td', {}, `${s.series} of ${s.seriesLimit || 'unlimited'}`)),
          h(
            'tr',
            {},
            h('th', {}, 'Last acknowledged'),
            h('td', {}, s.lastAck ? new Date(s.lastAck).toISOString() : 'never'),
          ),
        ),
      ),
    ];
  });
}
