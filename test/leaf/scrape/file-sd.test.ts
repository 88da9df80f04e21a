import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync, unlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FileSD, parseFileSDConfigs, readTargetFile } from '../../../leaf/scrape/file-sd.ts';
import type { TargetGroup } from '../../../leaf/scrape/target.ts';
import { isCanopyError } from '../../../shared/errors.ts';

test('reads JSON and YAML files matching a glob, adds __meta_filepath, re-reads on change', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'canopy-sd-'));
  try {
    writeFileSync(join(dir, 'a.json'), JSON.stringify([{ targets: ['h1:9100'], labels: { env: 'prod' } }]));
    writeFileSync(join(dir, 'b.yml'), '- targets: [h2:9100, h3:9100]\n');
    writeFileSync(join(dir, 'ignored.txt'), 'x');
    const [cfg] = parseFileSDConfigs([
      { files: [join(dir, '*.json'), join(dir, '*.yml')], refresh_interval: '1m' },
    ]);
    const updates: TargetGroup[][] = [];
    const errors: string[] = [];
    const sd = new FileSD(
      cfg!,
      (g) => updates.push(g),
      (e) => errors.push(e.message),
    );
    sd.start();
    assert.equal(updates.length, 1);
    assert.deepEqual(
      updates[0]!.flatMap((g) => g.targets),
      ['h1:9100', 'h2:9100', 'h3:9100'],
    );
    assert.equal(updates[0]![0]!.labels.__meta_filepath, join(dir, 'a.json'));
    assert.equal(updates[0]![0]!.labels.env, 'prod');
    // a change is picked up by the watcher
    writeFileSync(join(dir, 'a.json'), JSON.stringify([{ targets: ['h9:9100'] }]));
    const deadline = Date.now() + 3000;
    while (updates.length < 2 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    assert.ok(updates.length >= 2, 'watch did not fire');
    assert.deepEqual(
      updates[updates.length - 1]!.flatMap((g) => g.targets),
      ['h9:9100', 'h2:9100', 'h3:9100'],
    );
    // a broken file keeps its last good groups and reports an error
    writeFileSync(join(dir, 'b.yml'), '- targets: [unclosed\n');
    sd.refresh();
    assert.ok(errors.length >= 1 && /b\.yml/.test(errors[0]!));
    assert.equal(sd.readErrors >= 1, true);
    // a deleted file removes its targets
    unlinkSync(join(dir, 'b.yml'));
    sd.refresh();
    assert.deepEqual(
      updates[updates.length - 1]!.flatMap((g) => g.targets),
      ['h9:9100'],
    );
    sd.stop();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('validation of configs and files', () => {
  assert.throws(
    () => parseFileSDConfigs([{ files: ['/x/*/a.json'] }]),
    (e) => isCanopyError(e, 'config_invalid') && /last path element/.test((e as Error).message),
  );
  assert.throws(() => parseFileSDConfigs([{ files: ['/x/a.txt'] }]), /must end in/);
  assert.throws(() => parseFileSDConfigs([{ files: ['/x/a.json'], bad: 1 }]), /unknown key/);
  const dir = mkdtempSync(join(tmpdir(), 'canopy-sd-'));
  try {
    writeFileSync(join(dir, 'x.json'), JSON.stringify([{ targets: ['a'], labels: { 'bad-name': 'v' } }]));
    assert.throws(() => readTargetFile(join(dir, 'x.json')), /invalid label name "bad-name"/);
    writeFileSync(join(dir, 'y.json'), JSON.stringify({ targets: [] }));
    assert.throws(() => readTargetFile(join(dir, 'y.json')), /expected a list of target groups/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
