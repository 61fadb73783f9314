/*
 * qa_netns.h - enter a station's named network namespace (qa_netns.c).
 */
#ifndef QA_NETNS_H
#define QA_NETNS_H

#include <stddef.h>

/* Enter /run/netns/NAME like `ip netns exec`; 0, or -1 with err set. */
int	qa_netns_enter(const char *name, char *err, size_t errlen);

#endif /* QA_NETNS_H */
