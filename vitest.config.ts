import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    // Many tests run the CLI as a child process; on a loaded 2-core runner one takes seconds, not ms.
    testTimeout: 30_000,
  },
});
