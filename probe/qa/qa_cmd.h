/*
 * qa_cmd.h - `cyanprobe qa SUBCOMMAND`: the subcommands of the router QA
 * lab, one row each in the table of qa_cmd.c, and what they share: loading
 * the rules and a plan.  A subcommand gets argv with argv[0] set to
 * "qa NAME" and returns an exit status of log.h, like a command (cmd.h).
 */
#ifndef QA_CMD_H
#define QA_CMD_H

#include "qa_plan.h"
#include "rules.h"

int	qa_cmd_check(int, char **);
int	qa_matrix_cmd(int, char **);
int	qa_run_cmd(int, char **);
int	qa_judge_cmd(int, char **);
int	qa_report_cmd(int, char **);
int	qa_push_cmd(int, char **);

/*
 * Load the rules (rules_dir NULL: the default folder) into a new struct
 * rules, then the plan at `path`, checked against them.  Returns 0, or
 * EXIT_USAGE after printing "cyanprobe: FILE: $.PATH: reason".  The caller
 * frees *rules (free) and *plan (qa_plan_free).
 */
int	qa_cmd_load(const char *rules_dir, const char *path,
	    struct rules **rules, struct qa_plan **plan);

/*
 * -v: one line per cell of the plan on stderr (its station, runner tag
 * and hooks), prefixed "qa WHO: ".
 */
void	qa_cmd_log_cells(const char *who, const struct qa_plan *plan);

#endif /* QA_CMD_H */
