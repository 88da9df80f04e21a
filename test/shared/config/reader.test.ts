import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  ConfigReader,
  parseYaml,
  parseDurationMs,
  parseSizeBytes,
  parseFlags,
  formatDurationMs,
} from '../../../shared/config/index.ts';
import { isCanopyError } from '../../../shared/errors.ts';

function reader(yaml: string): ConfigReader {
  return new ConfigReader('x.yaml', parseYaml('x.yaml', yaml));
}

test('durations parse like Prometheus', () => {
  assert.equal(parseDurationMs('15s'), 15_000);
  assert.equal(parseDurationMs('1h30m'), 5_400_000);
  assert.equal(parseDurationMs('100ms'), 100);
  assert.equal(parseDurationMs('2d'), 172_800_000);
  assert.equal(parseDurationMs('1w'), 604_800_000);
  assert.equal(parseDurationMs('1.5'), 1500);
  assert.equal(parseDurationMs('0'), 0);
  for (const bad of ['', 'abc', '1x', 'm', '1m1h']) assert.equal(parseDurationMs(bad), undefined, bad);
  assert.equal(formatDurationMs(5_400_500), '1h30m500ms');
});

test('sizes parse with SI and IEC units', () => {
  assert.equal(parseSizeBytes('100MB'), 100e6);
  assert.equal(parseSizeBytes('512KiB'), 512 * 1024);
  assert.equal(parseSizeBytes('1.5GB'), 1.5e9);
  assert.equal(parseSizeBytes('42'), 42);
  assert.equal(parseSizeBytes('12 parsecs'), undefined);
});

test('errors name the file, the key path and what was expected', () => {
  const r = reader('a:\n  b:\n    - port: nope\n');
  const item = r.object('a').list('b')[0]!;
  assert.throws(
    () => item.number('port'),
    (e) =>
      isCanopyError(e, 'config_invalid') &&
      e.message === 'x.yaml: key "a.b[0].port": expected a number, got string "nope"',
  );
});

test('unknown keys are rejected by done(), listing the known ones', () => {
  const r = reader('listen: 127.0.0.1:1\nlisten_adress: x\n');
  r.hostPort('listen');
  assert.throws(() => r.done(), /key "listen_adress": unknown key \(known keys here: listen\)/);
});

test('YAML syntax errors carry line and column', () => {
  assert.throws(() => parseYaml('f.yaml', 'a: [1, 2\nb: 3\n'), /cannot parse config file f\.yaml:\d+:\d+/);
});

test('typed readers validate values and apply defaults', () => {
  const r = reader('d: 5m\ns: 10MB\nu: ftp://x\nn: 7\nb: yes\n');
  assert.equal(r.durationMs('d', 0), 300_000);
  assert.equal(r.durationMs('missing', 42), 42);
  assert.equal(r.sizeBytes('s', 0), 10e6);
  assert.throws(() => r.url('u'), /expected a URL \(http:\/\/ or https:\/\/…\)/);
  assert.throws(() => r.number('n', 0, { max: 5 }), /expected a number <= 5, got number 7/);
  assert.throws(() => r.bool('b', false), /expected true or false, got string "yes"/);
});

test('flags: values, =values, booleans, repeatable lists, unknown and missing values', () => {
  const spec = {
    zone: { type: 'list', help: '' },
    listen: { type: 'string', help: '' },
    verbose: { type: 'bool', help: '' },
  } as const;
  const f = parseFlags(['--zone', 'a:1', '--zone=b:2', '--listen', 'x:3', '--verbose'], spec, 'leaf');
  assert.deepEqual(f, { zone: ['a:1', 'b:2'], listen: 'x:3', verbose: true });
  assert.throws(() => parseFlags(['--nope'], spec, 'leaf'), /canopy leaf: unknown flag --nope/);
  assert.throws(() => parseFlags(['--listen'], spec, 'leaf'), /flag --listen needs a value/);
  assert.throws(() => parseFlags(['stray'], spec, 'leaf'), /unexpected argument "stray"/);
});
