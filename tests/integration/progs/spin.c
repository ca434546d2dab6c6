/* Computes forever without a system call: only the timer can stop it. */
int main(void)
{
	volatile unsigned long x = 0;

	for (;;)
		x++;
}
