/** Builds the handler assets the construct deploys (dist/handlers), the same way `npm run build` does, once per run. */
import { buildHandlers } from '../../scripts/build-handlers';

export default async function globalSetup(): Promise<void> {
  await buildHandlers();
}
