import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseRelabelConfigs, relabel } from '../../../leaf/scrape/relabel.ts';
import { labelsFromRecord, labelsToRecord, type Labels } from '../../../shared/labels.ts';
import { isCanopyError } from '../../../shared/errors.ts';

function run(input: Record<string, string>, cfg: unknown[]): Record<string, string> | null {
  const out = relabel(labelsFromRecord(input), parseRelabelConfigs(cfg));
  return out === null ? null : labelsToRecord(out);
}

test('replace: groups, $1 / ${1} / named groups, default regex, empty result deletes', () => {
  const base = { __name__: 'up', a: 'foo', b: 'bar' };
  assert.deepEqual(
    run(base, [{ source_labels: ['a'], regex: 'f(.*)', target_label: 'd', replacement: 'x-$1' }]),
    { ...base, d: 'x-oo' },
  );
  assert.deepEqual(
    run(base, [
      { source_labels: ['a', 'b'], regex: '(.*);(.*)', target_label: 'c', replacement: '${2}x${1}' },
    ]),
    { ...base, c: 'barxfoo' },
  );
  // Go semantics: $1x names group "1x" → empty → label removed/unset
  assert.deepEqual(run(base, [{ source_labels: ['a'], target_label: 'c', replacement: '$1x' }]), base);
  assert.deepEqual(
    run(base, [
      { source_labels: ['a'], regex: '(?P<first>f)o+', target_label: 'c', replacement: '$first-$$' },
    ]),
    { ...base, c: 'f-$' },
  );
  // anchored: 'oo' does not match 'foo'
  assert.deepEqual(
    run(base, [{ source_labels: ['a'], regex: 'oo', target_label: 'c', replacement: 'hit' }]),
    base,
  );
  // empty replacement deletes the target
  assert.deepEqual(run(base, [{ source_labels: ['a'], target_label: 'b', replacement: '' }]), {
    __name__: 'up',
    a: 'foo',
  });
  // target label with a group reference
  assert.deepEqual(
    run(base, [{ source_labels: ['a'], regex: '(f.*)', target_label: 'lbl_$1', replacement: 'v' }]),
    { ...base, lbl_foo: 'v' },
  );
  // missing source label reads as empty and default regex matches it
  assert.deepEqual(run(base, [{ source_labels: ['zz'], target_label: 'a' }]), { __name__: 'up', b: 'bar' });
});

test('keep/drop/keepequal/dropequal', () => {
  const base = { __name__: 'm', job: 'api', a: 'x', b: 'x' };
  assert.equal(run(base, [{ action: 'keep', source_labels: ['job'], regex: 'web' }]), null);
  assert.deepEqual(run(base, [{ action: 'keep', source_labels: ['job'], regex: 'api|web' }]), base);
  assert.equal(run(base, [{ action: 'drop', source_labels: ['__name__', 'job'], regex: 'm;api' }]), null);
  assert.equal(run(base, [{ action: 'keepequal', source_labels: ['a'], target_label: 'job' }]), null);
  assert.deepEqual(run(base, [{ action: 'keepequal', source_labels: ['a'], target_label: 'b' }]), base);
  assert.equal(run(base, [{ action: 'dropequal', source_labels: ['a'], target_label: 'b' }]), null);
});

test('hashmod matches Prometheus (md5, last 8 bytes big-endian)', () => {
  // reference values from Prometheus's relabel tests: "baz" → 976, "foo\nbar" → 734 (mod 1000)
  assert.deepEqual(
    run({ c: 'baz' }, [{ action: 'hashmod', source_labels: ['c'], target_label: 'd', modulus: 1000 }]),
    { c: 'baz', d: '976' },
  );
  assert.deepEqual(
    run({ a: 'foo\nbar' }, [{ action: 'hashmod', source_labels: ['a'], target_label: 'b', modulus: 1000 }]),
    { a: 'foo\nbar', b: '734' },
  );
});

