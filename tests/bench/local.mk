## tests/bench/local.mk: the benchmark, included at the end of the
## top-level Makefile.am (`include tests/bench/local.mk`).
##
## `make bench` (as root, under 10 minutes) runs the whole comparison of
## hopprobe, Debian's mtr-packet and the minimal sendmmsg/recvmmsg sender
## in a namespace lab, with fping and scamper as peers when installed, and
## prints the table; `make bench-quick` (under a
## minute) a short version.  BENCH_FLAGS passes options to run-bench.sh,
## e.g. `make bench BENCH_FLAGS='--reps 5'`.  `make check` only proves that
## the bench builds and that its quick mode runs (BENCH_TESTS, to be added
## to TESTS); it asserts no timing.

# Not built by `make all`: only for the bench and its check.
BENCH_PROGS = tests/bench/hopbench tests/bench/ceiling
EXTRA_PROGRAMS = $(BENCH_PROGS)
tests_bench_hopbench_SOURCES = tests/bench/hopbench.c \
	tests/bench/benchutil.c tests/bench/benchutil.h
tests_bench_ceiling_SOURCES = tests/bench/ceiling.c \
	tests/bench/benchutil.c tests/bench/benchutil.h
CLEANFILES = probe/sandbox_program.h $(BENCH_PROGS) tests/bench/bench.csv \
	tests/bench/bench-quick.csv

BENCH_TESTS = tests/bench/bench_quick_test.sh

# The check needs the programs; the test harness does not know that.
tests/bench/bench_quick_test.log: $(BENCH_PROGS) probe/hopprobe$(EXEEXT)

BENCH_FLAGS =
BENCH_RUN = HOPPROBE='$(abs_top_builddir)/probe/hopprobe' \
	HOPBENCH='$(abs_top_builddir)/tests/bench/hopbench' \
	CEILING='$(abs_top_builddir)/tests/bench/ceiling' \
	TESTS_SRCDIR='$(abs_top_srcdir)/tests' \
	bash '$(abs_top_srcdir)/tests/bench/run-bench.sh'

bench: probe/hopprobe$(EXEEXT) $(BENCH_PROGS)
	$(BENCH_RUN) --csv '$(abs_top_builddir)/tests/bench/bench.csv' $(BENCH_FLAGS)

bench-quick: probe/hopprobe$(EXEEXT) $(BENCH_PROGS)
	$(BENCH_RUN) --quick \
		--csv '$(abs_top_builddir)/tests/bench/bench-quick.csv' $(BENCH_FLAGS)

.PHONY: bench bench-quick

EXTRA_DIST += $(BENCH_TESTS) tests/bench/run-bench.sh \
	tests/bench/report.awk tests/bench/local.mk

# `make bench-hoptrace` (as root): hoptrace's own CPU per probe beside its
# worker's over 1,000 lab targets, and a 10-hop trace timed beside
# traceroute -n and mtr -r -c 1 -n (tests/bench/hoptrace_bench.sh).
bench-hoptrace: src/hoptrace$(EXEEXT) probe/hopprobe$(EXEEXT)
	HOPTRACE='$(abs_top_builddir)/src/hoptrace' \
	HOPPROBE='$(abs_top_builddir)/probe/hopprobe' \
	TESTS_SRCDIR='$(abs_top_srcdir)/tests' \
	PYTHON3_SYSTEM='$(PYTHON3_SYSTEM)' \
	bash '$(abs_top_srcdir)/tests/bench/hoptrace_bench.sh' $(BENCH_FLAGS)
.PHONY: bench-hoptrace

# `make tests/bench/startup_ab`: start-up times of several workers, their
# starts interleaved, e.g. `tests/bench/startup_ab -n 401 probe/hopprobe
# /usr/bin/mtr-packet` (top of startup_ab.c).
EXTRA_PROGRAMS += tests/bench/startup_ab
tests_bench_startup_ab_SOURCES = tests/bench/startup_ab.c \
	tests/bench/benchutil.c tests/bench/benchutil.h
CLEANFILES += tests/bench/startup_ab

# `make tests/bench/parse_bench`: request parsing and reply formatting in a
# loop, for callgrind (how to run it is at the top of parse_bench.c).
EXTRA_PROGRAMS += tests/bench/parse_bench
tests_bench_parse_bench_SOURCES = tests/bench/parse_bench.c
tests_bench_parse_bench_LDADD = probe/libprobecore.a
CLEANFILES += tests/bench/parse_bench
