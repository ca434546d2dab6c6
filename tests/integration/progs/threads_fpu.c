/*
 * Four threads of one process each keep their own value in xmm7 while
 * yielding to each other 20,000 times: the vector registers must be per
 * thread even though one host thread (the stub's) runs them all.
 */
#include <pthread.h>
#include <sched.h>
#include <stdint.h>
#include <stdio.h>

static volatile int bad;

static void *run(void *arg)
{
	uint64_t v = (uint64_t)(uintptr_t)arg * 0x0101010101010101ULL, out;
	int i;

	__asm__ volatile("movq %0, %%xmm7" : : "r"(v) : "xmm7");
	for (i = 0; i < 20000; i++) {
		sched_yield();
		__asm__ volatile("movq %%xmm7, %0" : "=r"(out));
		if (out != v) {
			bad++;
			break;
		}
	}
	return NULL;
}

int main(void)
{
	pthread_t t[4];
	long i;

	for (i = 0; i < 4; i++)
		pthread_create(&t[i], NULL, run, (void *)(i + 1));
	for (i = 0; i < 4; i++)
		pthread_join(t[i], NULL);
	printf("threads-fpu %s\n", bad ? "FAIL" : "ok");
	return bad != 0;
}
