/**
 * The README is the front door: short, linking every docs/ page, and naming the regions the construct accepts.
 */
import { FACE_LIVENESS_REGIONS } from '../../contract/regions';
import { docsPages, readDoc, relativeLinks } from '../support/markdown';

const readme = readDoc('README.md');

describe('README', () => {
  it('has at most 300 lines', () => {
    expect(readme.split('\n').length).toBeLessThanOrEqual(300);
  });

  it('links every docs/ page, CONTRIBUTING.md and the Amplify Gen 2 example', () => {
    const targets = relativeLinks(readme).map((l) => l.path);
    expect(docsPages().length).toBeGreaterThanOrEqual(9);
    expect(targets).toEqual(expect.arrayContaining([...docsPages(), 'CONTRIBUTING.md', 'examples/amplify-gen2/']));
  });

  it('lists every supported region', () => {
    for (const region of FACE_LIVENESS_REGIONS) expect(readme).toContain(`\`${region}\``);
  });
});
