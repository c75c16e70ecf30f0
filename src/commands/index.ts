import type { Command } from 'commander';
import { register as analyze } from './analyze.js';
import { register as check } from './check.js';
import { register as generate } from './generate.js';
import { register as inspect } from './inspect.js';
import { register as merge } from './merge.js';
import { register as serve } from './serve.js';
import { register as validate } from './validate.js';
import type { CommandContext } from './shared.js';

/** Every subcommand, in help order; adding one is a file in this folder plus one line here. */
export const COMMANDS: readonly ((program: Command, ctx: CommandContext) => void)[] = [analyze, inspect, merge, generate, check, validate, serve];
