// A long-lived analysis process of `txlog serve`: loads txlog once, then runs one `txlog analyze` at a time
// in the job's directory (one job at a time per process, so changing directory is safe here).
import { main } from '../cli.js';
import type { AnalysisArgs, WorkerReply } from './run.js';

process.on('message', async (job: AnalysisArgs) => {
  let stderr = '';
  let code: number;
  try {
    process.chdir(job.cwd);
    code = await main(job.argv, { stdout: () => {}, stderr: (s) => (stderr += s), color: false });
  } catch {
    code = 70;
  }
  process.chdir('/');
  const reply: WorkerReply = { code, stderr: stderr.slice(0, 64 * 1024) };
  process.send!(reply);
});

// Never outlive the server, however it ended.
process.on('disconnect', () => process.exit(0));
