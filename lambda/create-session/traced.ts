/**
 * POST /sessions with Powertools Tracer on its AWS SDK calls: the asset the construct deploys when `traceAwsCalls` is on.
 * The tracer is installed before ./index builds its clients (imports run in order).
 */
import '../shared/tracer';

export { handler } from './index';
