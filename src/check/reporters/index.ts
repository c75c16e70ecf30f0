import { githubReporter } from './github.js';
import { humanReporter } from './human.js';
import { junitReporter } from './junit.js';
import type { CheckReporter } from './types.js';

/** One line per CI output format. */
export const REPORTERS: readonly CheckReporter[] = [humanReporter, junitReporter, githubReporter];
