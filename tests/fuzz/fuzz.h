/*
 * fuzz.h: the libFuzzer entry point every harness defines.  Built with
 * clang -fsanitize=fuzzer it is driven by libFuzzer; built normally it is
 * linked with replay_main.c, which feeds it each file of a corpus, so that
 * `make check` replays the corpora under whatever sanitizers the build has.
 */
#ifndef HOPPROBE_FUZZ_H
#define HOPPROBE_FUZZ_H

#include <stddef.h>
#include <stdint.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#endif
