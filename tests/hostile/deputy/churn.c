/*
 * Per-guest bookkeeping stays bounded (docs/security.md): N times, bind a
 * Unix socket to a name in DIR, close it and unlink the name.
 *   churn DIR N
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	struct sockaddr_un sun = { .sun_family = AF_UNIX };
	int n = argc == 3 ? atoi(argv[2]) : 0;

	if (n <= 0)
		return 2;
	snprintf(sun.sun_path, sizeof(sun.sun_path), "%s/churn.sock", argv[1]);
	for (int i = 0; i < n; i++) {
		int s = socket(AF_UNIX, SOCK_STREAM, 0);

		if (s < 0 || bind(s, (struct sockaddr *)&sun, sizeof(sun)) || close(s) ||
		    unlink(sun.sun_path)) {
			perror("churn");
			return 1;
		}
	}
	return 0;
}