test('labelmap, labeldrop, labelkeep, lowercase, uppercase', () => {
  const base = { __name__: 'm', __meta_kubernetes_pod_label_app: 'web', __meta_x: 'y', Keep: 'MiXed' };
  assert.deepEqual(run(base, [{ action: 'labelmap', regex: '__meta_kubernetes_pod_label_(.+)' }]), {
    ...base,
    app: 'web',
  });
  assert.deepEqual(run(base, [{ action: 'labeldrop', regex: '__meta_.*' }]), {
    __name__: 'm',
    Keep: 'MiXed',
  });
  assert.deepEqual(run(base, [{ action: 'labelkeep', regex: '__name__|Keep' }]), {
    __name__: 'm',
    Keep: 'MiXed',
  });
  assert.deepEqual(run(base, [{ action: 'lowercase', source_labels: ['Keep'], target_label: 'lo' }]), {
    ...base,
    lo: 'mixed',
  });
  assert.deepEqual(run(base, [{ action: 'uppercase', source_labels: ['Keep'], target_label: 'up' }]), {
    ...base,
    up: 'MIXED',
  });
});

test('rules run in order and output stays sorted', () => {
  const out = relabel(
    labelsFromRecord({ z: '1', a: '2' }),
    parseRelabelConfigs([
      { source_labels: ['z'], target_label: 'm' },
      { action: 'labeldrop', regex: 'z' },
    ]),
  ) as Labels;
  assert.deepEqual(
    out.map((l) => l.name),
    ['a', 'm'],
  );
});

test('validation names the rule and the key', () => {
  const bad: [unknown, RegExp][] = [
    [[{ action: 'explode' }], /relabel_configs\[0\]\.action: unknown action/],
    [[{ action: 'replace', source_labels: ['a'] }], /target_label is required/],
    [[{ action: 'hashmod', source_labels: ['a'], target_label: 'b' }], /modulus must be > 0/],
    [
      [{ regex: '(', target_label: 'x' }],
      /relabel_configs\[0\]\.regex: error parsing regexp: missing closing \): `\^\(\?:\(\)\$`/,
    ],
    [[{ target_label: 'x', foo: 1 }], /unknown key "foo"/],
    [[{ action: 'labeldrop', regex: 'a', target_label: 'x' }], /only regex is allowed/],
    [
      [{ action: 'keepequal', source_labels: ['a'], target_label: 'b', regex: 'x' }],
      /regex and replacement are not allowed/,
    ],
    [[{ source_labels: ['1bad'], target_label: 'x' }], /invalid label name/],
    [{}, /expected a list/],
  ];
  for (const [cfg, re] of bad) {
    assert.throws(
      () => parseRelabelConfigs(cfg),
      (e) => isCanopyError(e, 'config_invalid') && re.test((e as Error).message),
      JSON.stringify(cfg),
    );
  }
});

test('replace expands $ like Go (a trailing "$" stays; ${1 stays; $1x names a group)', () => {
  const run = (replacement: string, regex = '(a)(b)', v = 'ab'): Record<string, string> | null => {
    const out = relabel(
      labelsFromRecord({ v }),
      parseRelabelConfigs([{ source_labels: ['v'], regex, target_label: 't', replacement }]),
    );
    return out === null ? null : Object.fromEntries(out.map((l) => [l.name, l.value]));
  };
  assert.equal(run('${1}${2}')!.t, 'ab');
  assert.equal(run('$3-$2')!.t, '-b');
  assert.equal(run('x$')!.t, 'x$');
  assert.equal(run('${1')!.t, '${1');
  assert.equal(run('$1x')!.t, undefined); // "1x" names no group: "" deletes the label
  assert.equal(run('$$1')!.t, '$1');
  assert.equal(run('$first-${second}', '(?P<first>a)(?P<second>b)')!.t, 'a-b');
  // "." stops at "\n" (Go without (?s)); (?s) lets it through.
  assert.equal(run('$1', '(.*)', 'a\nb')!.t, undefined);
  assert.equal(run('$1', '(?s)(.*)', 'a\nb')!.t, 'a\nb');
});
