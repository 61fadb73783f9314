/*
 * qa_job.h - one unit of a QA run: a hook (reserve, power_cycle, release)
 * or one test variant on one cell, run in a child process of its own (its
 * own process group, so a timeout kills all of it), and what it left
 * behind stored as the cell's facts and artifacts.
 */
#ifndef QA_JOB_H
#define QA_JOB_H

#include <sys/types.h>

#include <stdbool.h>

#include "qa_plan.h"
#include "qa_store.h"
#include "qa_tests.h"

enum qa_job_state {
	QA_JOB_PENDING,
	QA_JOB_RUNNING,
	QA_JOB_DONE,
	QA_JOB_SKIPPED
};

struct qa_job {
	const struct qa_cell	*cell;
	bool			 is_hook;
	enum qa_hook		 hook;
	const struct qa_test	*test;
	const struct qa_testdef	*def;
	char			 variant[QA_VARIANT_MAX];
	const char		*device, *firmware;	/* judged on it */
	bool			 exclusive;
	double			 limit;		/* seconds before the kill */
	/* While and after it runs. */
	enum qa_job_state	 state;
	pid_t			 pid;
	double			 started, ended;	/* monotonic */
	int			 status;	/* exit status; -1 killed */
	bool			 timed_out;
	char			 dir[256];	/* its files: report, log */
};

/* What every job of a run shares. */
struct qa_job_env {
	const struct qa_plan	*plan;
	const struct rules	*rules;
	const char		*rules_dir;
	const char		*run_id;
	const char		*tmpdir;	/* the run's scratch folder */
};

/* Monotonic seconds. */
double	qa_job_now(void);

/*
 * Fork the job's child (j->dir made, stdout and stderr into j->dir/log).
 * 0 and j->pid set, or -1 with errno set.
 */
int	qa_job_start(struct qa_job *j, const struct qa_job_env *e, int seq);

/* A short label: "CELL diagnose@tcp", "CELL hook reserve". */
void	qa_job_label(const struct qa_job *j, char *buf, size_t len);

/*
 * Store what the finished job left: its status, the findings and facts of
 * its report, the report and its log as artifacts; all in one
 * transaction.  0, or -1 with the store's error.
 */
int	qa_job_store(const struct qa_job *j, const struct qa_job_env *e,
	    struct qa_store *s);

/*
 * What the job printed (at most 64 KiB), with the values of its router's
 * credential variables cut out: a new string, or NULL when there is none.
 */
char	*qa_job_log(const struct qa_job *j, const struct qa_job_env *e);

/* Did the job succeed (a hook exit 0, a test with its report)? */
bool	qa_job_ok(const struct qa_job *j);

#endif /* QA_JOB_H */
