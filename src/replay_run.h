/*
 * replay_run.h: hoptrace --replay FILE: a recorded --jsonl run rendered
 * again, in any format, without a worker or the network.
 */
#ifndef HOPTRACE_REPLAY_RUN_H
#define HOPTRACE_REPLAY_RUN_H

#include "options.h"

/*
 * Read CFG->replay ("-": standard input) record by record (replay.h) and
 * render the events in CFG's format on standard output.  Returns the
 * exit status the recorded run ended with (its run-end record's), 1 for a
 * recording cut short before its run-end (what it holds is rendered, as
 * for a run cut short), 2 for a file that cannot be read or a line that
 * is not a record (the message names the line), 3 out of memory.
 */
int ht_replay_run(const struct ht_config *cfg);

#endif
