/*
 * bad_alloc.c - not part of the agent: the firmware suite feeds it to
 * build-firmware.sh to prove that the symbol check fails on malloc/printf.
 */
#include <stddef.h>

void	*malloc(size_t);
int	 printf(const char *, ...);
void	 bad_alloc(void);

void
bad_alloc(void)
{
	printf("%p", malloc(1));
}
