// SPDX-License-Identifier: GPL-2.0
/*
 * A program for gdb to debug, in the guest and on the host alike
 * (tests/integration/gdb.sh): a breakpoint in f, a variable to watch,
 * and a double argument whose register gdb changes on the way in.
 */
#include <stdio.h>

int g;

double twice(double v)
{
	return v * 2;
}

int f(int x)
{
	double d = x * 1.5;

	g += x;
	return (int)(d * 2);
}

int main(void)
{
	int s = 0;

	for (int i = 0; i < 3; i++)
		s += f(i);
	printf("sum %d twice %g\n", s, twice(1.0));
	return 0;
}
