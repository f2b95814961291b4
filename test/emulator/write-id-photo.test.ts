/** The command that writes ID photos to files, spawned as a developer runs it. */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readImageInfo } from '../../local/emulators/rekognition/image-files';

const ROOT = join(__dirname, '..', '..');
const TSX = join(ROOT, 'node_modules', '.bin', 'tsx');
const SCRIPT = join(ROOT, 'local', 'emulators', 'rekognition', 'write-id-photo.ts');

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'id-photo-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const run = (...args: string[]) => spawnSync(TSX, [SCRIPT, ...args], { encoding: 'utf8', timeout: 60_000 });

test('writes a JPEG or a PNG of the people named, by the file extension', () => {
  // WHEN
  const jpeg = run('--faces', 'p1,p2', '--width', '480', '--height', '320', '--out', join(dir, 'two.jpg'));
  const png = run('--faces', '', '--out', join(dir, 'nobody.png'));

  // THEN
  expect(jpeg.status).toBe(0);
  expect(readImageInfo(readFileSync(join(dir, 'two.jpg')))).toMatchObject({ format: 'jpeg', width: 480, height: 320 });
  expect(png.status).toBe(0);
  expect(readImageInfo(readFileSync(join(dir, 'nobody.png')))).toMatchObject({
    format: 'png',
    comments: ['face-liveness-emulator faces='],
  });
});

test.each([
  [['--faces', 'p0', '--out', 'x.jpg'], /person must be one of/],
  [['--out', 'x.jpg'], /usage:/],
  [['--faces', 'p1', '--out', 'x.jpg', '--bogus'], /Unknown option/],
])('exits 2 with a message for %j', (args, message) => {
  const result = run(...args);
  expect(result.status).toBe(2);
  expect(result.stderr).toMatch(message);
});
