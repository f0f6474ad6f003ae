/*
 * diff_run.h: `hoptrace diff A.jsonl B.jsonl` (see trace_diff.h for what
 * is compared, diff_options.h for the command line).
 */
#ifndef HOPTRACE_DIFF_RUN_H
#define HOPTRACE_DIFF_RUN_H

/*
 * ARGV[0] is "diff".  Returns the exit status: 0 no differences, 1 some,
 * 2 usage error or a file that cannot be read or is not a recording, 3
 * out of memory or a failed write.
 */
int ht_diff_run(int argc, char **argv);

#endif
