import { describeBackendConformance } from '@paradox/backend-conformance';
import { toyBackend } from '@paradox/example-toy-backend';

describeBackendConformance('toy', () => toyBackend, { randomGraphRuns: 25 });
