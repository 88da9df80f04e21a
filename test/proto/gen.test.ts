// The committed generated code must match the .proto files (run `npm run proto:gen`).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REPO } from '../e2e/harness.ts';

test('proto/gen is up to date with proto/canopy/*.proto', () => {
  const d = mkdtempSync(join(tmpdir(), 'canopy-proto-'));
  try {
    execFileSync(process.execPath, ['scripts/proto-gen.js', join(d, 'canopy.js')], {
      cwd: REPO,
      stdio: 'pipe',
    });
    assert.equal(
      readFileSync(join(d, 'canopy.js'), 'utf8'),
      readFileSync(join(REPO, 'proto/gen/canopy.js'), 'utf8'),
      'run npm run proto:gen',
    );
  } finally {
    rmSync(d, { recursive: true, force: true });
  }
});
