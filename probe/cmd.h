/*
 * cmd.h - the subcommands of cyanprobe.  Each command lives in its own file
 * probe/cmd_NAME.c and is listed once in the table in probe/main.c.
 * A command gets argv with argv[0] set to its name, parses its own options
 * (getopt_long), and returns an exit status from log.h.
 */
#ifndef CMD_H
#define CMD_H

struct cmd {
	const char	*name;
	int		(*run)(int argc, char **argv);
	const char	*summary;	/* one line for `cyanprobe --help` */
};

int	cmd_explain(int, char **);
int	cmd_analyze(int, char **);
int	cmd_diagnose(int, char **);
int	cmd_scan(int, char **);
int	cmd_capture(int, char **);
int	cmd_handshake(int, char **);
int	cmd_keys(int, char **);
int	cmd_cloud(int, char **);
int	cmd_serial(int, char **);
int	cmd_collect(int, char **);
int	cmd_simulate_device(int, char **);
int	cmd_qa(int, char **);

#endif /* CMD_H */
