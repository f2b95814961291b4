/**
 * Writes an ID photo of synthetic people to a file, for trying identity checks against local mode by hand:
 *
 *   npx tsx local/emulators/rekognition/write-id-photo.ts --faces p1 --out p1.jpg
 *   npx tsx local/emulators/rekognition/write-id-photo.ts --faces '' --out nobody.jpg
 *   npx tsx local/emulators/rekognition/write-id-photo.ts --faces p1,p2 --width 480 --height 320 --out two.png
 *
 * The format follows the file extension (.png: PNG, anything else JPEG).
 */
import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { idPhoto } from './id-photo';
import type { PersonId } from './people';

const USAGE = 'usage: write-id-photo --faces p1[,p2…] | --faces "" --out <file.jpg|file.png> [--width N] [--height N]';

function main(argv: readonly string[]): number {
  let values: Record<string, string | undefined>;
  try {
    ({ values } = parseArgs({
      args: [...argv],
      options: {
        faces: { type: 'string' },
        out: { type: 'string' },
        width: { type: 'string' },
        height: { type: 'string' },
      },
      strict: true,
    }));
  } catch (err) {
    process.stderr.write(`${(err as Error).message}\n${USAGE}\n`);
    return 2;
  }
  if (values.faces === undefined || values.out === undefined) {
    process.stderr.write(`${USAGE}\n`);
    return 2;
  }
  const faces = values.faces === '' ? [] : (values.faces.split(',') as PersonId[]);
  try {
    const photo = idPhoto({
      faces,
      ...(values.width !== undefined && { width: Number(values.width) }),
      ...(values.height !== undefined && { height: Number(values.height) }),
      format: values.out.toLowerCase().endsWith('.png') ? 'png' : 'jpeg',
    });
    writeFileSync(values.out, photo);
    process.stdout.write(
      `${values.out}: ${faces.length === 0 ? 'no face' : faces.join(', ')} (${photo.length} bytes)\n`,
    );
    return 0;
  } catch (err) {
    process.stderr.write(`${(err as Error).message}\n`);
    return 2;
  }
}

process.exitCode = main(process.argv.slice(2));
