import { killTrackedChildren } from './child-registry';

// Runs after each e2e file (setupFilesAfterEnv): no child process outlives the file that started it.
afterAll(() => killTrackedChildren());
